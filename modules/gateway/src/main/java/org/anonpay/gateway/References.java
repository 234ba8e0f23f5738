// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway;

import java.security.SecureRandom;

/**
 * Opaque identifiers the gateway hands out ({@code pur_…} purchases, {@code pay_…} payments,
 * {@code re_…} refunds, {@code evt_…} webhook events): a prefix and 26 lower-case base32
 * characters, 130 random bits. Unguessable, and no datum of anyone in them.
 */
public final class References {

    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final int CHARACTERS = 26;
    private static final SecureRandom RANDOM = new SecureRandom();

    private References() {}

    public static String random(String prefix) {
        StringBuilder s = new StringBuilder(prefix.length() + CHARACTERS).append(prefix);
        for (int i = 0; i < CHARACTERS; i++) s.append(BASE32[RANDOM.nextInt(BASE32.length)]);
        return s.toString();
    }

    /** Whether {@code value} has the form {@link #random} makes with {@code prefix}. */
    public static boolean looksLike(String prefix, String value) {
        return value != null && value.length() == prefix.length() + CHARACTERS && value.startsWith(prefix)
                && value.substring(prefix.length()).chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'));
    }
}
