// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.extissuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ChargeKeyTest {
    @Test
    void theSameIdAlwaysGivesTheSameKey() {
        assertEquals(ChargeKey.of("topup-42"), ChargeKey.of("topup-42"));
        assertNotEquals(ChargeKey.of("topup-42"), ChargeKey.of("topup-43"));
    }

    @Test
    void stansAreValidAndSpreadOut() {
        Set<ChargeKey> keys = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ChargeKey key = ChargeKey.of("charge-" + i);
            assertTrue(key.stan() >= 1 && key.stan() <= 999_999);
            keys.add(key);
        }
        assertEquals(10_000, keys.size());
    }
}
