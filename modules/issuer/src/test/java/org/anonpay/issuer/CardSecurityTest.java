// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CardSecurityTest {

    /** The published demo card (README): KRW-PREPAID, expiry 2030-12. */
    static final String DEMO_PAN = "9410000000000013";
    static final YearMonth DEMO_EXPIRY = YearMonth.of(2030, 12);
    static final String DEMO_CVV2 = "639";

    private static final CardSecurity SECURITY = new CardSecurity(TestKeys.keysDir());

    @Test
    void cvv2VerifiesOnlyForItsCardAndExpiry() {
        String cvv2 = SECURITY.cvv2(DEMO_PAN, DEMO_EXPIRY);
        assertTrue(cvv2.matches("\\d{3}"));
        assertTrue(SECURITY.verifyCvv2(DEMO_PAN, DEMO_EXPIRY, cvv2));
        assertFalse(SECURITY.verifyCvv2(DEMO_PAN, DEMO_EXPIRY, String.format("%03d", (Integer.parseInt(cvv2) + 1) % 1000)));
        assertNotEquals(cvv2, SECURITY.cvv2(DEMO_PAN, DEMO_EXPIRY.plusMonths(1)), "the expiry is part of the CVV2");
        assertNotEquals(cvv2, SECURITY.cvv2("9410000000000021", DEMO_EXPIRY), "so is the card number");
        assertFalse(SECURITY.verifyCvv2(DEMO_PAN, DEMO_EXPIRY, null));
        assertFalse(SECURITY.verifyCvv2(DEMO_PAN, DEMO_EXPIRY, "12"));
        assertFalse(SECURITY.verifyCvv2(DEMO_PAN, DEMO_EXPIRY, "1234"));
    }

    @Test
    void theDemoCardHasItsPublishedCvv2() {
        assertTrue(Luhn.luhnValid(DEMO_PAN));
        TestKeys.assertSecret(DEMO_CVV2, SECURITY.cvv2(DEMO_PAN, DEMO_EXPIRY), "demo card CVV2 (changed dev keys? update the README's demo card)");
    }

    @Test
    void pinBlockUnderTheZpkVerifiesAgainstThePvv() throws Exception {
        String pvv = SECURITY.pvv(DEMO_PAN, "4321".toCharArray());
        assertTrue(pvv.matches("\\d{4}"));
        assertEquals(PinVerification.VERIFIED, SECURITY.verifyPinBlock(DEMO_PAN, TestKeys.iso0PinBlock(DEMO_PAN, "4321"), pvv));
        assertEquals(PinVerification.WRONG_PIN, SECURITY.verifyPinBlock(DEMO_PAN, TestKeys.iso0PinBlock(DEMO_PAN, "4322"), pvv));
        assertEquals(PinVerification.WRONG_PIN, SECURITY.verifyPinBlock(DEMO_PAN, TestKeys.iso0PinBlock(DEMO_PAN, "43210"), pvv),
                "the PVV covers four digits only: a longer PIN must not pass on its first four");
    }

    @Test
    void thePvvDependsOnTheCardNumber() {
        assertNotEquals(SECURITY.pvv(DEMO_PAN, "4321".toCharArray()), SECURITY.pvv("9410000000000021", "4321".toCharArray()));
    }

    @Test
    void aMalformedBlockIsAFormatError() throws Exception {
        String pvv = SECURITY.pvv(DEMO_PAN, "4321".toCharArray());
        assertEquals(PinVerification.FORMAT_ERROR, SECURITY.verifyPinBlock(DEMO_PAN, new byte[7], pvv));
        assertEquals(PinVerification.FORMAT_ERROR, SECURITY.verifyPinBlock(DEMO_PAN, null, pvv));
        // a clear block of F's decrypts to nothing like format 0
        byte[] garbage = TestKeys.encryptUnderZpk(new byte[] {(byte) 0x3F, 1, 2, 3, 4, 5, 6, 7});
        assertEquals(PinVerification.FORMAT_ERROR, SECURITY.verifyPinBlock(DEMO_PAN, garbage, pvv));
    }

    @Test
    void keysThatDoNotMatchTheirCheckValueStopTheStart(@TempDir Path dir) throws IOException {
        for (String f : new String[] {"dev.lmk", "dev-zpk.hex", "dev-keys.properties"}) {
            Files.copy(TestKeys.keysDir().resolve(f), dir.resolve(f));
        }
        Path keys = dir.resolve("dev-keys.properties");
        String text = Files.readString(keys);
        String cvkA = text.lines().filter(l -> l.startsWith("cvk.a=")).findFirst().orElseThrow();
        Files.writeString(keys, text.replace(cvkA, "cvk.a=0123456789ABCDEF"));
        var e = assertThrows(IllegalStateException.class, () -> new CardSecurity(dir));
        assertTrue(e.getMessage().contains("cvk.a"), e.getMessage());
    }
}
