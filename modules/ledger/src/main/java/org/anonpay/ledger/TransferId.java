// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 128-bit transfer id chosen by the caller, so that a retried request carries the same id and
 * the ledger moves its money once. Derive it from what makes the request unique
 * (e.g. acquirer, terminal, STAN, transmission time) with {@link #derive}.
 */
public record TransferId(byte[] bytes) {

    public static final int LENGTH = 16;

    public TransferId {
        if (bytes == null || bytes.length != LENGTH) throw new IllegalArgumentException("transfer id must be 16 bytes");
        bytes = bytes.clone();
    }

    /** SHA-256 of the parts (joined with an unambiguous separator), first 16 bytes. */
    public static TransferId derive(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                byte[] b = part.getBytes(StandardCharsets.UTF_8);
                sha.update((byte) (b.length >>> 8));
                sha.update((byte) b.length);
                sha.update(b);
            }
            return new TransferId(Arrays.copyOf(sha.digest(), LENGTH));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is always present", e);
        }
    }

    public static TransferId parse(String hex) {
        return new TransferId(HexFormat.of().parseHex(hex));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransferId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
