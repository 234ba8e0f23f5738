// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.extissuer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The STAN (field 11) and transmission time (field 7) of a charge, derived from the caller's charge id
 * alone. A charge retried with the same id (after a crash, or a second click) therefore carries the same
 * message key, and the issuer answers it as a repeat instead of charging the card twice; its reversal
 * can be rebuilt from the id too. The time is a stand-in, not the moment of sending: field 7 holds only
 * MMDDhhmmss, and both parts together give about 3·10^13 keys, so two ids meet with negligible odds.
 */
record ChargeKey(int stan, Instant transmissionTime) {
    private static final int MAX_STAN = 999_999;
    /** Any year: field 7 does not carry it. 2000 is a leap year, so day 29 of February would exist too. */
    private static final int YEAR = 2000;

    static ChargeKey of(String chargeId) {
        long bits = digest(chargeId) & Long.MAX_VALUE;
        int stan = 1 + (int) (bits % MAX_STAN);
        bits /= MAX_STAN;
        int month = 1 + (int) (bits % 12);
        bits /= 12;
        int day = 1 + (int) (bits % 28); // every month has 28 days
        bits /= 28;
        int hour = (int) (bits % 24);
        bits /= 24;
        int minute = (int) (bits % 60);
        bits /= 60;
        int second = (int) (bits % 60);
        return new ChargeKey(stan, LocalDateTime.of(YEAR, month, day, hour, minute, second).toInstant(ZoneOffset.UTC));
    }

    private static long digest(String id) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                bits = (bits << 8) | (hash[i] & 0xFF);
            }
            return bits;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
