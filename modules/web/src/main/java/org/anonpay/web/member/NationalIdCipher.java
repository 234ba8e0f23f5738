// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.member;

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
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * National ID numbers at rest: AES-256-GCM, stored as {@code version(1) || nonce(12) || ciphertext || tag(16)}.
 * The associated data is the key version and the member's ID key, so a ciphertext copied into
 * another member's row does not decrypt there.
 *
 * <p>Keys from {@value #KEYS_FILE} ({@code national-id.key.<version>}, {@code national-id.key.current});
 * the environment variable {@value #ENV_KEY} ({@code hex} or {@code version:hex}) wins.
 */
public final class NationalIdCipher {

    public static final String KEYS_FILE = "dev-member.properties";
    public static final String ENV_KEY = "ANONPAY_MEMBER_KEY";
    private static final String KEY_PREFIX = "national-id.key.";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String CIPHER = "AES/GCM/NoPadding";

    private final Map<Integer, SecretKeySpec> keys;
    private final int currentVersion;
    private final SecureRandom random = new SecureRandom();

    public NationalIdCipher(Map<Integer, byte[]> keys, int currentVersion) {
        if (!keys.containsKey(currentVersion)) throw new IllegalArgumentException("no national ID key of the current version " + currentVersion);
        Map<Integer, SecretKeySpec> specs = new HashMap<>();
        keys.forEach((version, key) -> specs.put(checkedVersion(version), aesKey(version, key)));
        this.keys = Map.copyOf(specs);
        this.currentVersion = currentVersion;
    }

    public static NationalIdCipher load(Path keysDir, Map<String, String> env) {
        Properties p = read(keysDir.resolve(KEYS_FILE));
        Map<Integer, byte[]> keys = new HashMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.matches("national-id\\.key\\.\\d+")) keys.put(Integer.parseInt(name.substring(KEY_PREFIX.length())), hex(p.getProperty(name), name));
        }
        int current = Integer.parseInt(p.getProperty(KEY_PREFIX + "current", "1").trim());
        String fromEnv = env.get(ENV_KEY);
        if (fromEnv != null && !fromEnv.isBlank()) {
            int colon = fromEnv.indexOf(':');
            current = colon < 0 ? current : Integer.parseInt(fromEnv.substring(0, colon).trim());
            keys.put(current, hex(fromEnv.substring(colon + 1), ENV_KEY));
        }
        if (keys.isEmpty()) throw new IllegalStateException("no national ID key: set " + KEY_PREFIX + "1 in " + KEYS_FILE + " or " + ENV_KEY);
        return new NationalIdCipher(keys, current);
    }

    private static Properties read(Path file) {
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
            throw new IllegalStateException(what + " is not hex"); // never echo a key
        }
    }

    private static int checkedVersion(int version) {
        if (version < 1 || version > 255) throw new IllegalArgumentException("key versions are 1-255: " + version);
        return version;
    }

    private static SecretKeySpec aesKey(int version, byte[] key) {
        if (key == null || key.length != KEY_BYTES) throw new IllegalArgumentException("national ID key version " + version + " must be 32 bytes (AES-256)");
        return new SecretKeySpec(key, "AES");
    }

    public byte[] encrypt(String nationalId, String memberIdKey) {
        byte[] clear = nationalId.getBytes(StandardCharsets.US_ASCII);
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentVersion), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(currentVersion, memberIdKey));
            byte[] sealed = cipher.doFinal(clear);
            byte[] out = new byte[1 + NONCE_BYTES + sealed.length];
            out[0] = (byte) currentVersion;
            System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, 1 + NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    /** @throws IllegalStateException when the key version is not loaded or the data was altered or belongs to another member */
    public String decrypt(byte[] encrypted, String memberIdKey) {
        if (encrypted == null || encrypted.length < 1 + NONCE_BYTES + TAG_BITS / 8) throw new IllegalStateException("not an encrypted national ID");
        int version = encrypted[0] & 0xff;
        SecretKeySpec key = keys.get(version);
        if (key == null) throw new IllegalStateException("national ID encrypted under key version " + version + ", which is not loaded");
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, encrypted, 1, NONCE_BYTES));
            cipher.updateAAD(aad(version, memberIdKey));
            byte[] clear = cipher.doFinal(encrypted, 1 + NONCE_BYTES, encrypted.length - 1 - NONCE_BYTES);
            return new String(clear, StandardCharsets.US_ASCII);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("encrypted national ID failed authentication (altered, wrong key or other member)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    private static byte[] aad(int version, String memberIdKey) {
        byte[] id = memberIdKey.getBytes(StandardCharsets.UTF_8);
        byte[] aad = new byte[1 + id.length];
        aad[0] = (byte) version;
        System.arraycopy(id, 0, aad, 1, id.length);
        return aad;
    }

    @Override
    public String toString() {
        return "NationalIdCipher[current=" + currentVersion + ", versions=" + keys.keySet() + "]";
    }
}
