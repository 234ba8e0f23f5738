// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** 32-byte random tokens (session ids, CSRF tokens, reset tokens) in unpadded base64url, and their SHA-256. */
public final class Tokens {

    public static final int BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {}

    /** A new token as the client sees it (43 characters). */
    public static String newToken() {
        byte[] raw = new byte[BYTES];
        RANDOM.nextBytes(raw);
        return ENCODER.encodeToString(raw);
    }

    /** SHA-256 of a token's 32 bytes, or null if {@code token} is not a well-formed token. */
    public static byte[] hash(String token) {
        if (token == null || token.length() != 43) return null;
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return raw.length == BYTES ? sha256(raw) : null;
    }

    /** SHA-256 of a text (throttle subjects). */
    public static byte[] hashText(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
