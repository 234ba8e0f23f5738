// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

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

    private static final int KEY_LENGTH = 32;
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final String HMAC = "HmacSHA256";

    private final Map<Integer, SecretKeySpec> panKeys;
    private final int currentVersion;
    private final SecretKeySpec lookupKey;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param panKeys        AES-256 keys by version (1–255)
     * @param currentVersion the version new card numbers are encrypted under
     * @param lookupKey      HMAC key of the look-up hash, at least 32 bytes
     */
    public CardVault(Map<Integer, byte[]> panKeys, int currentVersion, byte[] lookupKey) {
        if (!panKeys.containsKey(currentVersion)) throw new IllegalArgumentException("no PAN key of the current version " + currentVersion);
        Map<Integer, SecretKeySpec> keys = new HashMap<>();
        panKeys.forEach((version, key) -> keys.put(checkedVersion(version), aesKey(version, key)));
        this.panKeys = Map.copyOf(keys);
        this.currentVersion = currentVersion;
        if (lookupKey == null || lookupKey.length < KEY_LENGTH) throw new IllegalArgumentException("the look-up key must have at least 32 bytes");
        this.lookupKey = new SecretKeySpec(lookupKey, HMAC);
    }

    /** Keys from {@code keysDir/}{@value #KEYS_FILE} with the process environment on top. */
    public static CardVault load(Path keysDir) {
        return load(keysDir, System.getenv());
    }

    /** Keys from {@code keysDir/}{@value #KEYS_FILE} (may be missing if {@code env} has both keys), {@code env} on top. */
    public static CardVault load(Path keysDir, Map<String, String> env) {
        Properties p = readKeys(keysDir.resolve(KEYS_FILE));
        Map<Integer, byte[]> panKeys = new HashMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.matches("pan\\.key\\.\\d+")) panKeys.put(Integer.parseInt(name.substring(8)), hex(p.getProperty(name), name));
        }
        int current = Integer.parseInt(p.getProperty("pan.key.current", "1").trim());
        String envPanKey = env.get(ENV_PAN_KEY);
        if (envPanKey != null && !envPanKey.isBlank()) {
            int colon = envPanKey.indexOf(':');
            current = colon < 0 ? current : Integer.parseInt(envPanKey.substring(0, colon).trim());
            panKeys.put(current, hex(envPanKey.substring(colon + 1), ENV_PAN_KEY));
        }
        String lookup = env.getOrDefault(ENV_LOOKUP_KEY, p.getProperty("lookup.key"));
        if (lookup == null || lookup.isBlank()) throw new IllegalStateException("no card look-up key: set lookup.key in " + KEYS_FILE + " or " + ENV_LOOKUP_KEY);
        return new CardVault(panKeys, current, hex(lookup, "lookup key"));
    }

    private static Properties readKeys(Path file) {
        Properties p = new Properties();
        if (!Files.isRegularFile(file)) return p;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            return p;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static byte[] hex(String value, String what) {
        try {
            return HexFormat.of().parseHex(value.trim());
        } catch (IllegalArgumentException e) {
            // never echo the value: it is a key
            throw new IllegalStateException(what + " is not hex");
        }
    }

    private static int checkedVersion(int version) {
        if (version < 1 || version > 255) throw new IllegalArgumentException("PAN key versions are 1-255: " + version);
        return version;
    }

    private static SecretKeySpec aesKey(int version, byte[] key) {
        if (key == null || key.length != KEY_LENGTH) throw new IllegalArgumentException("PAN key version " + version + " must be 32 bytes (AES-256)");
        return new SecretKeySpec(key, "AES");
    }

    /** The PAN encrypted under the current key version. */
    public byte[] encrypt(String pan) {
        byte[] clear = pan.getBytes(StandardCharsets.US_ASCII);
        try {
            byte[] nonce = new byte[NONCE_LENGTH];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.ENCRYPT_MODE, panKeys.get(currentVersion), new GCMParameterSpec(TAG_BITS, nonce));
            byte[] version = {(byte) currentVersion};
            cipher.updateAAD(version);
            byte[] sealed = cipher.doFinal(clear);
            byte[] out = new byte[1 + NONCE_LENGTH + sealed.length];
            out[0] = version[0];
            System.arraycopy(nonce, 0, out, 1, NONCE_LENGTH);
            System.arraycopy(sealed, 0, out, 1 + NONCE_LENGTH, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
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
        if (encrypted == null || encrypted.length < 1 + NONCE_LENGTH + TAG_BITS / 8) throw new IllegalStateException("not an encrypted card number");
        int version = encrypted[0] & 0xff;
        SecretKeySpec key = panKeys.get(version);
        if (key == null) throw new IllegalStateException("card number is encrypted under PAN key version " + version + ", which is not loaded");
        byte[] clear = null;
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, encrypted, 1, NONCE_LENGTH));
            cipher.updateAAD(encrypted, 0, 1);
            clear = cipher.doFinal(encrypted, 1 + NONCE_LENGTH, encrypted.length - 1 - NONCE_LENGTH);
            return new String(clear, StandardCharsets.US_ASCII);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("encrypted card number failed authentication (altered, or wrong key)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        } finally {
            if (clear != null) Arrays.fill(clear, (byte) 0);
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
        return "CardVault[panKeyVersion=" + currentVersion + ", versions=" + panKeys.keySet() + "]";
    }
}
