// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LuhnTest {

    @Test
    void knownNumbersAreValid() {
        assertTrue(Luhn.luhnValid("4111111111111111"));
        assertTrue(Luhn.luhnValid("5555555555554444"));
        assertTrue(Luhn.luhnValid("378282246310005"));
        assertTrue(Luhn.luhnValid("6011111111111117"));
    }

    @Test
    void oneChangedDigitOrSwappedNeighboursAreCaught() {
        assertFalse(Luhn.luhnValid("4111111111111112"));
        assertFalse(Luhn.luhnValid("4111111111111121"));
        assertFalse(Luhn.luhnValid("1411111111111111"));
    }

    @Test
    void nonDigitsAndOddLengthsAreInvalid() {
        assertFalse(Luhn.luhnValid(null));
        assertFalse(Luhn.luhnValid(""));
        assertFalse(Luhn.luhnValid("4111 1111 1111 1111"));
        assertFalse(Luhn.luhnValid("00000000000"));
        assertFalse(Luhn.luhnValid("41111111111111111111"));
    }

    @Test
    void checkDigitCompletesANumber() {
        assertEquals('1', Luhn.luhnCheckDigit("411111111111111"));
        assertEquals('3', Luhn.luhnCheckDigit("7992739871"));
        assertEquals('0', Luhn.luhnCheckDigit("0"));
        for (int i = 0; i < 1000; i++) {
            String partial = String.format("9410%011d", i * 7_919_113L);
            assertTrue(Luhn.luhnValid(partial + Luhn.luhnCheckDigit(partial)));
        }
        assertThrows(IllegalArgumentException.class, () -> Luhn.luhnCheckDigit("12a4"));
    }
}
