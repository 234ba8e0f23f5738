// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.anonpay.authz.IssuerService;
import org.anonpay.authz.TransactionDoor;
import org.anonpay.db.Database;
import org.anonpay.gateway.mall.Mall;
import org.anonpay.gateway.purchase.Goods;
import org.anonpay.gateway.purchase.Goods.Item;
import org.anonpay.gateway.purchase.Purchase;
import org.anonpay.gateway.purchase.Purchases;
import org.anonpay.issuer.Card;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mall API's money path against the real authorization transaction manager (in-process Q2,
 * real MariaDB): pay, authorize and capture, cancel, refunds in part and in full, a mismatch, a
 * payment whose answer was lost finished by recovery without paying twice, card (auto-fill)
 * payments checked by the issuer's security module, and follow-ups whose answer was lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PaymentServiceTest {

    private static final Mall MALL = new Mall("GWMALL01", "Green Tea House", "5499", Mall.Kind.PARTNER, Mall.State.ACTIVE,
            URI.create("https://mall.example/hooks"), Instant.parse("2026-11-01T00:00:00Z"));
    private static final Goods GOODS = Goods.of(new Item("Green tea 50 bags", 2, 4_500), new Item("Mug", 1, 12_000));
    private static PaymentService.Settings SETTINGS;

    @TempDir
    static Path dir;
    private InProcessHost host;
    private Database db;
    private PaymentService service;
    private final Purchases purchases = new Purchases(Duration.ofMinutes(15));
    private int orders;

    @BeforeAll
    void start() throws Exception {
        host = InProcessHost.start(dir);
        db = IssuerService.get().database();
        SETTINGS = new PaymentService.Settings("900100", "MALLAPI1", Duration.ofSeconds(20), InProcessHost.devZpk());
        service = new PaymentService(db, TransactionDoor.authorization()::submit, SETTINGS, Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        if (host != null) host.close();
    }

    private PaymentService.WalletOrder order(Card card, long total, boolean capture) {
        String orderId = "ORD-" + (++orders);
        Purchase p = db.inJdbcTransaction(c -> purchases.create(c, MALL.mallId(), "cust-77", orderId, GOODS, "KRW", card.id(), 7L, Instant.now())).purchase();
        return new PaymentService.WalletOrder(p.reference(), "cust-77", orderId, GOODS, total, "KRW", capture);
    }

    private long events(String type) {
        return db.inJdbcTransaction(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM mall_webhook_event WHERE type = '" + type + "'")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void aWalletPurchaseIsApprovedDebitedAndReportedByWebhook() throws Exception {
        Card card = host.fundedCard(50_000);
        long before = events("payment.approved");
        PaymentService.PayResult paid = service.payWallet(MALL, order(card, 21_000, true));
        assertEquals(PaymentService.PayStatus.DONE, paid.status());
        assertEquals(Payment.Status.APPROVED, paid.payment().status(), String.valueOf(paid.payment().declineReason()));
        assertEquals(21_000, paid.payment().capturedAmount());
        assertEquals(29_000, host.available(card));
        assertEquals(before + 1, events("payment.approved"));
        Map<String, Object> shown = service.describe(MALL.mallId(), paid.payment().paymentId()).orElseThrow();
        assertEquals("APPROVED", shown.get("status"));
        assertTrue(service.describe("OTHERMALL", paid.payment().paymentId()).isEmpty(), "another mall sees nothing");
    }

    @Test
    void aMismatchIsDeclinedWithItsReasonAndMovesNothing() throws Exception {
        Card card = host.fundedCard(50_000);
        PaymentService.PayResult paid = service.payWallet(MALL, order(card, 20_000, true)); // the wallet kept 21,000
        assertEquals(Payment.Status.DECLINED, paid.payment().status());
        assertEquals("PURCHASE_TOTAL_MISMATCH", paid.payment().declineReason());
        assertEquals("12", paid.payment().responseCode());
        assertEquals(50_000, host.available(card));
    }

    @Test
    void authorizeThenCaptureLessThenRefundInPartsNeverMoreThanCaptured() throws Exception {
        Card card = host.fundedCard(50_000);
        Payment authorized = service.payWallet(MALL, order(card, 21_000, false)).payment();
        assertEquals(Payment.Status.AUTHORIZED, authorized.status());
        assertEquals(29_000, host.available(card), "held");
        assertEquals(PaymentService.OpStatus.AMOUNT_TOO_LARGE, service.capture(MALL, authorized.paymentId(), 21_001L).status());
        PaymentService.OpResult captured = service.capture(MALL, authorized.paymentId(), 18_000L);
        assertEquals(PaymentService.OpStatus.SUCCEEDED, captured.status(), String.valueOf(captured.op()));
        assertEquals(32_000, host.available(card), "the rest of the hold released");
        assertEquals(PaymentService.OpStatus.WRONG_STATE, service.capture(MALL, authorized.paymentId(), null).status(), "captured once");

        assertEquals(PaymentService.OpStatus.SUCCEEDED, service.refund(MALL, authorized.paymentId(), 5_000L).status());
        assertEquals(PaymentService.OpStatus.AMOUNT_TOO_LARGE, service.refund(MALL, authorized.paymentId(), 13_001L).status());
        PaymentService.OpResult rest = service.refund(MALL, authorized.paymentId(), null);
        assertEquals(PaymentService.OpStatus.SUCCEEDED, rest.status());
        assertEquals(13_000, rest.op().amount());
        assertEquals(50_000, host.available(card));
        assertEquals(PaymentService.OpStatus.NOTHING_TO_REFUND, service.refund(MALL, authorized.paymentId(), null).status());
        assertEquals("REFUNDED", service.describe(MALL.mallId(), authorized.paymentId()).orElseThrow().get("status"));
        assertEquals(PaymentService.OpStatus.NOT_FOUND, service.refund(MALL, "pay_" + "a".repeat(26), null).status());
    }

    @Test
    void cancellingAnAuthorizationReleasesTheHold() throws Exception {
        Card card = host.fundedCard(40_000);
        Payment authorized = service.payWallet(MALL, order(card, 21_000, false)).payment();
        assertEquals(19_000, host.available(card));
        assertEquals(PaymentService.OpStatus.SUCCEEDED, service.cancel(MALL, authorized.paymentId()).status());
        assertEquals(40_000, host.available(card));
        assertEquals(PaymentService.OpStatus.WRONG_STATE, service.capture(MALL, authorized.paymentId(), null).status());
        assertEquals("CANCELLED", service.describe(MALL.mallId(), authorized.paymentId()).orElseThrow().get("status"));
    }

    @Test
    void aLostAnswerIsFinishedByRecoveryAndPaysOnce() throws Exception {
        Card card = host.fundedCard(50_000);
        // the message reaches the transaction manager, its answer is lost on the way back
        PaymentService lostAnswer = new PaymentService(db, (m, t) -> {
            TransactionDoor.authorization().submit(m, t);
            return Optional.empty();
        }, SETTINGS, Clock.systemUTC());
        Payment first = lostAnswer.payWallet(MALL, order(card, 21_000, true)).payment();
        assertEquals(Payment.Status.PENDING, first.status());
        // the message never reaches it
        AtomicBoolean sent = new AtomicBoolean();
        PaymentService neverSent = new PaymentService(db, (m, t) -> {
            sent.set(true);
            return Optional.empty();
        }, SETTINGS, Clock.systemUTC());
        Payment second = neverSent.payWallet(MALL, order(card, 21_000, true)).payment();
        assertTrue(sent.get());
        assertEquals(29_000, host.available(card), "only the first was debited so far");

        int recovered = service.recoverPending(Map.of(MALL.mallId(), MALL), Instant.now().plusSeconds(1));
        assertTrue(recovered >= 2, "recovered " + recovered);
        assertEquals("APPROVED", service.describe(MALL.mallId(), first.paymentId()).orElseThrow().get("status"));
        assertEquals("APPROVED", service.describe(MALL.mallId(), second.paymentId()).orElseThrow().get("status"));
        assertEquals(8_000, host.available(card), "each paid exactly once");
        assertEquals(0, service.recoverPending(Map.of(MALL.mallId(), MALL), Instant.now().plusSeconds(1)), "nothing left");
    }

    // ---------------------------------------------------------------- card (auto-fill) payments, Flow C

    private PaymentService.CardOrder cardOrder(InProcessHost.IssuedCard card, String cvv2, String pin, boolean capture) {
        return new PaymentService.CardOrder("cust-77", "CARD-ORD-" + (++orders), GOODS, 21_000, "KRW", capture,
                new PaymentService.CardData(card.pan(), card.expiry(), cvv2, pin));
    }

    /** Every column of the payment's row as text: none may hold the card number. */
    private String rowText(String paymentId) {
        return db.inJdbcTransaction(c -> {
            try (var ps = c.prepareStatement("SELECT * FROM mall_payment WHERE payment_id = ?")) {
                ps.setString(1, paymentId);
                try (var rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.append(rs.getString(i)).append('|');
                    return row.toString();
                }
            }
        });
    }

    @Test
    void aCardPaymentWithTheRightCvv2AndPinIsApprovedAndStoresOnlyTheMaskedCard() throws Exception {
        InProcessHost.IssuedCard card = host.fundedCardWithData(50_000);
        PaymentService.PayResult paid = service.payCard(MALL, cardOrder(card, card.cvv2(), InProcessHost.PIN, true));
        assertEquals(Payment.Status.APPROVED, paid.payment().status(), String.valueOf(paid.payment().declineReason()));
        assertEquals(29_000, host.available(card.card()));
        assertEquals(card.card().id(), paid.payment().cardId());
        String masked = card.pan().substring(0, 6) + "******" + card.pan().substring(12);
        assertEquals(masked, paid.payment().maskedCard());
        assertEquals(masked, service.describe(MALL.mallId(), paid.payment().paymentId()).orElseThrow().get("maskedCard"));
        String row = rowText(paid.payment().paymentId());
        assertFalse(row.contains(card.pan()), "no full card number on the payment row");
        assertFalse(row.contains(card.pan().substring(6, 12)), "not even its middle digits");

        // a refund names the card payment, not the card: the money goes back to the card that paid
        PaymentService.OpResult refund = service.refund(MALL, paid.payment().paymentId(), 6_000L);
        assertEquals(PaymentService.OpStatus.SUCCEEDED, refund.status(), String.valueOf(refund.op()));
        assertEquals(35_000, host.available(card.card()));
        assertEquals(PaymentService.OpStatus.SUCCEEDED, service.refund(MALL, paid.payment().paymentId(), null).status());
        assertEquals(50_000, host.available(card.card()));
        assertEquals(PaymentService.OpStatus.NOTHING_TO_REFUND, service.refund(MALL, paid.payment().paymentId(), null).status());
    }

    @Test
    void aCardPaymentWithAWrongCvv2OrPinIsDeclinedAndMovesNothing() throws Exception {
        InProcessHost.IssuedCard card = host.fundedCardWithData(50_000);
        long declinedBefore = events("payment.declined");
        String wrongCvv2 = String.format("%03d", (Integer.parseInt(card.cvv2()) + 1) % 1000);
        Payment badCvv2 = service.payCard(MALL, cardOrder(card, wrongCvv2, InProcessHost.PIN, true)).payment();
        assertEquals(Payment.Status.DECLINED, badCvv2.status());
        assertEquals("CVV2_MISMATCH", badCvv2.declineReason());
        Payment badPin = service.payCard(MALL, cardOrder(card, card.cvv2(), "4321", true)).payment();
        assertEquals(Payment.Status.DECLINED, badPin.status());
        assertEquals("PIN_INCORRECT", badPin.declineReason());
        assertEquals("55", badPin.responseCode());
        assertEquals(50_000, host.available(card.card()));
        assertEquals(declinedBefore + 2, events("payment.declined"), "each decline reported");
    }

    @Test
    void aCardAuthorizationIsCapturedByItsKey() throws Exception {
        InProcessHost.IssuedCard card = host.fundedCardWithData(50_000);
        Payment authorized = service.payCard(MALL, cardOrder(card, card.cvv2(), InProcessHost.PIN, false)).payment();
        assertEquals(Payment.Status.AUTHORIZED, authorized.status(), String.valueOf(authorized.declineReason()));
        assertEquals("0100", authorized.isoMti());
        assertEquals(PaymentService.OpStatus.SUCCEEDED, service.capture(MALL, authorized.paymentId(), 20_000L).status());
        assertEquals(30_000, host.available(card.card()));
    }

    @Test
    void aLostCardPaymentIsFinishedFromTheJournalOrReversedAndDeclined() throws Exception {
        InProcessHost.IssuedCard card = host.fundedCardWithData(50_000);
        // arrived, answer lost: the journal has it
        PaymentService lostAnswer = new PaymentService(db, (m, t) -> {
            TransactionDoor.authorization().submit(m, t);
            return Optional.empty();
        }, SETTINGS, Clock.systemUTC());
        Payment arrived = lostAnswer.payCard(MALL, cardOrder(card, card.cvv2(), InProcessHost.PIN, true)).payment();
        assertEquals(Payment.Status.PENDING, arrived.status());
        // never arrived: its card data is gone, it cannot be repeated
        PaymentService neverSent = new PaymentService(db, (m, t) -> Optional.empty(), SETTINGS, Clock.systemUTC());
        Payment lost = neverSent.payCard(MALL, cardOrder(card, card.cvv2(), InProcessHost.PIN, true)).payment();
        assertEquals(29_000, host.available(card.card()));

        service.recoverPending(Map.of(MALL.mallId(), MALL), Instant.now().plusSeconds(1));
        assertEquals("APPROVED", service.describe(MALL.mallId(), arrived.paymentId()).orElseThrow().get("status"));
        Map<String, Object> declined = service.describe(MALL.mallId(), lost.paymentId()).orElseThrow();
        assertEquals("DECLINED", declined.get("status"));
        assertEquals(PaymentService.LOST_BEFORE_ARRIVAL, declined.get("declineReason"));
        assertEquals(29_000, host.available(card.card()), "paid once, the lost one never");
    }

    // ---------------------------------------------------------------- follow-ups whose answer was lost

    @Test
    void lostCapturesAndRefundsAreFinishedByRecoveryOnce() throws Exception {
        Card card = host.fundedCard(50_000);
        Payment authorized = service.payWallet(MALL, order(card, 21_000, false)).payment();
        Payment paid = service.payWallet(MALL, order(card, 21_000, true)).payment();
        assertEquals(8_000, host.available(card));
        PaymentService lostAnswer = new PaymentService(db, (m, t) -> {
            TransactionDoor.authorization().submit(m, t);
            return Optional.empty();
        }, SETTINGS, Clock.systemUTC());
        PaymentService neverSent = new PaymentService(db, (m, t) -> Optional.empty(), SETTINGS, Clock.systemUTC());
        PaymentService.OpResult capture = lostAnswer.capture(MALL, authorized.paymentId(), 15_000L);
        assertEquals(PaymentService.OpStatus.PENDING, capture.status());
        assertEquals(14_000, host.available(card), "captured 15,000, the rest of the hold released");
        PaymentService.OpResult refund = neverSent.refund(MALL, paid.paymentId(), 5_000L);
        assertEquals(PaymentService.OpStatus.PENDING, refund.status());
        assertEquals(14_000, host.available(card), "the refund never arrived");
        assertEquals(PaymentService.OpStatus.WRONG_STATE, service.cancel(MALL, authorized.paymentId()).status(), "a capture is in flight");

        int recovered = service.recoverPendingOps(Map.of(MALL.mallId(), MALL), Instant.now().plusSeconds(1));
        assertTrue(recovered >= 2, "recovered " + recovered);
        assertEquals("CAPTURED", service.describe(MALL.mallId(), authorized.paymentId()).orElseThrow().get("status"));
        assertEquals(15_000L, service.describe(MALL.mallId(), authorized.paymentId()).orElseThrow().get("capturedAmount"));
        assertEquals("PARTIALLY_REFUNDED", service.describe(MALL.mallId(), paid.paymentId()).orElseThrow().get("status"));
        assertEquals(19_000, host.available(card), "captured once, refunded once");
        assertEquals(0, service.recoverPendingOps(Map.of(MALL.mallId(), MALL), Instant.now().plusSeconds(1)), "nothing left");
    }
}
