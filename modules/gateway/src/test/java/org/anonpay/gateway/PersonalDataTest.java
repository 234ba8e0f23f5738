// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.anonpay.gateway.purchase.PersonalData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PersonalDataTest {

    @ParameterizedTest
    @ValueSource(strings = {"hong@example.com", "buyer hong@example.co.kr", "010-1234-5678", "01012345678", "+82 10 1234 5678",
            "+821012345678", "4111-1111-1111-1111", "4111 1111 1111 1111", "4111111111111111", "card 9410000000000013",
            "5555555555554444", "378282246310005"})
    void personalDataIsRecognised(String value) {
        assertTrue(PersonalData.looksPersonal(value), value);
    }

    /** Order ids and goods names a real mall uses: dates, counters, long numbers that are not cards. */
    @ParameterizedTest
    @ValueSource(strings = {"TEA-261124103602-001de", "ORD-2026-0001", "2026112400012345", "20261124000123456", "cust-77",
            "Celadon mug", "ORD-010-2024", "4111111111111112", "INV 1234 5678 9012", "item-0100-2000-3000"})
    void ordinaryIdentifiersAreNot(String value) {
        assertFalse(PersonalData.looksPersonal(value), value);
    }
}
