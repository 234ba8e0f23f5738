// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.signing;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 in lower-case hex, and the constant-time comparison every check must use. */
public final class Hmac {

    private Hmac() {}

    public static String sha256Hex(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) mac.update(part);
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Equal without telling, by its timing, how many leading characters matched. */
    public static boolean equalsConstantTime(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                given.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
