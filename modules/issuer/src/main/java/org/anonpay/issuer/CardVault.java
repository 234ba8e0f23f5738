// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

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
 * Card numbers at rest. A PAN is stored encrypted with AES-256-GCM as
 * {@code version(1) || nonce(12) || ciphertext || tag(16)}, the key-version byte also bound in as
 * associated data, so keys can be rotated: new numbers use the current version, old ones stay
 * readable while their key is kept. A card is found by its keyed look-up hash
 * HMAC-SHA256(lookupKey, PAN), which reveals nothing about the PAN without the key.
 *
 * <p>Keys come from {@value #KEYS_FILE} in the keys folder; the environment variables
 * {@value #ENV_PAN_KEY} ({@code hex} or {@code version:hex}) and {@value #ENV_LOOKUP_KEY} win.
 */
public final class CardVault {

    public static final String KEYS_FILE = "dev-vault.properties";
    public static final String ENV_PAN_KEY = "ANONPAY_VAULT_PAN_KEY";
    public static final String ENV_LOOKUP_KEY = "ANONPAY_VAULT_LOOKUP_KEY";
    public static final int LOOKUP_HASH_LENGTH = 32;

    private static final String HMAC = "HmacSHA256";

    private final VersionedAesGcm panBox;
    private final SecretKeySpec lookupKey;

    /**
     * @param panKeys        AES-256 keys by version (1–255)
     * @param currentVersion the version new card numbers are encrypted under
     * @param lookupKey      HMAC key of the look-up hash, at least 32 bytes
     */
    public CardVault(Map<Integer, byte[]> panKeys, int currentVersion, byte[] lookupKey) {
        this(new VersionedAesGcm("card number", panKeys, currentVersion), lookupKey);
    }

    private CardVault(VersionedAesGcm panBox, byte[] lookupKey) {
        if (lookupKey == null || lookupKey.length < LOOKUP_HASH_LENGTH) throw new IllegalArgumentException("the look-up key must have at least 32 bytes");
        this.panBox = panBox;
        this.lookupKey = new SecretKeySpec(lookupKey, HMAC);
    }

    /** Keys from {@code keysDir/}{@value #KEYS_FILE} with the process environment on top. */
    public static CardVault load(Path keysDir) {
        return load(keysDir, System.getenv());
    }

    /** Keys from {@code keysDir/}{@value #KEYS_FILE} (may be missing if {@code env} has both keys), {@code env} on top. */
    public static CardVault load(Path keysDir, Map<String, String> env) {
        Properties p = KeyFiles.read(keysDir.resolve(KEYS_FILE));
        VersionedAesGcm panBox = VersionedAesGcm.fromProperties("card number", p, "pan.key.", env.get(ENV_PAN_KEY), ENV_PAN_KEY);
        String lookup = env.getOrDefault(ENV_LOOKUP_KEY, p.getProperty("lookup.key"));
        if (lookup == null || lookup.isBlank()) throw new IllegalStateException("no card look-up key: set lookup.key in " + KEYS_FILE + " or " + ENV_LOOKUP_KEY);
        return new CardVault(panBox, KeyFiles.hex(lookup, "lookup key"));
    }

    /** The PAN encrypted under the current key version. */
    public byte[] encrypt(String pan) {
        byte[] clear = pan.getBytes(StandardCharsets.US_ASCII);
        try {
            return panBox.seal(clear);
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    /**
     * The PAN from {@link #encrypt}'s output.
     *
     * @throws IllegalStateException when the key version is unknown or the ciphertext was altered
     */
    public String decrypt(byte[] encrypted) {
        byte[] clear = panBox.open(encrypted);
        try {
            return new String(clear, StandardCharsets.US_ASCII);
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    /** HMAC-SHA256(lookupKey, PAN): 32 bytes, the card's unique look-up key in the database. */
    public byte[] lookupHash(String pan) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(lookupKey);
            return mac.doFinal(pan.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    /**
     * The card number as it may appear in logs, screens and reports: first 6 digits,
     * {@code ******}, last 4 (e.g. {@code 941000******0016}). Anything too short to have both
     * ends is masked completely.
     */
    public static String mask(String pan) {
        if (pan == null) return "";
        if (pan.length() < 13) return "*".repeat(pan.length());
        return pan.substring(0, 6) + "******" + pan.substring(pan.length() - 4);
    }

    @Override
    public String toString() {
        return "CardVault[panKeyVersion=" + panBox.currentVersion() + ", versions=" + panBox.versions() + "]";
    }
}
