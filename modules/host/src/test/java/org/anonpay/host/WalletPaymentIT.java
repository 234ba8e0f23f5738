// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.anonpay.gateway.purchase.Goods;
import org.anonpay.gateway.purchase.Goods.Item;
import org.anonpay.gateway.purchase.Purchase;
import org.anonpay.gateway.purchase.Purchases;
import org.anonpay.host.HostFixture.TestCard;
import org.anonpay.iso.IsoClient;
import org.anonpay.iso.MessageFactory;
import org.anonpay.iso.Terminal;
import org.anonpay.iso.WalletPayment;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Purchase matching (MISSION.md b7) in the packaged host: a partner mall's wallet payment — no card
 * data, the purchase the member confirmed in the wallet named in field 48 — is approved only if it
 * agrees with the kept purchase, pays it once, and debits the card the member chose.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WalletPaymentIT {

    private static final String MALL = "MALLWP01";
    private static final Goods GOODS = Goods.of(new Item("녹차 티백 50개", 2, 4_500), new Item("Mug", 1, 12_000));
    private HostFixture fx;
    private IsoClient client;
    private MessageFactory mall;
    private final Purchases purchases = new Purchases(Duration.ofMinutes(15));

    @BeforeAll
    void start() throws Exception {
        fx = HostFixture.start("wallet-payment");
        client = fx.connect();
        mall = new MessageFactory(Terminal.defaults().withTerminalId("MALLAPI1").withMerchantId(MALL).withEcommerce(true));
    }

    @AfterAll
    void stop() throws Exception {
        if (client != null) client.close();
        if (fx != null) {
            fx.trialBalance().forEach(t -> assertTrue(t.balanced(), "ledger out of balance: " + t));
            fx.close();
        }
    }

    private Purchase keep(TestCard card, String orderId, Instant now) {
        Purchases.Created created = fx.db.inJdbcTransaction(c -> purchases.create(c, MALL, "cust-77", orderId, GOODS, "KRW", card.cardId(), 1L, now));
        assertEquals(Purchases.CreateStatus.CREATED, created.status());
        return created.purchase();
    }

    private static WalletPayment asMallSends(Purchase p) {
        return new WalletPayment(p.reference(), p.customerRef(), p.orderId(), p.goods().digestHex());
    }

    private String reason(ISOMsg request) {
        return fx.string("SELECT decline_reason FROM authz_journal WHERE stan = '" + request.getString(11) + "' AND terminal_id = '"
                + request.getString(41) + "' AND transmission_time = '" + request.getString(7) + "'");
    }

    @Test
    void aMatchingWalletPaymentDebitsTheChosenCardOnceAndPaysThePurchase() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 50_000);
        Purchase p = keep(card, "ORD-1", Instant.now());
        ISOMsg request = mall.walletPayment(asMallSends(p), 21_000, false);
        ISOMsg answer = client.exchange(request);
        assertEquals("00", answer.getString(39));
        assertEquals(29_000, fx.balance(card).available());
        assertEquals("PAID", fx.string("SELECT state FROM wallet_purchase WHERE reference = '" + p.reference() + "'"));
        assertEquals("00", client.exchange(MessageFactory.repeatOf(request)).getString(39), "a repeat gets the first answer");
        assertEquals(29_000, fx.balance(card).available(), "and moves nothing");
        ISOMsg again = mall.walletPayment(asMallSends(p), 21_000, false);
        assertEquals("12", client.exchange(again).getString(39));
        assertEquals("PURCHASE_ALREADY_PAID", reason(again));
        assertEquals(29_000, fx.balance(card).available());
    }

    @Test
    void everyKindOfMismatchIsDeclinedWithItsOwnReasonAndMovesNothing() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 50_000);
        Purchase p = keep(card, "ORD-2", Instant.now());
        WalletPayment ok = asMallSends(p);
        record Case(String reason, ISOMsg request) {}
        MessageFactory otherMall = new MessageFactory(Terminal.defaults().withTerminalId("MALLAPI2").withMerchantId("MALLWP02").withEcommerce(true));
        Case[] cases = {
            new Case("PURCHASE_UNKNOWN", mall.walletPayment(new WalletPayment("pur_" + "a".repeat(26), "cust-77", "ORD-2", ok.goodsDigestHex()), 21_000, false)),
            new Case("PURCHASE_MALL_MISMATCH", otherMall.walletPayment(ok, 21_000, false)),
            new Case("PURCHASE_CUSTOMER_MISMATCH", mall.walletPayment(new WalletPayment(p.reference(), "cust-78", "ORD-2", ok.goodsDigestHex()), 21_000, false)),
            new Case("PURCHASE_ORDER_MISMATCH", mall.walletPayment(new WalletPayment(p.reference(), "cust-77", "ORD-3", ok.goodsDigestHex()), 21_000, false)),
            new Case("PURCHASE_GOODS_MISMATCH", mall.walletPayment(new WalletPayment(p.reference(), "cust-77", "ORD-2",
                    Goods.of(new Item("Mug", 2, 12_000)).digestHex()), 21_000, false)),
            new Case("PURCHASE_TOTAL_MISMATCH", mall.walletPayment(ok, 20_000, false)),
        };
        for (Case c : cases) {
            assertEquals("12", client.exchange(c.request()).getString(39), c.reason());
            assertEquals(c.reason(), reason(c.request()));
        }
        assertEquals(50_000, fx.balance(card).available());
        assertEquals("PENDING", fx.string("SELECT state FROM wallet_purchase WHERE reference = '" + p.reference() + "'"));
    }

    @Test
    void anExpiredPurchaseIsDeclinedAndAShortCardLeavesThePurchasePending() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 10_000);
        Purchase old = keep(card, "ORD-4", Instant.now().minus(Duration.ofMinutes(16)));
        ISOMsg late = mall.walletPayment(asMallSends(old), 21_000, false);
        assertEquals("12", client.exchange(late).getString(39));
        assertEquals("PURCHASE_EXPIRED", reason(late));
        Purchase p = keep(card, "ORD-5", Instant.now());
        ISOMsg shortOfFunds = mall.walletPayment(asMallSends(p), 21_000, false);
        assertEquals("51", client.exchange(shortOfFunds).getString(39));
        assertEquals("PENDING", fx.string("SELECT state FROM wallet_purchase WHERE reference = '" + p.reference() + "'"),
                "the member may top up and the mall ask again");
        assertEquals(10_000, fx.balance(card).available());
    }
}
