// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class VersionedAesGcmTest {

    private static final byte[] K1 = new byte[32];
    private static final byte[] K2 = new byte[32];
    static {
        K1[0] = 1;
        K2[0] = 2;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void sealsAndOpensWithTheSameContextOnly() {
        VersionedAesGcm box = new VersionedAesGcm("secret", Map.of(1, K1), 1);
        byte[] sealed = box.seal(bytes("9410000000000013"), bytes("member01"));
        assertEquals(1, sealed[0]);
        assertArrayEquals(bytes("9410000000000013"), box.open(sealed, bytes("member01")));
        assertThrows(IllegalStateException.class, () -> box.open(sealed, bytes("member02")));
        assertThrows(IllegalStateException.class, () -> box.open(sealed));
    }

    @Test
    void anAlteredValueDoesNotOpen() {
        VersionedAesGcm box = new VersionedAesGcm("secret", Map.of(1, K1), 1);
        byte[] sealed = box.seal(bytes("abc"));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> box.open(sealed));
        byte[] otherVersion = box.seal(bytes("abc"));
        otherVersion[0] = 9;
        assertThrows(IllegalStateException.class, () -> box.open(otherVersion));
    }

    @Test
    void rotationSealsUnderTheNewKeyAndStillOpensTheOld() {
        VersionedAesGcm v1 = new VersionedAesGcm("secret", Map.of(1, K1), 1);
        VersionedAesGcm v2 = new VersionedAesGcm("secret", Map.of(1, K1, 2, K2), 2);
        byte[] old = v1.seal(bytes("abc"));
        byte[] fresh = v2.seal(bytes("abc"));
        assertEquals(2, fresh[0]);
        assertArrayEquals(bytes("abc"), v2.open(old));
        assertThrows(IllegalStateException.class, () -> v1.open(fresh));
    }

    @Test
    void keysFromPropertiesAndTheEnvironment() {
        Properties p = new Properties();
        p.setProperty("k.1", "01" + "00".repeat(31));
        p.setProperty("k.current", "1");
        assertEquals(1, VersionedAesGcm.fromProperties("secret", p, "k.", null, "ENV").currentVersion());
        VersionedAesGcm withEnv = VersionedAesGcm.fromProperties("secret", p, "k.", "3:" + "03".repeat(32), "ENV");
        assertEquals(3, withEnv.currentVersion());
        assertEquals(java.util.Set.of(1, 3), withEnv.versions());
        assertThrows(IllegalStateException.class, () -> VersionedAesGcm.fromProperties("secret", new Properties(), "k.", null, "ENV"));
        assertThrows(IllegalStateException.class, () -> VersionedAesGcm.fromProperties("secret", p, "k.", "zz", "ENV"));
    }

    @Test
    void keysMustBeAes256AndVersionsOneByte() {
        assertThrows(IllegalArgumentException.class, () -> new VersionedAesGcm("secret", Map.of(1, new byte[16]), 1));
        assertThrows(IllegalArgumentException.class, () -> new VersionedAesGcm("secret", Map.of(1, K1), 2));
        assertThrows(IllegalArgumentException.class, () -> new VersionedAesGcm("secret", Map.of(256, K1), 256));
    }
}
