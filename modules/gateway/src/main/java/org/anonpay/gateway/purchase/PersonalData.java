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
    private static final Pattern DIGIT_RUN = Pattern.compile("\\d{13,19}");
    private static final Pattern CARD_PREFIX = Pattern.compile("3[47]|4|5[1-5]|2[2-7]|6011|65|9");
    private static final Pattern PHONE = Pattern.compile(".*(\\+?82|0)1[016789][- .]?\\d{3,4}[- .]?\\d{4}.*");

    private PersonalData() {}

    public static boolean looksPersonal(String value) {
        return EMAIL.matcher(value).matches() || PHONE.matcher(value).matches() || containsCardNumber(value);
    }

    /**
     * A run of 13-19 digits (separators dropped) that starts like a card of a card network (34/37,
     * 4, 51-55, 22-27, 6011/65, 9 for domestic cards such as anonpay's) and passes Luhn. The prefix
     * matters: one in ten digit strings passes Luhn by chance, and order ids are often long numbers
     * that begin with a year (20…).
     */
    private static boolean containsCardNumber(String value) {
        var runs = DIGIT_RUN.matcher(value.replaceAll("[ -]", ""));
        while (runs.find()) {
            String digits = runs.group();
            if (CARD_PREFIX.matcher(digits).lookingAt() && org.anonpay.issuer.Luhn.luhnValid(digits)) return true;
        }
        return false;
    }
}
