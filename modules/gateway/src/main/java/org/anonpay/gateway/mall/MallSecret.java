// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.mall;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A mall's API credential: a public key id ({@code ak_…}, sent with each request) and a secret
 * ({@code sk_…}, shown once when made, never stored).
 *
 * <p>Why the gateway can verify HMAC signatures without storing the secret: HMAC-SHA256 first
 * replaces a key longer than its 64-byte block by the key's SHA-256 (RFC 2104, section 2). Every
 * secret here is 99 bytes, so {@code HMAC(secret, m) == HMAC(SHA-256(secret), m)}: the gateway keeps
 * only {@link #verificationKey() SHA-256(secret)}. That hash still signs, so it is sealed at rest
 * (AES-GCM, {@link Malls}); a database copy without the key file reveals neither.
 */
public final class MallSecret {

    /** Random bytes in a secret: 72 bytes → 96 base64url characters, 99 with the prefix. */
    private static final int SECRET_RANDOM_BYTES = 72;
    private static final int KEY_ID_RANDOM_BYTES = 12;
    private static final int HMAC_BLOCK_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String keyId;
    private final String secret;

    private MallSecret(String keyId, String secret) {
        this.keyId = keyId;
        this.secret = secret;
        assert secret.getBytes(StandardCharsets.US_ASCII).length > HMAC_BLOCK_BYTES : "the secret must exceed the HMAC block";
    }

    public static MallSecret generate() {
        return new MallSecret("ak_" + HexFormat.of().formatHex(random(KEY_ID_RANDOM_BYTES)),
                "sk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random(SECRET_RANDOM_BYTES)));
    }

    /** The public id of this secret: names which of a mall's (at most two) secrets signed a request. */
    public String keyId() {
        return keyId;
    }

    /** The secret, for the one time it is shown to ops staff. */
    public String reveal() {
        return secret;
    }

    /** SHA-256 of the secret: what HMAC-SHA256 actually keys on (see the class comment). */
    public byte[] verificationKey() {
        return verificationKeyOf(secret);
    }

    /** SHA-256 of {@code secret} (a mall's own tools may use it to check their secret). */
    public static byte[] verificationKeyOf(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static byte[] random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return b;
    }

    @Override
    public String toString() {
        return "MallSecret[" + keyId + "]"; // never the secret
    }
}
