// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CardVaultTest {

    private static final String PAN = "9410000012345670";
    private static final String KEY_1 = "11".repeat(32);
    private static final String KEY_2 = "22".repeat(32);
    private static final String LOOKUP = "33".repeat(32);

    private final CardVault vault = CardVault.load(TestKeys.keysDir(), Map.of());

    @Test
    void encryptionRoundTripsAndHidesTheNumber() {
        byte[] sealed = vault.encrypt(PAN);
        TestKeys.assertSecret(PAN, vault.decrypt(sealed), "decrypted PAN");
        assertEquals(1, sealed[0], "key version first");
        assertEquals(1 + 12 + PAN.length() + 16, sealed.length);
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains(PAN));
        assertFalse(HexFormat.of().formatHex(sealed).contains(PAN));
        assertFalse(Arrays.equals(sealed, vault.encrypt(PAN)), "a fresh nonce each time");
    }

    @Test
    void anAlteredCiphertextIsRefused() {
        byte[] sealed = vault.encrypt(PAN);
        sealed[sealed.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> vault.decrypt(sealed));
        byte[] otherVersion = vault.encrypt(PAN);
        otherVersion[0] = 7;
        assertThrows(IllegalStateException.class, () -> vault.decrypt(otherVersion));
    }

    @Test
    void lookupHashIsKeyedAndStable() {
        assertArrayEquals(vault.lookupHash(PAN), vault.lookupHash(PAN));
        assertEquals(32, vault.lookupHash(PAN).length);
        assertFalse(Arrays.equals(vault.lookupHash(PAN), vault.lookupHash("9410000012345688")));
        CardVault otherKey = CardVault.load(TestKeys.keysDir(), Map.of(CardVault.ENV_LOOKUP_KEY, LOOKUP));
        assertFalse(Arrays.equals(vault.lookupHash(PAN), otherKey.lookupHash(PAN)));
    }

    @Test
    void rotatedKeysStillDecryptOldNumbers() {
        CardVault v1 = new CardVault(Map.of(1, hex(KEY_1)), 1, hex(LOOKUP));
        CardVault v2 = new CardVault(Map.of(1, hex(KEY_1), 2, hex(KEY_2)), 2, hex(LOOKUP));
        byte[] old = v1.encrypt(PAN);
        byte[] fresh = v2.encrypt(PAN);
        assertEquals(2, fresh[0]);
        TestKeys.assertSecret(PAN, v2.decrypt(old), "PAN under the old key");
        assertThrows(IllegalStateException.class, () -> v1.decrypt(fresh));
    }

    @Test
    void environmentKeysWinOverTheFile() {
        CardVault fromEnv = CardVault.load(TestKeys.keysDir().resolve("no-such-folder"),
                Map.of(CardVault.ENV_PAN_KEY, "3:" + KEY_2, CardVault.ENV_LOOKUP_KEY, LOOKUP));
        byte[] sealed = fromEnv.encrypt(PAN);
        assertEquals(3, sealed[0]);
        TestKeys.assertSecret(PAN, new CardVault(Map.of(3, hex(KEY_2)), 3, hex(LOOKUP)).decrypt(sealed), "PAN under the env key");
        assertThrows(IllegalStateException.class, () -> CardVault.load(TestKeys.keysDir().resolve("no-such-folder"), Map.of()));
    }

    @Test
    void weakKeysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CardVault(Map.of(1, new byte[16]), 1, hex(LOOKUP)));
        assertThrows(IllegalArgumentException.class, () -> new CardVault(Map.of(1, hex(KEY_1)), 2, hex(LOOKUP)));
        assertThrows(IllegalArgumentException.class, () -> new CardVault(Map.of(1, hex(KEY_1)), 1, new byte[8]));
    }

    @Test
    void maskShowsFirstSixAndLastFour() {
        assertEquals("941000******5670", CardVault.mask(PAN));
        assertEquals("622126******7890", CardVault.mask("6221260123454567890"), "19 digits: the middle nine go");
        assertEquals("********", CardVault.mask("12345678"));
        assertEquals("", CardVault.mask(null));
        assertTrue(CardVault.mask(PAN).chars().filter(c -> c == '*').count() == 6);
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }
}
