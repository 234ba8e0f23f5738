// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import java.util.random.RandomGenerator;

/**
 * A range of 8-digit BIN prefixes (ISO/IEC 7812 since 2022), both ends included, written
 * {@code 94100000-94109999} in a program file.
 */
public record BinRange(int low, int high) {

    public static final int PREFIX_DIGITS = 8;
    private static final int SMALLEST = 10_000_000;
    private static final int LARGEST = 99_999_999;

    public BinRange {
        if (low < SMALLEST || high > LARGEST || low > high) {
            throw new IllegalArgumentException("BIN range must be two 8-digit prefixes, low <= high: " + low + "-" + high);
        }
    }

    /** Parses {@code 94100000-94109999}. */
    public static BinRange parse(String text) {
        String[] ends = text.trim().split("-", -1);
        if (ends.length != 2 || !isPrefix(ends[0].trim()) || !isPrefix(ends[1].trim())) {
            throw new IllegalArgumentException("bin.range must look like 94100000-94109999, got '" + text + "'");
        }
        return new BinRange(Integer.parseInt(ends[0].trim()), Integer.parseInt(ends[1].trim()));
    }

    private static boolean isPrefix(String s) {
        return s.length() == PREFIX_DIGITS && Luhn.allDigits(s) && s.charAt(0) != '0';
    }

    /** True when the first 8 digits of {@code pan} lie in this range. */
    public boolean contains(String pan) {
        if (pan == null || pan.length() < PREFIX_DIGITS || !Luhn.allDigits(pan.substring(0, PREFIX_DIGITS))) return false;
        int prefix = Integer.parseInt(pan.substring(0, PREFIX_DIGITS));
        return prefix >= low && prefix <= high;
    }

    public boolean overlaps(BinRange other) {
        return low <= other.high && other.low <= high;
    }

    /** A prefix drawn uniformly from the range. */
    public String randomPrefix(RandomGenerator random) {
        return Integer.toString(random.nextInt(low, high + 1));
    }

    @Override
    public String toString() {
        return low + "-" + high;
    }
}
