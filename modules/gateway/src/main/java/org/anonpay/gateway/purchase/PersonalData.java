// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.purchase;

import java.util.regex.Pattern;

/**
 * What counts as personal data in a purchase's identifiers and goods names (MISSION.md b6: the
 * mall's approval request carries none): an e-mail address, a Korean mobile number or a card
 * number. The mall API refuses such a value, and the wallet refuses it already when it keeps the
 * purchase, so a purchase the mall could never repeat is refused at once.
 */
public final class PersonalData {

    private static final Pattern EMAIL = Pattern.compile(".*[^\\s@]+@[^\\s@]+\\.[^\\s@]+.*");
    /** A card number as people write it: 13-19 digits in one run, or 4-4-4-x groups split by spaces or hyphens. */
    private static final Pattern CARD_LIKE = Pattern.compile("(?<![\\d-])(\\d{13,19}|\\d{4}([ -])\\d{4}\\2\\d{4}\\2\\d{1,7})(?![\\d-])");
    /** Issuer prefixes: Visa 4, Mastercard 51-55 and 2221-2720, Amex 34/37, Discover 6011/65, anonpay's own 94. */
    private static final Pattern CARD_PREFIX = Pattern.compile("4|5[1-5]|222[1-9]|22[3-9]\\d|2[3-6]\\d\\d|27[01]\\d|2720|3[47]|6011|65|94");
    /** A Korean mobile number (010-1234-5678, +82 10 1234 5678), standing alone among digits. */
    private static final Pattern PHONE = Pattern.compile("(?<![\\d+])(\\+82[- ]?|0)1[016789][- .]?\\d{3,4}[- .]?\\d{4}(?![\\d-])");

    private PersonalData() {}

    public static boolean looksPersonal(String value) {
        return EMAIL.matcher(value).matches() || PHONE.matcher(value).find() || containsCardNumber(value);
    }

    /**
     * A card number: a run of 13-19 digits standing alone (or in 4-digit groups), with a card
     * network's prefix, passing Luhn. Runs are never joined across other characters: an order id
     * such as {@code TEA-261124103602-001} (a date and a counter) is not a card number, and one
     * in ten digit strings passes Luhn by chance, so the prefix and the boundaries matter.
     */
    private static boolean containsCardNumber(String value) {
        var candidates = CARD_LIKE.matcher(value);
        while (candidates.find()) {
            String digits = candidates.group(1).replaceAll("[ -]", "");
            if (digits.length() >= 13 && CARD_PREFIX.matcher(digits).lookingAt() && org.anonpay.issuer.Luhn.luhnValid(digits)) return true;
        }
        return false;
    }
}
