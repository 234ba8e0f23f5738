// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.payment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.anonpay.authz.IssuerService;
import org.anonpay.authz.TransactionDoor;
import org.anonpay.db.Database;
import org.anonpay.gateway.api.MallApi;
import org.anonpay.gateway.api.MallApiServer;
import org.anonpay.gateway.mall.Mall;
import org.anonpay.gateway.mall.MallSecret;
import org.anonpay.gateway.mall.Malls;
import org.anonpay.gateway.purchase.Goods;
import org.anonpay.gateway.purchase.Goods.Item;
import org.anonpay.gateway.purchase.Purchase;
import org.anonpay.gateway.purchase.Purchases;
import org.anonpay.gateway.signing.RequestSignature;
import org.anonpay.gateway.signing.SignatureCheck;
import org.anonpay.issuer.Card;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mall API over real HTTP, on the real transaction manager (in-process Q2) and MariaDB:
 * signatures, Idempotency-Key (byte-for-byte replay, reuse, two at once), no personal data in a
 * wallet payment, and a payment with a refund.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MallApiTest {

    private static final Goods GOODS = Goods.of(new Item("Green tea 50 bags", 2, 4_500), new Item("Mug", 1, 12_000));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private InProcessHost host;
    private Database db;
    private MallApiServer server;
    private MallSecret secret;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Purchases purchases = new Purchases(Duration.ofMinutes(15));
    private int orders;

    @BeforeAll
    void start() throws Exception {
        host = InProcessHost.start(dir);
        db = IssuerService.get().database();
        Malls malls = Malls.load(InProcessHost.ROOT.resolve("cfg/keys"));
        secret = db.inJdbcTransaction(c -> malls.add(c, new Mall("APIMALL1", "Green Tea House", "5499", Mall.Kind.PARTNER,
                Mall.State.ACTIVE, null, Instant.now()))).secret();
        // a second's pause before the transaction manager: long enough for two requests to meet
        PaymentService payments = new PaymentService(db, (m, t) -> {
            Thread.sleep(1_000);
            return TransactionDoor.authorization().submit(m, t);
        }, new PaymentService.Settings("900100", "MALLAPI9", Duration.ofSeconds(20), InProcessHost.devZpk()), Clock.systemUTC());
        MallApi api = new MallApi(db, malls, new SignatureCheck(malls, Duration.ofMinutes(5)), payments, Clock.systemUTC());
        server = new MallApiServer(api, "127.0.0.1", 0, 8).start();
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
        if (host != null) host.close();
    }

    private record Answer(int status, byte[] body, HttpResponse<byte[]> raw) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }

        String code() throws Exception {
            return json().path("error").path("code").asText();
        }

        String field() throws Exception {
            return json().path("error").path("field").asText(null);
        }
    }

    private Answer send(String method, String target, String body, String idempotencyKey, long signedAt) throws Exception {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + target))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes))
                .header("Content-Type", "application/json")
                .header(RequestSignature.HEADER, RequestSignature.sign(secret.reveal().getBytes(StandardCharsets.US_ASCII), secret.keyId(),
                        signedAt, method, target, bytes));
        if (idempotencyKey != null) b.header("Idempotency-Key", idempotencyKey);
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(r.statusCode(), r.body(), r);
    }

    private Answer send(String method, String target, String body, String idempotencyKey) throws Exception {
        return send(method, target, body, idempotencyKey, Instant.now().getEpochSecond());
    }

    private Purchase purchase(Card card) {
        String orderId = "API-ORD-" + (++orders);
        return db.inJdbcTransaction(c -> purchases.create(c, "APIMALL1", "cust-77", orderId, GOODS, "KRW", card.id(), 7L, Instant.now())).purchase();
    }

    private static String body(Purchase p, String extra) {
        return "{\"mallId\":\"APIMALL1\",\"orderId\":\"" + p.orderId() + "\",\"customerRef\":\"cust-77\",\"purchaseRef\":\"" + p.reference()
                + "\",\"goods\":[{\"name\":\"Green tea 50 bags\",\"quantity\":2,\"unitPrice\":4500},{\"name\":\"Mug\",\"quantity\":1,\"unitPrice\":12000}],"
                + "\"total\":21000,\"currency\":\"KRW\"" + extra + "}";
    }

    private long rows(String table) {
        return db.inJdbcTransaction(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void theOpenApiDocumentIsServedWithoutASignature() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/openapi.yaml")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().startsWith("# SPDX") && r.body().contains("openapi: 3.0.3") && r.body().contains("/v1/payments/{paymentId}/refunds"));
    }

    @Test
    void unsignedStaleReplayedAndForeignRequestsAreRefused() throws Exception {
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/payments"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Idempotency-Key", "unsigned-0001").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, unsigned.statusCode());
        assertTrue(unsigned.body().contains("SIGNATURE_MISSING"));
        assertEquals("SIGNATURE_STALE", send("GET", "/v1/payments/pay_" + "a".repeat(26), null, null, Instant.now().getEpochSecond() - 301).code());
        long t = Instant.now().getEpochSecond();
        assertEquals(404, send("GET", "/v1/payments/pay_" + "b".repeat(26), null, null, t).status());
        assertEquals("SIGNATURE_REPLAYED", send("GET", "/v1/payments/pay_" + "b".repeat(26), null, null, t).code());
    }

    @Test
    void aWalletPaymentIsPaidOnceAndItsRetryGetsTheSameBytes() throws Exception {
        Card card = host.fundedCard(50_000);
        Purchase p = purchase(card);
        Answer first = send("POST", "/v1/payments", body(p, ""), "pay-" + p.orderId());
        assertEquals(201, first.status(), new String(first.body(), StandardCharsets.UTF_8));
        assertEquals("APPROVED", first.json().path("status").asText());
        Answer retry = send("POST", "/v1/payments", body(p, ""), "pay-" + p.orderId());
        assertEquals(201, retry.status());
        assertArrayEquals(first.body(), retry.body(), "byte for byte");
        assertEquals("true", retry.raw().headers().firstValue("Idempotent-Replayed").orElse(""));
        assertEquals(29_000, host.available(card), "paid once");
        Answer reused = send("POST", "/v1/payments", body(p, ",\"capture\":false"), "pay-" + p.orderId());
        assertEquals(422, reused.status());
        assertEquals("IDEMPOTENCY_KEY_REUSED", reused.code());

        String paymentId = first.json().path("paymentId").asText();
        Answer refund = send("POST", "/v1/payments/" + paymentId + "/refunds", "{\"amount\":5000}", "refund-" + p.orderId());
        assertEquals(201, refund.status(), new String(refund.body(), StandardCharsets.UTF_8));
        assertEquals("SUCCEEDED", refund.json().path("status").asText());
        assertEquals(34_000, host.available(card));
        Answer shown = send("GET", "/v1/payments/" + paymentId, null, null);
        assertEquals("PARTIALLY_REFUNDED", shown.json().path("status").asText());
        assertEquals(1, shown.json().path("refunds").size());
        Answer tooMuch = send("POST", "/v1/payments/" + paymentId + "/refunds", "{\"amount\":16001}", "refund2-" + p.orderId());
        assertEquals(422, tooMuch.status());
        assertEquals("amount", tooMuch.field());
    }

    @Test
    void twoRequestsWithOneKeyAtOnceRunOnce() throws Exception {
        Card card = host.fundedCard(50_000);
        Purchase p = purchase(card);
        List<CompletableFuture<Answer>> both = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            long t = Instant.now().getEpochSecond() + i; // two signatures: not a replay
            both.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return send("POST", "/v1/payments", body(p, ""), "together-" + p.orderId(), t);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<Answer> f : both) statuses.add(f.get().status());
        assertTrue(statuses.contains(201) && statuses.contains(409), statuses.toString());
        assertEquals(29_000, host.available(card));
    }

    @Test
    void aWalletPaymentWithPersonalDataIsRefusedByFieldAndStoresNothing() throws Exception {
        Card card = host.fundedCard(50_000);
        Purchase p = purchase(card);
        long payments = rows("mall_payment");
        for (String field : List.of("customerName", "phone", "email", "cardNumber")) {
            Answer a = send("POST", "/v1/payments", body(p, ",\"" + field + "\":\"x\""), "pd-" + field + "-" + p.orderId());
            assertEquals(400, a.status());
            assertEquals("PERSONAL_DATA_NOT_ACCEPTED", a.code());
            assertEquals(field, a.field());
        }
        String withMail = body(p, "").replace("\"customerRef\":\"cust-77\"", "\"customerRef\":\"hong@example.com\"");
        Answer mail = send("POST", "/v1/payments", withMail, "pd-mail-" + p.orderId());
        assertEquals("PERSONAL_DATA_NOT_ACCEPTED", mail.code());
        assertEquals("customerRef", mail.field());
        String withCard = body(p, "").replace("\"orderId\":\"" + p.orderId() + "\"", "\"orderId\":\"4111-1111-1111-1111\"");
        assertEquals("PERSONAL_DATA_NOT_ACCEPTED", send("POST", "/v1/payments", withCard, "pd-card-" + p.orderId()).code());
        assertEquals(payments, rows("mall_payment"), "nothing stored");
        assertEquals(50_000, host.available(card));
        Answer corrected = send("POST", "/v1/payments", body(p, ""), "pd-email-" + p.orderId());
        assertEquals(201, corrected.status(), "a refused request's key may be used again");
    }

    @Test
    void anotherMallsIdInTheBodyIsRefused() throws Exception {
        Card card = host.fundedCard(50_000);
        Purchase p = purchase(card);
        Answer a = send("POST", "/v1/payments", body(p, "").replace("\"mallId\":\"APIMALL1\"", "\"mallId\":\"APIMALL2\""), "other-" + p.orderId());
        assertEquals(403, a.status());
        assertEquals("MALL_MISMATCH", a.code());
        assertEquals(50_000, host.available(card));
    }

    private String cardBody(String orderId, String card) {
        return "{\"mallId\":\"APIMALL1\",\"orderId\":\"" + orderId + "\",\"customerRef\":\"cust-77\",\"card\":" + card
                + ",\"goods\":[{\"name\":\"Green tea 50 bags\",\"quantity\":2,\"unitPrice\":4500},{\"name\":\"Mug\",\"quantity\":1,\"unitPrice\":12000}],"
                + "\"total\":21000,\"currency\":\"KRW\"}";
    }

    private static String card(String number, String expiry, String cvv2, String pin) {
        return "{\"number\":\"" + number + "\",\"expiry\":\"" + expiry + "\",\"cvv2\":\"" + cvv2 + "\",\"pin\":\"" + pin + "\"}";
    }

    @Test
    void aCardPaymentIsApprovedAndShowsOnlyTheMaskedCard() throws Exception {
        InProcessHost.IssuedCard c = host.fundedCardWithData(50_000);
        String orderId = "API-CARD-" + (++orders);
        String body = cardBody(orderId, card(c.pan(), c.expiry(), c.cvv2(), InProcessHost.PIN));
        Answer paid = send("POST", "/v1/payments", body, "card-" + orderId);
        assertEquals(201, paid.status(), new String(paid.body(), StandardCharsets.UTF_8));
        assertEquals("APPROVED", paid.json().path("status").asText());
        assertEquals(c.pan().substring(0, 6) + "******" + c.pan().substring(12), paid.json().path("maskedCard").asText());
        assertTrue(!new String(paid.body(), StandardCharsets.UTF_8).contains(c.pan()), "never the full number");
        assertEquals(29_000, host.available(c.card()));
        Answer retry = send("POST", "/v1/payments", body, "card-" + orderId);
        assertArrayEquals(paid.body(), retry.body(), "a retry is answered from the stored response");
        assertEquals(29_000, host.available(c.card()), "paid once");

        String wrongPin = cardBody("API-CARD-" + (++orders), card(c.pan(), c.expiry(), c.cvv2(), "9999"));
        Answer declined = send("POST", "/v1/payments", wrongPin, "card-pin-" + orders);
        assertEquals(201, declined.status());
        assertEquals("DECLINED", declined.json().path("status").asText());
        assertEquals("PIN_INCORRECT", declined.json().path("declineReason").asText());
        assertEquals(29_000, host.available(c.card()));
    }

    @Test
    void aCardPaymentIsCheckedFieldByFieldAndCarriesNoPurchaseRef() throws Exception {
        long payments = rows("mall_payment");
        String orderId = "API-CARD-" + (++orders);
        Answer bad = send("POST", "/v1/payments", cardBody(orderId, card("9410000000000014", "3013", "12", "12345")), "card-bad-" + orderId);
        assertEquals(400, bad.status());
        List<String> fields = new ArrayList<>();
        bad.json().path("errors").forEach(e -> fields.add(e.path("field").asText()));
        assertEquals(List.of("card.number", "card.expiry", "card.cvv2", "card.pin"), fields);
        assertTrue(!new String(bad.body(), StandardCharsets.UTF_8).contains("9410000000000014"), "no value echoed");
        Answer extra = send("POST", "/v1/payments", cardBody(orderId, "{\"number\":\"9410000000000013\",\"expiry\":\"3012\",\"cvv2\":\"639\","
                + "\"pin\":\"1234\",\"name\":\"HONG\"}"), "card-extra-" + orderId);
        assertEquals("card.name", extra.field());
        String both = cardBody(orderId, card("9410000000000013", "3012", "639", "1234")).replace("\"customerRef\"", "\"purchaseRef\":\"pur_" + "a".repeat(26)
                + "\",\"customerRef\"");
        Answer withRef = send("POST", "/v1/payments", both, "card-ref-" + orderId);
        assertEquals("PURCHASE_REF_WITH_CARD", withRef.code());
        assertEquals("purchaseRef", withRef.field());
        Answer notObject = send("POST", "/v1/payments", cardBody(orderId, "\"9410000000000013\""), "card-str-" + orderId);
        assertEquals("WRONG_TYPE", notObject.code());
        assertEquals("card", notObject.field());
        assertEquals(payments, rows("mall_payment"), "nothing stored");
    }
}
