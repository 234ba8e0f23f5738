// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.Test;

class FieldFormatsTest {

    @Test
    void originalDataFormatsTo42DigitsWithZeroFilledInstitutions() {
        OriginalData data = OriginalData.of("0200", "000123", "1123101530", "100001");
        assertEquals("0200" + "000123" + "1123101530" + "00000100001" + "00000000000", data.format());
        assertEquals(42, data.format().length());
    }

    @Test
    void originalDataParsesWhatItFormats() {
        OriginalData data = new OriginalData("0100", "999999", "0101000000", "12345678901", "42");
        assertEquals(Optional.of(data), OriginalData.parse(data.format()));
        assertEquals("00000000042", data.forwardingId());
    }

    @Test
    void originalDataParseRefusesBadText() {
        assertTrue(OriginalData.parse(null).isEmpty());
        assertTrue(OriginalData.parse("0200000123").isEmpty());
        assertTrue(OriginalData.parse("0200000123112310153000000100001000000000 0").isEmpty());
        assertTrue(OriginalData.parse("02000001231123101530000001000010000000000000").isEmpty());
    }

    @Test
    void originalDataReadsTheOriginalMessage() {
        ISOMsg original = new ISOMsg("0100");
        original.set(Field.STAN, "000777");
        original.set(Field.TRANSMISSION_TIME, "1231235959");
        original.set(Field.ACQUIRER_ID, "100001");
        OriginalData data = OriginalData.of(original);
        assertEquals("0100000777123123595900000100001" + "00000000000", data.format());
        assertEquals(OriginalData.normalizeInstitution("100001"), data.acquirerId());
        assertTrue(OriginalData.sameInstitution("100001", data.acquirerId()));
        assertFalse(OriginalData.sameInstitution("100002", data.acquirerId()));
    }

    @Test
    void additionalAmountsFormatsTwentyCharacterEntries() {
        AdditionalAmounts amounts = AdditionalAmounts.balances("410", 50_000, -1_200);
        assertEquals("0001410C000000050000" + "0002410D000000001200", amounts.format());
        assertEquals(Optional.of(-1_200L), amounts.availableBalanceMinor());
        assertEquals(Optional.of(50_000L), amounts.ledgerBalanceMinor());
    }

    @Test
    void additionalAmountsParsesWhatItFormats() {
        AdditionalAmounts amounts = AdditionalAmounts.balances("840", 0, 999_999_999_999L);
        assertEquals(Optional.of(amounts), AdditionalAmounts.parse(amounts.format()));
    }

    @Test
    void additionalAmountsParseRefusesBadText() {
        assertTrue(AdditionalAmounts.parse("0001410C00000005000").isEmpty()); // 19 characters
        assertTrue(AdditionalAmounts.parse("0001410X000000050000").isEmpty()); // bad sign
        assertTrue(AdditionalAmounts.parse("0001410C0000000500A0").isEmpty()); // bad amount
        assertTrue(AdditionalAmounts.parse("").isEmpty());
    }

    @Test
    void additionalDataCarriesCvv2AsTag92() {
        String field48 = AdditionalData.builder().put("10", "ABC").cvv2("123").build().format();
        assertEquals("1003ABC" + "9203123", field48);
        ISOMsg m = new ISOMsg("0200");
        m.set(Field.ADDITIONAL_DATA, field48);
        assertEquals(Optional.of("123"), AdditionalData.cvv2(m));
        assertEquals("10=ABC 92=***", AdditionalData.parse(field48).orElseThrow().masked());
        assertFalse(AdditionalData.parse(field48).orElseThrow().toString().contains("123"));
    }

    @Test
    void additionalDataParseRefusesBadText() {
        assertTrue(AdditionalData.parse("9205123").isEmpty());       // value shorter than its length
        assertTrue(AdditionalData.parse("92031239203456").isEmpty()); // tag repeated
        assertTrue(AdditionalData.parse("9X03123").isEmpty());
        assertTrue(AdditionalData.cvv2(new ISOMsg("0200")).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> AdditionalData.builder().cvv2("12"));
    }

    @Test
    void mtiArithmetic() {
        assertEquals("0210", Mti.responseMti("0200"));
        assertEquals("0210", Mti.responseMti("0201"));
        assertEquals("0430", Mti.responseMti("0420"));
        assertEquals("0430", Mti.responseMti("0421"));
        assertEquals("0810", Mti.responseMti("0800"));
        assertTrue(Mti.isRepeat("0201"));
        assertFalse(Mti.isRepeat("0200"));
        assertEquals("0400", Mti.baseMti("0401"));
        assertEquals("0400", Mti.baseMti("0400"));
        assertEquals("0221", Mti.repeatOf("0220"));
        assertTrue(Mti.isRequest("0120"));
        assertTrue(Mti.isResponse("0110"));
        assertFalse(Mti.isValid("02A0"));
        assertThrows(IllegalArgumentException.class, () -> Mti.responseMti("0210"));
    }

    @Test
    void responseCodesCarryTheirTwoCharacterCodeAndMeaning() {
        assertEquals("00", ResponseCode.APPROVED.code());
        assertEquals(Optional.of(ResponseCode.FORMAT_ERROR), ResponseCode.of("30"));
        assertEquals(Optional.of(ResponseCode.DUPLICATE_TRANSMISSION), ResponseCode.of("94"));
        assertEquals("51 insufficient funds", ResponseCode.describe("51"));
        assertEquals("Z9 (unknown code)", ResponseCode.describe("Z9"));
        for (ResponseCode rc : ResponseCode.values()) {
            assertEquals(2, rc.code().length());
        }
    }

    @Test
    void processingCodeTransactionType() {
        assertEquals("31", ProcessingCode.transactionType(ProcessingCode.BALANCE_INQUIRY));
        assertEquals(ProcessingCode.TYPE_CASH, ProcessingCode.transactionType(ProcessingCode.CASH));
    }
}
