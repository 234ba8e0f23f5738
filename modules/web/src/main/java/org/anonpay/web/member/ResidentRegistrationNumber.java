// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.member;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * Korean resident registration number (주민등록번호) {@code YYMMDD-GNNNNNC}: birth date, a digit G
 * for sex and century (9/0: 1800s; 1/2 and foreigners' 5/6: 1900s; 3/4 and 7/8: 2000s), and the
 * check digit C = (11 - Σ wᵢ·dᵢ mod 11) mod 10 over the first 12 digits with weights 2..9,2..5.
 *
 * <p>Numbers issued since October 2020 no longer carry a computable check digit (the digits after
 * G became random). A number is only known to be one of those when its birth date is on or after
 * {@link #RANDOM_DIGITS_SINCE}, so the check digit is applied to earlier birth dates only. A person
 * born earlier whose number was re-issued after October 2020 (rare: a number changes only on a
 * court-approved request) is still refused; they register through customer service.
 */
public final class ResidentRegistrationNumber {

    /** Why a number is refused. */
    public enum Problem { FORMAT, DATE, CHECK_DIGIT }

    private static final Pattern FORMAT = Pattern.compile("\\d{6}-\\d{7}");
    /** From this date on, numbers are issued without a check digit. */
    public static final LocalDate RANDOM_DIGITS_SINCE = LocalDate.of(2020, 10, 1);
    private static final int[] WEIGHTS = {2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5};

    private ResidentRegistrationNumber() {}

    /** The problem with {@code number}, or null if it is a valid number. */
    public static Problem check(String number) {
        if (number == null || !FORMAT.matcher(number).matches()) return Problem.FORMAT;
        LocalDate born = birthDate(number);
        if (born == null) return Problem.DATE;
        if (!born.isBefore(RANDOM_DIGITS_SINCE)) return null; // nothing to check: the last digit is random
        return checkDigitMatches(number) ? null : Problem.CHECK_DIGIT;
    }

    /** The birth date the number encodes, or null if it encodes none. Expects the checked format. */
    static LocalDate birthDate(String number) {
        int century = switch (number.charAt(7)) {
            case '9', '0' -> 1800;
            case '1', '2', '5', '6' -> 1900;
            default -> 2000;
        };
        try {
            return LocalDate.of(century + Integer.parseInt(number.substring(0, 2)),
                    Integer.parseInt(number.substring(2, 4)), Integer.parseInt(number.substring(4, 6)));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean checkDigitMatches(String number) {
        String digits = number.replace("-", "");
        int sum = 0;
        for (int i = 0; i < WEIGHTS.length; i++) sum += WEIGHTS[i] * (digits.charAt(i) - '0');
        return (11 - sum % 11) % 10 == digits.charAt(12) - '0';
    }

    /** {@code YYMMDD-G******}: the only form kept in clear. Expects the checked format. */
    public static String mask(String number) {
        assert FORMAT.matcher(number).matches() : "mask expects a checked number";
        return number.substring(0, 8) + "******";
    }
}
