// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.funding;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.anonpay.crypto.KeyFiles;
import org.anonpay.crypto.VersionedAesGcm;

/**
 * Funding source numbers (a credit card's PAN, a bank account number) at rest: AES-256-GCM with the
 * member and the kind as associated data (a ciphertext copied into another member's row does not
 * open there), and an HMAC-SHA256 look-up hash that finds the same source added twice without
 * decrypting every row.
 *
 * <p>Keys from {@value #KEYS_FILE} ({@code funding.key.<version>}, {@code funding.key.current},
 * {@code funding.lookup.key}); the environment variables {@value #ENV_KEY} ({@code hex} or
 * {@code version:hex}) and {@value #ENV_LOOKUP_KEY} win.
 */
public final class FundingCipher {

    public static final String KEYS_FILE = "dev-funding.properties";
    public static final String ENV_KEY = "ANONPAY_FUNDING_KEY";
    public static final String ENV_LOOKUP_KEY = "ANONPAY_FUNDING_LOOKUP_KEY";
    private static final String HMAC = "HmacSHA256";

    private final VersionedAesGcm box;
    private final SecretKeySpec lookupKey;

    FundingCipher(VersionedAesGcm box, byte[] lookupKey) {
        if (lookupKey == null || lookupKey.length < 32) throw new IllegalArgumentException("the funding look-up key must have at least 32 bytes");
        this.box = box;
        this.lookupKey = new SecretKeySpec(lookupKey, HMAC);
    }

    public static FundingCipher load(Path keysDir, Map<String, String> env) {
        Properties p = KeyFiles.read(keysDir.resolve(KEYS_FILE));
        VersionedAesGcm box = VersionedAesGcm.fromProperties("funding source number", p, "funding.key.", env.get(ENV_KEY), ENV_KEY);
        String lookup = env.getOrDefault(ENV_LOOKUP_KEY, p.getProperty("funding.lookup.key"));
        if (lookup == null || lookup.isBlank()) throw new IllegalStateException("no funding look-up key: set funding.lookup.key in " + KEYS_FILE + " or " + ENV_LOOKUP_KEY);
        return new FundingCipher(box, KeyFiles.hex(lookup, "funding look-up key"));
    }

    public byte[] encrypt(String number, long memberRef, FundingKind kind) {
        byte[] clear = number.getBytes(StandardCharsets.US_ASCII);
        try {
            return box.seal(clear, context(memberRef, kind));
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    /** @throws IllegalStateException when the key version is not loaded or the value was altered or moved */
    public String decrypt(byte[] encrypted, long memberRef, FundingKind kind) {
        byte[] clear = box.open(encrypted, context(memberRef, kind));
        try {
            return new String(clear, StandardCharsets.US_ASCII);
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    /**
     * HMAC-SHA256 over kind and number ({@code identity}: the PAN, or bank code + account number):
     * equal for the same source, useless to anyone without the key.
     */
    public byte[] lookupHash(FundingKind kind, String identity) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(lookupKey);
            return mac.doFinal((kind.name() + ":" + identity).getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    private static byte[] context(long memberRef, FundingKind kind) {
        return (memberRef + ":" + kind.name()).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "FundingCipher[" + box + "]";
    }
}
