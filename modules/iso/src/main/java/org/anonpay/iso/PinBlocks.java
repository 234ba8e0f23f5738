// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * ISO 9564-1 format 0 PIN blocks encrypted under a zone PIN key (ZPK), as a POS terminal or VAN sends
 * them in field 52.
 *
 * <p>The clear block is the PIN field {@code 0 L P P P P F F ... F} (L = PIN length) XORed with the PAN
 * field {@code 0000} + the 12 rightmost PAN digits excluding the check digit. It is encrypted with
 * two-key triple DES (K1 K2 K1) in ECB mode. The development ZPK is {@value #DEV_ZPK_FILE} at the
 * repository root; the host forms the same key under its LMK.
 *
 * <p>Clear PINs, clear blocks and keys never leave this class in a message or a log line.
 */
public final class PinBlocks {
    public static final String DEV_ZPK_FILE = "cfg/keys/dev-zpk.hex";
    public static final int BLOCK_BYTES = 8;
    private static final String TRANSFORMATION = "DESede/ECB/NoPadding";
    private static final HexFormat HEX = HexFormat.of();

    private PinBlocks() {
    }

    /** The 8-byte field 52 value: the ISO-0 block of {@code pin} for {@code pan}, encrypted under the clear ZPK. */
    public static byte[] encryptedIso0(String pan, String pin, String zpkHex) {
        byte[] clearBlock = clearIso0(pan, pin);
        try {
            return tripleDes(Cipher.ENCRYPT_MODE, clearBlock, zpkHex);
        } finally {
            Arrays.fill(clearBlock, (byte) 0);
        }
    }

    /** The development ZPK of a checkout: {@code <repoRoot>/cfg/keys/dev-zpk.hex}. */
    public static String devZpkHex(Path repoRoot) throws IOException {
        return zpkHex(repoRoot.resolve(DEV_ZPK_FILE));
    }

    /** A clear double-length key kept as one line of 32 hex digits (16 or 48 digits are accepted too). */
    public static String zpkHex(Path keyFile) throws IOException {
        String key = Files.readString(keyFile, StandardCharsets.US_ASCII).strip();
        requireKeyHex(key);
        return key;
    }

    /** The clear ISO-0 block. Package-private: only this class and its tests handle clear blocks. */
    static byte[] clearIso0(String pan, String pin) {
        requirePin(pin);
        byte[] pinField = HEX.parseHex(String.format("0%X%s", pin.length(), pin) + "F".repeat(14 - pin.length()));
        byte[] panField = HEX.parseHex("0000" + panDigitsForPinBlock(pan));
        byte[] block = new byte[BLOCK_BYTES];
        for (int i = 0; i < BLOCK_BYTES; i++) {
            block[i] = (byte) (pinField[i] ^ panField[i]);
        }
        Arrays.fill(pinField, (byte) 0);
        return block;
    }

    /** Triple DES in ECB without padding over whole 8-byte blocks. Package-private for tests. */
    static byte[] tripleDes(int mode, byte[] data, String zpkHex) {
        assert data.length % BLOCK_BYTES == 0 : "DES works on whole 8-byte blocks";
        byte[] key = tripleLengthKey(zpkHex);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(mode, new SecretKeySpec(key, "DESede"));
            return cipher.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("triple DES is unavailable: " + e.getMessage(), e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The 12 rightmost PAN digits excluding the check digit. */
    private static String panDigitsForPinBlock(String pan) {
        if (pan == null || pan.length() < 13 || pan.length() > 19 || !Digits.only(pan)) {
            throw new IllegalArgumentException("PAN must be 13 to 19 digits");
        }
        return pan.substring(pan.length() - 13, pan.length() - 1);
    }

    /** JCE's DESede takes K1 K2 K3; a double-length key K1 K2 is used as K1 K2 K1, a single key as K1 K1 K1. */
    private static byte[] tripleLengthKey(String zpkHex) {
        requireKeyHex(zpkHex);
        byte[] key = HEX.parseHex(zpkHex);
        byte[] expanded = new byte[24];
        for (int i = 0; i < expanded.length; i++) {
            expanded[i] = key[i % key.length];
        }
        Arrays.fill(key, (byte) 0);
        return expanded;
    }

    private static void requireKeyHex(String keyHex) {
        boolean hex = keyHex != null && keyHex.chars().allMatch(c -> Character.digit(c, 16) >= 0);
        if (!hex || (keyHex.length() != 16 && keyHex.length() != 32 && keyHex.length() != 48)) {
            throw new IllegalArgumentException("a DES key must be 16, 32 or 48 hex digits");
        }
    }

    private static void requirePin(String pin) {
        if (pin == null || pin.length() < 4 || pin.length() > 12 || !Digits.only(pin)) {
            throw new IllegalArgumentException("PIN must be 4 to 12 digits");
        }
    }

}
