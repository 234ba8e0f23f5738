// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import org.anonpay.issuer.Luhn;

/**
 * The bench's known card numbers: a fixed 8-digit prefix inside KRW-PREPAID's BIN range
 * (94100000-94109999), a 7-digit sequence and the Luhn check digit. The prefix is the top of the
 * range, away from the demo cards (9410000…), so both can live in one database.
 */
final class BenchCards {
    static final String PREFIX = "94109999";
    static final int SEQUENCE_DIGITS = 7;
    static final int MAX_CARDS = 10_000_000;

    private BenchCards() {}

    /** The card number of card {@code index} (0-based). */
    static String pan(int index) {
        if (index < 0 || index >= MAX_CARDS) throw new IllegalArgumentException("card index 0.." + (MAX_CARDS - 1) + ": " + index);
        String partial = PREFIX + String.format("%0" + SEQUENCE_DIGITS + "d", index);
        return partial + Luhn.luhnCheckDigit(partial);
    }

    /** First 6 and last 4 digits: all the bench ever prints of a card number. */
    static String masked(String pan) {
        return pan.substring(0, 6) + "*".repeat(pan.length() - 10) + pan.substring(pan.length() - 4);
    }
}
