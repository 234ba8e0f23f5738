// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MessageKeyTest {

    @Test
    void aRepeatHasTheKeyOfItsOriginal() {
        MessageKey original = new MessageKey("123456", "TERM0001", "000042", "1123101010", MessageKey.mtiClass("0200"));
        MessageKey repeat = new MessageKey("123456", "TERM0001", "000042", "1123101010", MessageKey.mtiClass("0201"));
        assertEquals(original, repeat);
        assertEquals(original.transferId("card"), repeat.transferId("card"));
    }

    @Test
    void field90sZeroFilledAcquirerNamesTheSameOriginal() {
        MessageKey fromField32 = new MessageKey("123456", "TERM0001", "000042", "1123101010", "020");
        MessageKey fromField90 = new MessageKey("00000123456", "TERM0001", "000042", "1123101010", "020");
        assertEquals(fromField32, fromField90);
    }

    @Test
    void eachLegAndEachMessageClassHasItsOwnTransferId() {
        MessageKey purchase = new MessageKey("123456", "TERM0001", "000042", "1123101010", "020");
        MessageKey reversal = new MessageKey("123456", "TERM0001", "000042", "1123101010", "040");
        assertNotEquals(purchase.transferId("card"), purchase.transferId("shortfall"));
        assertNotEquals(purchase.transferId("card"), reversal.transferId("card"));
    }

    @Test
    void theMtiClassIsThreeDigits() {
        assertThrows(IllegalArgumentException.class, () -> new MessageKey("1", "T", "000001", "1123101010", "02"));
    }

    @Test
    void aSensitivePanNeverPrintsInFull() {
        SensitivePan pan = new SensitivePan("9410000000000013");
        assertEquals("941000******0013", pan.toString());
        assertEquals("9410000000000013", pan.reveal());
    }
}
