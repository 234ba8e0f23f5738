// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

/** The Luhn (mod 10) check digit of ISO/IEC 7812 card numbers. */
public final class Luhn {

    private Luhn() {}

    /** True when {@code pan} is all digits, 12–19 long, and its last digit is its Luhn check digit. */
    public static boolean luhnValid(String pan) {
        if (pan == null || pan.length() < 12 || pan.length() > 19 || !allDigits(pan)) return false;
        return luhnCheckDigit(pan.substring(0, pan.length() - 1)) == pan.charAt(pan.length() - 1);
    }

    /** The digit to append to {@code partialPan} (digits only, not empty) to make it Luhn-valid. */
    public static char luhnCheckDigit(String partialPan) {
        if (partialPan == null || partialPan.isEmpty() || !allDigits(partialPan)) {
            throw new IllegalArgumentException("a partial card number is digits only");
        }
        int sum = 0;
        // walking from the right, the digit next to the (missing) check digit is doubled first
        boolean doubled = true;
        for (int i = partialPan.length() - 1; i >= 0; i--) {
            int digit = partialPan.charAt(i) - '0';
            if (doubled) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
            sum += digit;
            doubled = !doubled;
        }
        return (char) ('0' + (10 - sum % 10) % 10);
    }

    static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return !s.isEmpty();
    }
}
