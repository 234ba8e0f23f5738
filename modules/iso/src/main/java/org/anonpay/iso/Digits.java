// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

/** ASCII digit checks: ISO 8583 "n" means '0'..'9', not any Unicode digit. */
final class Digits {
    private Digits() {
    }

    /** Non-null, non-empty and only '0'..'9'. */
    static boolean only(String s) {
        return s != null && !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Exactly {@code length} ASCII digits. */
    static boolean exactly(String s, int length) {
        return s != null && s.length() == length && only(s);
    }
}
