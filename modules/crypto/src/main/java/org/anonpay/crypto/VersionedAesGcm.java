// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for secrets at rest (card numbers, national ID numbers) with rotatable keys:
 * {@code version(1) | nonce(12) | ciphertext | tag(16)}. The version byte and a caller's context
 * (e.g. the row's owner, so a value copied into another row does not open) are authenticated
 * as associated data. New values are sealed under the current version; every loaded version opens.
 */
public final class VersionedAesGcm {

    public static final int KEY_BYTES = 32;
    public static final int NONCE_BYTES = 12;
    public static final int TAG_BITS = 128;
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final byte[] NO_CONTEXT = {};

    private final String what;
    private final Map<Integer, SecretKeySpec> keys;
    private final int currentVersion;
    private final SecureRandom random = new SecureRandom();

    /** @param what what is sealed, for error messages ("card number"); never the value itself */
    public VersionedAesGcm(String what, Map<Integer, byte[]> keys, int currentVersion) {
        if (!keys.containsKey(currentVersion)) throw new IllegalArgumentException("no " + what + " key of the current version " + currentVersion);
        Map<Integer, SecretKeySpec> specs = new HashMap<>();
        keys.forEach((version, key) -> specs.put(checkedVersion(version), aesKey(what, version, key)));
        this.what = what;
        this.keys = Map.copyOf(specs);
        this.currentVersion = currentVersion;
    }

    /**
     * Keys {@code prefix + N} of {@code p}, current version {@code prefix + "current"} (default 1);
     * {@code envValue} ("hex" or "version:hex"), when set, adds a key and makes it current.
     */
    public static VersionedAesGcm fromProperties(String what, Properties p, String prefix, String envValue, String envName) {
        Map<Integer, byte[]> keys = new HashMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith(prefix) && name.substring(prefix.length()).matches("\\d+")) {
                keys.put(Integer.parseInt(name.substring(prefix.length())), KeyFiles.hex(p.getProperty(name), name));
            }
        }
        int current = Integer.parseInt(p.getProperty(prefix + "current", "1").trim());
        if (envValue != null && !envValue.isBlank()) {
            int colon = envValue.indexOf(':');
            current = colon < 0 ? current : Integer.parseInt(envValue.substring(0, colon).trim());
            keys.put(current, KeyFiles.hex(envValue.substring(colon + 1), envName));
        }
        if (keys.isEmpty()) throw new IllegalStateException("no " + what + " key: set " + prefix + "1 or " + envName);
        return new VersionedAesGcm(what, keys, current);
    }

    public byte[] seal(byte[] clear) {
        return seal(clear, NO_CONTEXT);
    }

    public byte[] seal(byte[] clear, byte[] context) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentVersion), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(currentVersion, context));
            byte[] sealed = cipher.doFinal(clear);
            byte[] out = new byte[1 + NONCE_BYTES + sealed.length];
            out[0] = (byte) currentVersion;
            System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, 1 + NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    public byte[] open(byte[] sealed) {
        return open(sealed, NO_CONTEXT);
    }

    /** @throws IllegalStateException when the value is not sealed, its key version is not loaded, or it was altered */
    public byte[] open(byte[] sealed, byte[] context) {
        if (sealed == null || sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8) throw new IllegalStateException("not an encrypted " + what);
        int version = sealed[0] & 0xff;
        SecretKeySpec key = keys.get(version);
        if (key == null) throw new IllegalStateException(what + " is encrypted under key version " + version + ", which is not loaded");
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            cipher.updateAAD(associatedData(version, context));
            return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("encrypted " + what + " failed authentication (altered, wrong key or wrong context)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    public int currentVersion() {
        return currentVersion;
    }

    public Set<Integer> versions() {
        return keys.keySet();
    }

    private static byte[] associatedData(int version, byte[] context) {
        byte[] aad = new byte[1 + context.length];
        aad[0] = (byte) version;
        System.arraycopy(context, 0, aad, 1, context.length);
        return aad;
    }

    private static int checkedVersion(int version) {
        if (version < 1 || version > 255) throw new IllegalArgumentException("key versions are 1-255: " + version);
        return version;
    }

    private static SecretKeySpec aesKey(String what, int version, byte[] key) {
        if (key == null || key.length != KEY_BYTES) throw new IllegalArgumentException(what + " key version " + version + " must be 32 bytes (AES-256)");
        return new SecretKeySpec(key, "AES");
    }

    @Override
    public String toString() {
        return "VersionedAesGcm[" + what + ", current=" + currentVersion + ", versions=" + keys.keySet() + "]";
    }
}
