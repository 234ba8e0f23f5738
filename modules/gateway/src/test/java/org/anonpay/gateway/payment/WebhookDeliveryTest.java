// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.anonpay.authz.IssuerService;
import org.anonpay.authz.TransactionDoor;
import org.anonpay.db.Database;
import org.anonpay.gateway.mall.Mall;
import org.anonpay.gateway.mall.MallSecret;
import org.anonpay.gateway.mall.Malls;
import org.anonpay.gateway.purchase.Goods;
import org.anonpay.gateway.purchase.Goods.Item;
import org.anonpay.gateway.purchase.Purchase;
import org.anonpay.gateway.purchase.Purchases;
import org.anonpay.gateway.signing.WebhookSignature;
import org.anonpay.issuer.Card;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhook delivery from the outbox to a mall's HTTP server (a local com.sun.net.httpserver as the
 * mall), with real payments through the in-process transaction manager: an approved payment's
 * event arrives once, signed so the mall verifies it with its secret; a mall answering 500 gets the
 * same event again after the backoff, then no more; an internal URL with allowInternal=false is
 * refused before every attempt and never called, until the event is given up; a mall without a
 * webhook URL has its events skipped. Each test has its own mall and its own clock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookDeliveryTest {

    private static final Goods GOODS = Goods.of(new Item("Green tea 50 bags", 2, 4_500), new Item("Mug", 1, 12_000));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private InProcessHost host;
    private Database db;
    private Malls malls;
    private PaymentService payments;
    private HttpServer mallServer;
    private final Purchases purchases = new Purchases(Duration.ofMinutes(15));
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> flakyCalls = new ConcurrentHashMap<>();
    private int orders;

    private record Received(String path, String eventId, String signature, String contentType, byte[] body) {}

    /** A clock the test moves forward: retries fall due without waiting. */
    private static final class TestClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @BeforeAll
    void start() throws Exception {
        host = InProcessHost.start(dir);
        db = IssuerService.get().database();
        malls = Malls.load(InProcessHost.ROOT.resolve("cfg/keys"));
        payments = new PaymentService(db, TransactionDoor.authorization()::submit,
                new PaymentService.Settings("900100", "MALLAPI7", Duration.ofSeconds(20)), Clock.systemUTC());
        mallServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        mallServer.createContext("/ok", ex -> answer(ex, 200));
        mallServer.createContext("/internal", ex -> answer(ex, 200));
        mallServer.createContext("/flaky", ex -> {
            String id = ex.getRequestHeaders().getFirst(WebhookDelivery.EVENT_ID_HEADER);
            answer(ex, flakyCalls.computeIfAbsent(String.valueOf(id), k -> new AtomicInteger()).getAndIncrement() == 0 ? 500 : 200);
        });
        mallServer.start();
    }

    @AfterAll
    void stop() {
        if (mallServer != null) mallServer.stop(0);
        if (host != null) host.close();
    }

    private void answer(HttpExchange ex, int status) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        received.add(new Received(ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst(WebhookDelivery.EVENT_ID_HEADER),
                ex.getRequestHeaders().getFirst(WebhookSignature.HEADER), ex.getRequestHeaders().getFirst("Content-Type"), body));
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    private MallSecret mall(String mallId, String path) {
        URI url = path == null ? null : URI.create("http://127.0.0.1:" + mallServer.getAddress().getPort() + path);
        return db.inJdbcTransaction(c -> malls.add(c, new Mall(mallId, "Hook Test Mall", "5499", Mall.Kind.PARTNER, Mall.State.ACTIVE, url,
                Instant.now()))).secret();
    }

    /** An approved wallet payment of the mall: its payment.approved event waits in the outbox. */
    private String approvedPaymentEvent(String mallId) throws Exception {
        Card card = host.fundedCard(50_000);
        String orderId = "HOOK-" + (++orders);
        Purchase p = db.inJdbcTransaction(c -> purchases.create(c, mallId, "cust-77", orderId, GOODS, "KRW", card.id(), 7L, Instant.now())).purchase();
        Mall mall = db.inJdbcTransaction(c -> malls.find(c, mallId)).orElseThrow();
        Payment paid = payments.payWallet(mall, new PaymentService.WalletOrder(p.reference(), "cust-77", orderId, GOODS, 21_000, "KRW", true)).payment();
        assertEquals(Payment.Status.APPROVED, paid.status(), String.valueOf(paid.declineReason()));
        return column(mallId, "event_id");
    }

    private String column(String mallId, String column) {
        return db.inJdbcTransaction(c -> {
            try (var ps = c.prepareStatement("SELECT " + column + " FROM mall_webhook_event WHERE mall_id = ?")) {
                ps.setString(1, mallId);
                try (var rs = ps.executeQuery()) {
                    assertTrue(rs.next(), "one event of " + mallId);
                    String value = rs.getString(1);
                    assertFalse(rs.next(), "only one event of " + mallId);
                    return value;
                }
            }
        });
    }

    private List<Received> receivedAt(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private WebhookDelivery delivery(boolean allowInternal, Clock clock) {
        return new WebhookDelivery(db, malls, WebhookDelivery.Settings.defaults(allowInternal), clock);
    }

    @Test
    void anApprovedPaymentsEventArrivesOnceSignedForTheMallsSecret() throws Exception {
        MallSecret secret = mall("HOOKOK01", "/ok");
        String eventId = approvedPaymentEvent("HOOKOK01");
        TestClock clock = new TestClock();
        WebhookDelivery delivery = delivery(true, clock);
        delivery.deliverDue();
        delivery.deliverDue();
        clock.advance(Duration.ofHours(2));
        delivery.deliverDue();

        List<Received> got = receivedAt("/ok");
        assertEquals(1, got.size(), "delivered once");
        Received r = got.getFirst();
        assertEquals(eventId, r.eventId());
        assertEquals("application/json", r.contentType());
        JsonNode event = JSON.readTree(r.body());
        assertEquals(eventId, event.path("id").asText());
        assertEquals("payment.approved", event.path("type").asText());
        assertEquals("APPROVED", event.path("data").path("payment").path("status").asText());
        long sentAt = Long.parseLong(r.signature().substring(2, r.signature().indexOf(',')));
        // the mall verifies with the secret it was given (the gateway signed with its SHA-256: the same HMAC)
        assertTrue(WebhookSignature.verify(secret.reveal().getBytes(StandardCharsets.US_ASCII), r.signature(), r.body(), sentAt, 300));
        assertFalse(WebhookSignature.verify(MallSecret.generate().reveal().getBytes(StandardCharsets.US_ASCII), r.signature(), r.body(), sentAt, 300));
        byte[] tampered = new String(r.body(), StandardCharsets.UTF_8).replace("APPROVED", "DECLINED").getBytes(StandardCharsets.UTF_8);
        assertFalse(WebhookSignature.verify(secret.reveal().getBytes(StandardCharsets.US_ASCII), r.signature(), tampered, sentAt, 300));
        assertEquals("DELIVERED", column("HOOKOK01", "state"));
        assertEquals("200", column("HOOKOK01", "last_status"));
    }

    @Test
    void aMallAnswering500GetsTheSameEventAgainAfterTheBackoffThenNoMore() throws Exception {
        mall("HOOKFLK1", "/flaky");
        String eventId = approvedPaymentEvent("HOOKFLK1");
        TestClock clock = new TestClock();
        WebhookDelivery delivery = delivery(true, clock);
        delivery.deliverDue();
        assertEquals(1, receivedAt("/flaky").size());
        assertEquals("PENDING", column("HOOKFLK1", "state"));
        assertEquals("500", column("HOOKFLK1", "last_status"));
        delivery.deliverDue();
        assertEquals(1, receivedAt("/flaky").size(), "not due again before its backoff");

        clock.advance(Duration.ofSeconds(40)); // the first retry comes 30 s (±25 %) later
        delivery.deliverDue();
        List<Received> got = receivedAt("/flaky");
        assertEquals(2, got.size());
        assertEquals(List.of(eventId, eventId), got.stream().map(Received::eventId).toList(), "the same event id each time");
        assertEquals("DELIVERED", column("HOOKFLK1", "state"));
        assertEquals("2", column("HOOKFLK1", "attempts"));
        clock.advance(Duration.ofHours(3));
        delivery.deliverDue();
        assertEquals(2, receivedAt("/flaky").size(), "no more after the 2xx");
    }

    @Test
    void anInternalUrlIsRefusedBeforeEveryAttemptAndNeverCalled() throws Exception {
        mall("HOOKINT1", "/internal");
        approvedPaymentEvent("HOOKINT1");
        TestClock clock = new TestClock();
        WebhookDelivery production = delivery(false, clock);
        production.deliverDue();
        assertEquals("PENDING", column("HOOKINT1", "state"));
        assertEquals("1", column("HOOKINT1", "attempts"));
        assertTrue(column("HOOKINT1", "last_error").contains("INTERNAL_ADDRESS"), column("HOOKINT1", "last_error"));
        clock.advance(Duration.ofMinutes(2));
        production.deliverDue();
        assertEquals("2", column("HOOKINT1", "attempts"), "retried later, refused again");
        clock.advance(Duration.ofHours(73));
        production.deliverDue();
        assertEquals("FAILED", column("HOOKINT1", "state"), "given up after 72 h");
        assertEquals(0, receivedAt("/internal").size(), "never sent");
    }

    @Test
    void theEventsOfAMallWithoutAWebhookUrlAreSkipped() throws Exception {
        mall("HOOKNONE", null);
        approvedPaymentEvent("HOOKNONE");
        delivery(true, new TestClock()).deliverDue();
        assertEquals("SKIPPED", column("HOOKNONE", "state"));
    }

    @Test
    void theBackoffDoublesFrom30SecondsToAtMostAnHour() {
        for (int attempt = 1; attempt <= 12; attempt++) {
            long expected = Math.min(30L << (attempt - 1), 3600);
            long seconds = WebhookDelivery.backoff(attempt).toSeconds();
            assertTrue(seconds >= expected * 3 / 4 - 1 && seconds <= Math.min(expected * 5 / 4, 3600), attempt + ": " + seconds);
        }
    }
}
