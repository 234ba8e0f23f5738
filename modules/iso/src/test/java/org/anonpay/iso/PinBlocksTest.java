// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.Cipher;

import org.junit.jupiter.api.Test;

class PinBlocksTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String PAN = "4111111111111111";

    @Test
    void clearIso0BlockMatchesTheStandardLayout() {
        // PIN field 041234FFFFFFFFFF xor PAN field 0000111111111111 (12 rightmost digits without the check digit)
        assertEquals("041225EEEEEEEEEE", HEX.formatHex(PinBlocks.clearIso0(PAN, "1234")));
        // PIN field 06123456FFFFFFFF xor PAN field 0000234567890123
        assertEquals("061217139876FEDC", HEX.formatHex(PinBlocks.clearIso0("5412345678901234", "123456")));
    }

    @Test
    void encryptedBlockDecryptsBackUnderTheDevZpk() throws Exception {
        String zpk = PinBlocks.devZpkHex(repoRoot());
        byte[] encrypted = PinBlocks.encryptedIso0(PAN, "1234", zpk);
        assertEquals(PinBlocks.BLOCK_BYTES, encrypted.length);
        assertFalse(Arrays.equals(encrypted, PinBlocks.clearIso0(PAN, "1234")));
        byte[] clear = PinBlocks.tripleDes(Cipher.DECRYPT_MODE, encrypted, zpk);
        assertArrayEquals(PinBlocks.clearIso0(PAN, "1234"), clear);
        assertEquals("1234", pinFrom(clear, PAN));
    }

    @Test
    void doubleLengthKeyActsAsK1K2K1() {
        String k1k2 = "0123456789ABCDEFFEDCBA9876543210";
        byte[] block = PinBlocks.clearIso0(PAN, "9876");
        assertArrayEquals(PinBlocks.tripleDes(Cipher.ENCRYPT_MODE, block, k1k2 + k1k2.substring(0, 16)),
                PinBlocks.tripleDes(Cipher.ENCRYPT_MODE, block, k1k2));
    }

    @Test
    void zpkFileMustHoldHex() throws Exception {
        Path bad = Files.createTempFile("zpk", ".hex");
        try {
            Files.writeString(bad, "not a key\n");
            assertThrows(IllegalArgumentException.class, () -> PinBlocks.zpkHex(bad));
        } finally {
            Files.delete(bad);
        }
    }

    @Test
    void badPinOrPanIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PinBlocks.clearIso0(PAN, "123"));
        assertThrows(IllegalArgumentException.class, () -> PinBlocks.clearIso0(PAN, "12a4"));
        assertThrows(IllegalArgumentException.class, () -> PinBlocks.clearIso0("411111", "1234"));
    }

    /** Reverses the ISO-0 construction: the test's own decoder, independent of the code under test. */
    private static String pinFrom(byte[] clearBlock, String pan) {
        byte[] panField = HEX.parseHex("0000" + pan.substring(pan.length() - 13, pan.length() - 1));
        byte[] pinField = new byte[8];
        for (int i = 0; i < 8; i++) {
            pinField[i] = (byte) (clearBlock[i] ^ panField[i]);
        }
        String hex = HEX.formatHex(pinField);
        int length = Character.digit(hex.charAt(1), 16);
        return hex.substring(2, 2 + length);
    }

    static Path repoRoot() {
        String configured = System.getProperty("anonpay.root");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(PinBlocks.DEV_ZPK_FILE))) {
                return p;
            }
        }
        throw new IllegalStateException("no " + PinBlocks.DEV_ZPK_FILE + " above " + start);
    }
}
