// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * real MariaDB): pay, authorize and capture, cancel, refunds in part and in full, a mismatch, and a
 * payment whose answer was lost finished by recovery without paying twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PaymentServiceTest {

    private static final Mall MALL = new Mall("GWMALL01", "Green Tea House", "5499", Mall.Kind.PARTNER, Mall.State.ACTIVE,
            URI.create("https://mall.example/hooks"), Instant.parse("2026-11-01T00:00:00Z"));
    private static final Goods GOODS = Goods.of(new Item("Green tea 50 bags", 2, 4_500), new Item("Mug", 1, 12_000));
    private static final PaymentService.Settings SETTINGS = new PaymentService.Settings("900100", "MALLAPI1", Duration.ofSeconds(20));

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
}
