// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import static org.anonpay.web.Calls.code;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.anonpay.authz.Decline;
import org.anonpay.authz.JournalEntry;
import org.anonpay.authz.MessageKey;
import org.anonpay.authz.TransactionType;
import org.anonpay.gateway.mall.Mall;
import org.anonpay.gateway.mall.Malls;
import org.anonpay.gateway.purchase.Goods;
import org.anonpay.gateway.purchase.Purchase;
import org.anonpay.gateway.purchase.Purchases;
import org.anonpay.web.member.MemberApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /api/v1/purchases} (the wallet program's b5) over real HTTP and MariaDB: every field
 * error named at once and nothing stored, the mall and card checks, CSRF, the purchase as the
 * gateway's {@link Purchases} reads it, the public mall name, and the card history showing the
 * mall's name and goods of a paid wallet purchase (b10).
 */
class PurchaseApiTest {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
            .withPerMethodLifecycle(false);

    private static final AtomicInteger ADDRESS = new AtomicInteger(1);
    private static final AtomicInteger ORDER = new AtomicInteger(1000);
    private static final AtomicInteger STAN = new AtomicInteger(1);
    private static final String MALL = "DEMOMALL01";
    private static WebTestServer web;
    private static Calls calls;

    @BeforeAll
    static void start() throws Exception {
        int smtpPort = MAIL.getSmtp().getPort();
        web = new WebTestServer("purchases", Clock.system(MemberApi.KOREA),
                s -> s.withMail(s.mail().withServer("127.0.0.1", smtpPort)).withAuth(s.auth().withTrustForwardedFor(true)));
        calls = new Calls(web);
        Malls malls = Malls.load(WebTestServer.root().resolve("cfg/keys"));
        Instant now = Instant.now();
        web.database.inJdbcTransaction(c -> {
            malls.add(c, new Mall(MALL, "데모 쇼핑몰", "5999", Mall.Kind.PARTNER, Mall.State.ACTIVE, null, now));
            malls.add(c, new Mall("SLEEPYMALL", "Suspended Mall", "5999", Mall.Kind.PARTNER, Mall.State.SUSPENDED, null, now));
            malls.add(c, new Mall("VANSHOP01", "VAN Shop", "5411", Mall.Kind.NON_AFFILIATED, Mall.State.ACTIVE, null, now));
            return null;
        });
    }

    @AfterAll
    static void stop() {
        if (web != null) web.close();
    }

    private record Member(Calls.Login login, String address) {}

    private static Member member() throws Exception {
        Map<String, Object> m = calls.register();
        int n = ADDRESS.getAndIncrement();
        String address = "10.9." + n / 250 + "." + (n % 250 + 1);
        return new Member(calls.loggedIn((String) m.get("memberId"), (String) m.get("password"), address), address);
    }

    private static long card(Member m, String programId) throws Exception {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("programId", programId);
        a.put("cardName", "장보기");
        a.put("pin", "4821");
        a.put("pinConfirm", "4821");
        a.put("emailStatements", false);
        a.put("physicalCard", false);
        HttpResponse<String> r = call(m, "POST", "/api/v1/cards", a);
        assertEquals(201, r.statusCode(), r.body());
        return TestMembers.parse(r.body()).get("cardId").asLong();
    }

    private static HttpResponse<String> call(Member m, String method, String path, Object body) throws Exception {
        return calls.call(method, path, body, m.address(), m.login().sessionId(), m.login().csrfToken());
    }

    /** The demo purchase of docs/wallet-program.md: 12,000 + 2 × 4,500 = 21,000 KRW. */
    private static Map<String, Object> purchase(long cardId) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("mallId", MALL);
        p.put("customerRef", "cust-77");
        p.put("orderId", "ORD-" + ORDER.incrementAndGet());
        p.put("goods", List.of(item("Mug", 1, 12_000), item("Tea", 2, 4_500)));
        p.put("total", 21_000);
        p.put("currency", "KRW");
        p.put("cardId", cardId);
        return p;
    }

    private static Map<String, Object> item(Object name, Object quantity, Object unitPrice) {
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("name", name);
        i.put("quantity", quantity);
        i.put("unitPrice", unitPrice);
        return i;
    }

    private static List<String> fields(HttpResponse<String> r) {
        List<String> fields = new ArrayList<>();
        TestMembers.parse(r.body()).get("errors").forEach(e -> fields.add(e.get("code").asText() + " " + e.get("field").asText()));
        return fields;
    }

    // ---------------------------------------------------------------- created

    @Test
    void aConfirmedPurchaseIsKeptForTheMallsRequest() throws Exception {
        Member m = member();
        long cardId = card(m, "KRW-PREPAID");
        Map<String, Object> p = purchase(cardId);
        Instant before = Instant.now();
        HttpResponse<String> r = call(m, "POST", "/api/v1/purchases", p);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode body = TestMembers.parse(r.body());
        String ref = body.get("purchaseRef").asText();
        assertTrue(ref.matches("pur_[a-z2-7]{26}"), ref);
        assertEquals("데모 쇼핑몰", body.get("mallName").asText());
        assertEquals(21_000, body.get("total").asLong());
        assertEquals("KRW", body.get("currency").asText());
        assertEquals(5, body.size(), "only the reference, expiry, mall name, total, currency: " + body);
        Instant expires = Instant.parse(body.get("expiresAt").asText());
        Duration ttl = Duration.between(before, expires);
        assertTrue(ttl.compareTo(Duration.ofMinutes(14)) > 0 && ttl.compareTo(Duration.ofMinutes(16)) < 0, "purchase.ttl-minutes=15: " + ttl);

        Purchase stored = web.database.inJdbcTransaction(c -> new Purchases(Duration.ofMinutes(15)).find(c, ref)).orElseThrow();
        assertEquals(MALL, stored.mallId());
        assertEquals("cust-77", stored.customerRef());
        assertEquals(p.get("orderId"), stored.orderId());
        assertEquals(Goods.of(new Goods.Item("Tea", 2, 4_500), new Goods.Item("Mug", 1, 12_000)), stored.goods());
        assertEquals(21_000, stored.totalMinor());
        assertEquals("KRW", stored.currency());
        assertEquals(cardId, stored.cardId());
        assertEquals(Purchase.State.PENDING, stored.state());
        assertEquals(expires, stored.expiresAt());

        // the member chooses again for the same order: a new reference, the first one expired
        HttpResponse<String> again = call(m, "POST", "/api/v1/purchases", p);
        assertEquals(201, again.statusCode(), again.body());
        assertEquals(Purchase.State.EXPIRED, web.database.inJdbcTransaction(c -> new Purchases(Duration.ofMinutes(15)).find(c, ref)).orElseThrow().state());
    }

    @Test
    void anOrderAlreadyPaidIs409() throws Exception {
        Member m = member();
        long cardId = card(m, "KRW-PREPAID");
        Map<String, Object> p = purchase(cardId);
        String ref = TestMembers.parse(call(m, "POST", "/api/v1/purchases", p).body()).get("purchaseRef").asText();
        markPaid(ref, "020x acq=1 tid=T stan=000001 time=0101000000");
        long rows = web.count("wallet_purchase");
        HttpResponse<String> r = call(m, "POST", "/api/v1/purchases", p);
        assertEquals(409, r.statusCode(), r.body());
        assertEquals("ORDER_ALREADY_PAID", code(r));
        assertEquals(List.of("ORDER_ALREADY_PAID orderId"), fields(r));
        assertEquals(rows, web.count("wallet_purchase"));
    }

    // ---------------------------------------------------------------- refused, nothing stored

    @Test
    void everyFieldErrorIsNamedAtOnceAndNothingIsStored() throws Exception {
        Member m = member();
        card(m, "KRW-PREPAID");
        long rows = web.count("wallet_purchase");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("mallId", "demo mall");
        p.put("customerRef", "hong@example.com");
        p.put("orderId", "x".repeat(65));
        List<Object> goods = new ArrayList<>();
        goods.add(item("", 0, -1));
        goods.add(item("Tea", "2", 4.5));
        goods.add("Mug");
        p.put("goods", goods);
        p.put("total", "21000");
        p.put("currency", "WON");
        p.put("cardId", "7");
        p.put("memberId", "Hong1234");
        HttpResponse<String> r = call(m, "POST", "/api/v1/purchases", p);
        assertEquals(400, r.statusCode(), r.body());
        assertEquals(List.of("INVALID_FORMAT mallId", "PERSONAL_DATA_NOT_ACCEPTED customerRef", "TOO_LONG orderId",
                "REQUIRED goods[0].name", "INVALID_VALUE goods[0].quantity", "INVALID_VALUE goods[0].unitPrice",
                "WRONG_TYPE goods[1].quantity", "WRONG_TYPE goods[1].unitPrice", "WRONG_TYPE goods[2]",
                "WRONG_TYPE total", "INVALID_VALUE currency", "WRONG_TYPE cardId", "UNKNOWN_FIELD memberId"), fields(r));
        assertEquals(rows, web.count("wallet_purchase"));

        HttpResponse<String> empty = call(m, "POST", "/api/v1/purchases", Map.of());
        assertEquals(List.of("REQUIRED mallId", "REQUIRED customerRef", "REQUIRED orderId", "REQUIRED goods", "REQUIRED total",
                "REQUIRED currency", "REQUIRED cardId"), fields(empty));

        Map<String, Object> spaces = purchase(1);
        spaces.put("customerRef", "cust 77");
        spaces.put("goods", List.of(item("카드 9410000000000013", 1, 21_000)));
        assertEquals(List.of("INVALID_CHARACTERS customerRef", "PERSONAL_DATA_NOT_ACCEPTED goods[0].name"), fields(call(m, "POST", "/api/v1/purchases", spaces)));
        assertEquals(rows, web.count("wallet_purchase"));
    }

    @Test
    void theTotalMustBeTheSumOfTheGoods() throws Exception {
        Member m = member();
        long cardId = card(m, "KRW-PREPAID");
        long rows = web.count("wallet_purchase");
        Map<String, Object> p = purchase(cardId);
        p.put("total", 20_000);
        HttpResponse<String> r = call(m, "POST", "/api/v1/purchases", p);
        assertEquals(400, r.statusCode(), r.body());
        assertEquals(List.of("TOTAL_NOT_SUM_OF_GOODS total"), fields(r));
        p.put("total", 0);
        p.put("goods", List.of(item("Free sample", 1, 0)));
        assertEquals(List.of("INVALID_VALUE total"), fields(call(m, "POST", "/api/v1/purchases", p)));
        assertEquals(rows, web.count("wallet_purchase"));
    }

    @Test
    void theMallMustBeAnActivePartner() throws Exception {
        Member m = member();
        long cardId = card(m, "KRW-PREPAID");
        long rows = web.count("wallet_purchase");
        Map<String, Object> p = purchase(cardId);
        p.put("mallId", "NOSUCHMALL");
        HttpResponse<String> unknown = call(m, "POST", "/api/v1/purchases", p);
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertEquals(List.of("NOT_FOUND mallId"), fields(unknown));
        for (String mall : List.of("SLEEPYMALL", "VANSHOP01")) {
            p.put("mallId", mall);
            HttpResponse<String> r = call(m, "POST", "/api/v1/purchases", p);
            assertEquals(422, r.statusCode(), r.body());
            assertEquals(List.of("MALL_NOT_ACCEPTED mallId"), fields(r));
        }
        assertEquals(rows, web.count("wallet_purchase"));
    }

    @Test
    void anotherMembersCardIs404() throws Exception {
        Member owner = member();
        long cardId = card(owner, "KRW-PREPAID");
        Member other = member();
        long rows = web.count("wallet_purchase");
        HttpResponse<String> r = call(other, "POST", "/api/v1/purchases", purchase(cardId));
        assertEquals(404, r.statusCode(), r.body());
        assertEquals(List.of("NOT_FOUND cardId"), fields(r));
        HttpResponse<String> none = call(other, "POST", "/api/v1/purchases", purchase(999_999_999));
        assertEquals(r.body(), none.body(), "another member's card is exactly as absent as a missing one");
        assertEquals(rows, web.count("wallet_purchase"));
    }

    @Test
    void aFrozenCardOrOneOfAnotherCurrencyIsRefused() throws Exception {
        Member m = member();
        long krw = card(m, "KRW-PREPAID");
        long usd = card(m, "USD-PREPAID");
        long rows = web.count("wallet_purchase");
        HttpResponse<String> currency = call(m, "POST", "/api/v1/purchases", purchase(usd));
        assertEquals(422, currency.statusCode(), currency.body());
        assertEquals(List.of("CARD_CURRENCY_MISMATCH cardId"), fields(currency));

        assertEquals(200, call(m, "POST", "/api/v1/cards/" + krw + "/freeze", null).statusCode());
        HttpResponse<String> frozen = call(m, "POST", "/api/v1/purchases", purchase(krw));
        assertEquals(409, frozen.statusCode(), frozen.body());
        assertEquals(List.of("CARD_STATE_CONFLICT cardId"), fields(frozen));

        // both checks of stored data at once: the mall and the card
        Map<String, Object> both = purchase(krw);
        both.put("mallId", "SLEEPYMALL");
        assertEquals(List.of("MALL_NOT_ACCEPTED mallId", "CARD_STATE_CONFLICT cardId"), fields(call(m, "POST", "/api/v1/purchases", both)));
        assertEquals(rows, web.count("wallet_purchase"));
    }

    @Test
    void withoutTheCsrfTokenOrASessionNothingIsStored() throws Exception {
        Member m = member();
        long cardId = card(m, "KRW-PREPAID");
        long rows = web.count("wallet_purchase");
        HttpResponse<String> noToken = calls.call("POST", "/api/v1/purchases", purchase(cardId), m.address(), m.login().sessionId(), null);
        assertEquals(403, noToken.statusCode(), noToken.body());
        assertEquals("CSRF_TOKEN_INVALID", code(noToken));
        HttpResponse<String> wrongToken = calls.call("POST", "/api/v1/purchases", purchase(cardId), m.address(), m.login().sessionId(), "x".repeat(43));
        assertEquals(403, wrongToken.statusCode());
        HttpResponse<String> noSession = calls.call("POST", "/api/v1/purchases", purchase(cardId), m.address(), null, null);
        assertEquals(401, noSession.statusCode());
        assertEquals("NOT_AUTHENTICATED", code(noSession));
        assertEquals(rows, web.count("wallet_purchase"));
    }

    // ---------------------------------------------------------------- mall name, history

    @Test
    void theWalletShowsAnActivePartnerMallsName() throws Exception {
        HttpResponse<String> r = web.get("/api/v1/malls/" + MALL);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("데모 쇼핑몰", TestMembers.parse(r.body()).get("name").asText());
        for (String mall : List.of("SLEEPYMALL", "VANSHOP01", "NOSUCHMALL", "lower", "A%20B")) {
            assertEquals(404, web.get("/api/v1/malls/" + mall).statusCode(), mall);
        }
    }

    @Test
    void theHistoryShowsTheMallsNameAndGoodsOfAWalletPayment() throws Exception {
        Member m = member();
        long cardId = card(m, "KRW-PREPAID");
        String ref = TestMembers.parse(call(m, "POST", "/api/v1/purchases", purchase(cardId)).body()).get("purchaseRef").asText();
        MessageKey paid = journal(cardId, MALL, "DEMO MALL SEOUL");
        markPaid(ref, paid.toString());
        journal(cardId, "GS25JONGNO0001", "GS25 JONGNO");

        HttpResponse<String> r = call(m, "GET", "/api/v1/cards/" + cardId + "/history", null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode tx = TestMembers.parse(r.body()).get("transactions");
        assertEquals(2, tx.size(), r.body());
        JsonNode shop = tx.get(0);
        assertTrue(shop.get("mallName").isNull(), "not a mall: " + shop);
        assertTrue(shop.get("goods").isNull(), shop.toString());
        JsonNode wallet = tx.get(1);
        assertEquals("데모 쇼핑몰", wallet.get("mallName").asText());
        assertEquals("DEMO MALL SEOUL", wallet.get("merchant").asText());
        JsonNode goods = wallet.get("goods");
        assertNotNull(goods);
        assertEquals(2, goods.size(), goods.toString());
        assertEquals("Mug", goods.get(0).get("name").asText());
        assertEquals(1, goods.get(0).get("quantity").asInt());
        assertEquals(12_000, goods.get(0).get("unitPrice").asLong());
        assertEquals("Tea", goods.get(1).get("name").asText());
        assertEquals(2, goods.get(1).get("quantity").asInt());

        // another member never sees these goods, even with a journal entry of the same key on a card of theirs
        Member other = member();
        long otherCard = card(other, "KRW-PREPAID");
        HttpResponse<String> theirs = call(other, "GET", "/api/v1/cards/" + otherCard + "/history", null);
        assertFalse(theirs.body().contains("Mug"), theirs.body());
    }

    private static void markPaid(String ref, String paymentRef) {
        web.database.inJdbcTransaction(c -> {
            Purchases purchases = new Purchases(Duration.ofMinutes(15));
            Purchase p = purchases.lock(c, ref).orElseThrow();
            assertEquals(Purchases.PayStatus.PAID, purchases.markPaid(c, p, paymentRef, Instant.now()));
            return null;
        });
    }

    private static MessageKey journal(long cardId, String merchantId, String merchantName) {
        String stan = String.format("%06d", STAN.getAndIncrement());
        MessageKey key = new MessageKey("12345", "MALLAPI1", stan, "0101000000", "020");
        web.database.inTransaction(s -> {
            s.persist(new JournalEntry("0200", TransactionType.PURCHASE, key)
                    .request("000000", merchantId, "010100" + stan, new byte[32])
                    .merchantName(merchantName)
                    .money(21_000, "KRW", LocalDate.now())
                    .card(cardId, "941000******0013")
                    .outcome(Decline.APPROVED, null, "123456", null)
                    .transfers(null, 0, null, 0));
            return null;
        });
        return key;
    }
}
