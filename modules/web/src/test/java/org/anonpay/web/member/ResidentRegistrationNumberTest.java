// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ResidentRegistrationNumberTest {

    @Test
    void checkDigit() {
        // 900101-123456C: weights 2..9,2..5 -> sum 2*9+3*0+4*0+5*1+6*0+7*1+8*1+9*2+2*3+3*4+4*5+5*6 = 124; (11 - 124 % 11) % 10 = 8
        assertNull(ResidentRegistrationNumber.check("900101-1234568"));
        assertEquals(ResidentRegistrationNumber.Problem.CHECK_DIGIT, ResidentRegistrationNumber.check("900101-1234567"));
    }

    @Test
    void numbersOfBirthsSinceOctober2020HaveNoCheckDigit() {
        // 2020-09-30 still carries one; 2020-10-01 and later do not, so any last digit is accepted
        assertEquals(ResidentRegistrationNumber.Problem.CHECK_DIGIT, ResidentRegistrationNumber.check("200930-3000000"));
        for (int last = 0; last <= 9; last++) {
            assertNull(ResidentRegistrationNumber.check("201001-481726" + last));
            assertNull(ResidentRegistrationNumber.check("230517-392845" + last));
        }
    }

    @Test
    void formatAndDate() {
        assertEquals(ResidentRegistrationNumber.Problem.FORMAT, ResidentRegistrationNumber.check("9001011234568"));
        assertEquals(ResidentRegistrationNumber.Problem.FORMAT, ResidentRegistrationNumber.check(null));
        assertEquals(ResidentRegistrationNumber.Problem.DATE, ResidentRegistrationNumber.check("900230-1234568"));
    }

    @Test
    void centuryFromTheSeventhDigit() {
        assertEquals(LocalDate.of(1990, 1, 1), ResidentRegistrationNumber.birthDate("900101-1000000"));
        assertEquals(LocalDate.of(2001, 1, 1), ResidentRegistrationNumber.birthDate("010101-4000000"));
        assertEquals(LocalDate.of(1899, 1, 1), ResidentRegistrationNumber.birthDate("990101-9000000"));
        assertEquals(LocalDate.of(1985, 1, 1), ResidentRegistrationNumber.birthDate("850101-5000000"));
    }

    @Test
    void maskKeepsDateAndSexDigitOnly() {
        assertEquals("900101-1******", ResidentRegistrationNumber.mask("900101-1234568"));
    }
}
