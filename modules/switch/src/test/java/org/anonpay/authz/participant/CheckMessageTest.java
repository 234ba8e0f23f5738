// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.anonpay.authz.TransactionType;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.Test;

class CheckMessageTest {

    private static Optional<TransactionType> classify(String mti, String processingCode) throws Exception {
        ISOMsg m = new ISOMsg(mti);
        if (processingCode != null) m.set(3, processingCode);
        return CheckMessage.classify(m);
    }

    @Test
    void messageTypeAndProcessingCodeTellTheTransaction() throws Exception {
        assertEquals(Optional.of(TransactionType.AUTHORIZATION), classify("0100", "000000"));
        assertEquals(Optional.of(TransactionType.AUTHORIZATION), classify("0101", "000000"));
        assertEquals(Optional.of(TransactionType.AUTHORIZATION_ADVICE), classify("0120", "000000"));
        assertEquals(Optional.of(TransactionType.PURCHASE), classify("0200", "000000"));
        assertEquals(Optional.of(TransactionType.REFUND), classify("0200", "200000"));
        assertEquals(Optional.of(TransactionType.BALANCE_INQUIRY), classify("0200", "310000"));
        assertEquals(Optional.of(TransactionType.COMPLETION), classify("0220", "000000"));
        assertEquals(Optional.of(TransactionType.REVERSAL), classify("0400", "000000"));
        assertEquals(Optional.of(TransactionType.REVERSAL), classify("0421", "200000"));
        assertEquals(Optional.of(TransactionType.NETWORK_MANAGEMENT), classify("0800", null));
    }

    @Test
    void whatTheHostDoesNotTakeIsEmpty() throws Exception {
        assertEquals(Optional.empty(), classify("0300", "000000"));
        assertEquals(Optional.empty(), classify("0210", "000000"), "a response is not a request");
        assertEquals(Optional.empty(), classify("0200", "400000"), "transfers are not a prepaid service");
    }

    @Test
    void thePanComesFromField2OrTrack2() throws Exception {
        ISOMsg m = new ISOMsg("0200");
        m.set(35, "9410000000000013=30121010000000000");
        assertEquals(Optional.of("9410000000000013"), CheckMessage.pan(m));
        m.set(2, "94100000000000");
        assertEquals(Optional.of("94100000000000"), CheckMessage.pan(m));
        m.set(2, "9410A00000000013");
        assertEquals(Optional.empty(), CheckMessage.pan(m));
    }

    @Test
    void currencyByIsoNumericCode() {
        assertEquals("KRW", CheckMessage.currency("410").orElseThrow().getCurrencyCode());
        assertEquals("USD", CheckMessage.currency("840").orElseThrow().getCurrencyCode());
        assertEquals(Optional.empty(), CheckMessage.currency("41A"));
    }
}
