// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.Test;

class MessageFactoryTest {
    private static final Instant NOW = Instant.parse("2025-11-23T01:15:30Z");
    private static final Card CARD = Card.ofPan("4111111111111111").withExpiry("2712").withCvv2("123")
            .withPinBlock(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

    private final MessageFactory factory =
            new MessageFactory(Terminal.defaults(), new StanCounter(41), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void everyRequestCarriesTraceAndTerminalFields() throws ISOException {
        ISOMsg m = factory.purchase(CARD, 1_000);
        assertEquals("0200", m.getMTI());
        assertEquals("1123011530", m.getString(7));
        assertEquals("000041", m.getString(11));
        assertEquals("101530", m.getString(12)); // Asia/Seoul is UTC+9
        assertEquals("1123", m.getString(13));
        assertEquals("100001", m.getString(32));
        assertEquals("112301000041", m.getString(37));
        assertEquals("POS00001", m.getString(41));
        assertEquals("MERCHANT0000001", m.getString(42));
        assertEquals("410", m.getString(49));
        assertEquals("5999", m.getString(18));
        assertEquals("011", m.getString(22));
        assertEquals("00", m.getString(25));
        assertEquals("000000", m.getString(3));
        assertEquals("000000001000", m.getString(4));
        assertEquals("4111111111111111", m.getString(2));
        assertEquals("2712", m.getString(14));
        assertEquals("9203123", m.getString(48));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, m.getBytes(52));
        assertEquals("000042", factory.echo().getString(11));
    }

    @Test
    void typesAndProcessingCodes() throws ISOException {
        assertMessage(factory.echo(), "0800", null, "301");
        assertMessage(factory.signOn(), "0800", null, "001");
        assertMessage(factory.authorization(CARD, 5), "0100", "000000", null);
        assertMessage(factory.authorizationAdvice(CARD, 5), "0120", "000000", null);
        assertMessage(factory.refund(CARD, 5), "0200", "200000", null);
        ISOMsg balance = factory.balanceInquiry(CARD);
        assertMessage(balance, "0200", "310000", null);
        assertEquals("000000000000", balance.getString(4));
    }

    @Test
    void completionAndReversalsReferToTheOriginal() throws ISOException {
        ISOMsg auth = factory.authorization(CARD, 10_000);
        OriginalData original = OriginalData.of(auth);
        ISOMsg completion = factory.completion(CARD, 8_000, original);
        assertMessage(completion, "0220", "000000", null);
        assertEquals("000000008000", completion.getString(4));
        assertEquals(original.format(), completion.getString(90));
        assertFalse(completion.hasField(52) || completion.hasField(48), "completions carry no PIN or CVV2");

        ISOMsg purchase = factory.purchase(CARD, 3_000);
        ISOMsg reversal = factory.reversal(CARD, "000000", 3_000, OriginalData.of(purchase));
        assertMessage(reversal, "0400", "000000", null);
        assertEquals("0200" + purchase.getString(11) + purchase.getString(7) + "00000100001" + "00000000000",
                reversal.getString(90));
        assertFalse(reversal.hasField(52) || reversal.hasField(48), "reversals carry no PIN or CVV2");
        assertMessage(factory.reversalAdvice(CARD, "200000", 3_000, OriginalData.of(purchase)), "0420", "200000", null);
    }

    @Test
    void repeatKeepsEveryFieldButTheMti() throws ISOException {
        ISOMsg purchase = factory.purchase(CARD, 3_000);
        ISOMsg repeat = MessageFactory.repeatOf(purchase);
        assertEquals("0201", repeat.getMTI());
        assertEquals("0200", purchase.getMTI());
        for (int fieldNo = 2; fieldNo <= 128; fieldNo++) {
            assertEquals(purchase.hasField(fieldNo), repeat.hasField(fieldNo));
        }
        assertEquals(purchase.getString(7), repeat.getString(7));
        assertEquals(purchase.getString(11), repeat.getString(11));
    }

    @Test
    void ecommerceTerminalMarksTheMessage() {
        MessageFactory mall = new MessageFactory(Terminal.defaults().withEcommerce(true));
        ISOMsg m = mall.purchase(Card.ofPan("4111111111111111"), 1);
        assertEquals("812", m.getString(22));
        assertEquals("59", m.getString(25));
        assertEquals("07", m.getString(60));
    }

    @Test
    void stanWrapsAfter999999() {
        StanCounter stans = new StanCounter(999_999);
        assertEquals("999999", stans.next());
        assertEquals("000001", stans.next());
    }

    @Test
    void aWalletPaymentCarriesThePurchaseInField48AndNoCardData() throws ISOException {
        WalletPayment payment = new WalletPayment("pur_abcdefghijklmnopqrstuvwxyz", "cust-77", "ORD-2026-0001", "0f".repeat(32));
        ISOMsg m = new MessageFactory(Terminal.defaults().withEcommerce(true), new StanCounter(1), Clock.fixed(NOW, ZoneOffset.UTC))
                .walletPayment(payment, 21_000, false);
        assertMessage(m, "0200", "000000", null);
        assertFalse(m.hasField(2) || m.hasField(14) || m.hasField(35) || m.hasField(52), "no card data");
        assertEquals("000000021000", m.getString(4));
        assertEquals("59", m.getString(25));
        AdditionalData data = AdditionalData.parse(m.getString(48)).orElseThrow();
        assertEquals("pur_abcdefghijklmnopqrstuvwxyz", data.get(AdditionalData.TAG_PURCHASE_REF).orElseThrow());
        assertEquals("cust-77", data.get(AdditionalData.TAG_CUSTOMER_REF).orElseThrow());
        assertEquals("ORD-2026-0001", data.get(AdditionalData.TAG_ORDER_ID).orElseThrow());
        assertEquals("0f".repeat(32), data.get(AdditionalData.TAG_GOODS_DIGEST).orElseThrow());
        assertEquals("0100", factory.walletPayment(payment, 21_000, true).getMTI(), "authorize only");
    }

    @Test
    void cardToStringHidesSecrets() {
        String text = CARD.toString();
        assertFalse(text.contains("4111111111111111") || text.contains("123"), text);
        assertTrue(text.contains("411111******1111"), text);
    }

    private static void assertMessage(ISOMsg m, String mti, String processingCode, String networkCode) throws ISOException {
        assertEquals(mti, m.getMTI());
        assertEquals(processingCode, m.getString(3));
        assertEquals(networkCode, m.getString(70));
        m.setPackager(AnonpayPackager.load());
        MalformedAwareMsg back = new MalformedAwareMsg();
        back.setPackager(AnonpayPackager.load());
        back.unpack(m.pack());
        assertFalse(back.malformed(), () -> back.failureReason().orElse(""));
    }
}
