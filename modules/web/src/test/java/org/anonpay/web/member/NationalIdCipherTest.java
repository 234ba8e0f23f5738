// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NationalIdCipherTest {

    private static final Path KEYS = Path.of(System.getProperty("anonpay.root", "../..")).resolve("cfg/keys");
    private static final String ENV_KEY = "3:" + "AB".repeat(32);

    @Test
    void roundTripWithTheDevelopmentKey() {
        NationalIdCipher cipher = NationalIdCipher.load(KEYS, Map.of());
        byte[] sealed = cipher.encrypt("900101-1234568", "member01");
        assertEquals(1, sealed[0], "key version first");
        assertEquals("900101-1234568", cipher.decrypt(sealed, "member01"));
        assertNotEquals(Arrays.toString(sealed), Arrays.toString(cipher.encrypt("900101-1234568", "member01")), "fresh nonce each time");
    }

    @Test
    void ciphertextIsBoundToItsMember() {
        NationalIdCipher cipher = NationalIdCipher.load(KEYS, Map.of());
        byte[] sealed = cipher.encrypt("900101-1234568", "member01");
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, "member02"));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, "member01"));
    }

    @Test
    void environmentKeyWinsAndOldVersionsStayReadable() {
        NationalIdCipher dev = NationalIdCipher.load(KEYS, Map.of());
        byte[] old = dev.encrypt("900101-1234568", "member01");
        NationalIdCipher rotated = NationalIdCipher.load(KEYS, Map.of(NationalIdCipher.ENV_KEY, ENV_KEY));
        byte[] fresh = rotated.encrypt("900101-1234568", "member01");
        assertEquals(3, fresh[0]);
        assertEquals("900101-1234568", rotated.decrypt(old, "member01"));
        assertThrows(IllegalStateException.class, () -> dev.decrypt(fresh, "member01"));
    }
}
