// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/** The committed development keys and cards programs, and what a POS terminal does with them. */
final class TestKeys {

    private TestKeys() {}

    static Path root() {
        return Path.of(System.getProperty("anonpay.root", "../..")).toAbsolutePath().normalize();
    }

    static Path keysDir() {
        return root().resolve("cfg/keys");
    }

    static Path programsDir() {
        return root().resolve("cfg/programs");
    }

    /**
     * An ISO 9564 format 0 PIN block encrypted under the clear ZPK of cfg/keys/dev-zpk.hex with
     * plain JCE triple DES, as the POS simulator builds it: PIN field 0 | length | PIN | F…F,
     * XOR PAN field 0000 | 12 rightmost PAN digits without the check digit.
     */
    static byte[] iso0PinBlock(String pan, String pin) throws Exception {
        String pinField = ("0" + Integer.toHexString(pin.length()).toUpperCase() + pin + "FFFFFFFFFFFFFF").substring(0, 16);
        String panField = "0000" + pan.substring(pan.length() - 13, pan.length() - 1);
        return encryptUnderZpk(xor(HexFormat.of().parseHex(pinField), HexFormat.of().parseHex(panField)));
    }

    static byte[] encryptUnderZpk(byte[] clearBlock) throws Exception {
        byte[] zpk = HexFormat.of().parseHex(Files.readString(keysDir().resolve("dev-zpk.hex"), StandardCharsets.US_ASCII).trim());
        byte[] k1k2k1 = new byte[24];
        System.arraycopy(zpk, 0, k1k2k1, 0, 16);
        System.arraycopy(zpk, 0, k1k2k1, 16, 8);
        Cipher des = Cipher.getInstance("DESede/ECB/NoPadding");
        des.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k1k2k1, "DESede"));
        return des.doFinal(clearBlock);
    }

    /** assertEquals for card numbers and CVV2s: a failure names {@code what}, never the values. */
    static void assertSecret(String expected, String actual, String what) {
        org.junit.jupiter.api.Assertions.assertTrue(expected != null && expected.equals(actual), what + " differs (values not shown)");
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) out[i] = (byte) (a[i] ^ b[i]);
        return out;
    }
}
