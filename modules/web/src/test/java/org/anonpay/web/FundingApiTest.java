// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import static org.anonpay.web.Calls.code;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.anonpay.extissuer.SimulatedCards;
import org.anonpay.extissuer.SimulatedIssuer;
import org.anonpay.iso.AnonpayPackager;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISOResponseListener;
import org.jpos.iso.MUX;
import org.jpos.util.NameRegistrar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Funding sources and the top-up paths that end before a load (a7), over real HTTP and MariaDB.
 * The other issuer is the extissuer module's {@link SimulatedIssuer} behind an in-process MUX
 * registered as "external-issuer" (messages packed and unpacked as on the wire; an answer the
 * simulator would send late counts as no answer). Loads need the host's transaction manager:
 * those paths are TopupIT's, in the host module.
 */
class FundingApiTest {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
            .withPerMethodLifecycle(false);

    private static final AtomicInteger ADDRESS = new AtomicInteger(1);
    private static final AtomicInteger REQUEST = new AtomicInteger(1);
    private static WebTestServer web;
    private static Calls calls;
    private static SimulatedIssuer otherIssuer;

    /** The QMUX of deploy/66 as the funding code sees it, answering from the simulator's rules. */
    static final class SimulatorMux implements MUX {
        private final AnonpayPackager packager = AnonpayPackager.load();

        @Override
        public ISOMsg request(ISOMsg m, long timeout) throws ISOException {
            ISOMsg wire = roundTrip(m);
            SimulatedIssuer.Answer answer = otherIssuer.answer(wire);
            if (answer.response().isEmpty() || answer.delayMs() > 0) return null;
            return roundTrip(answer.response().get());
        }

        private ISOMsg roundTrip(ISOMsg m) throws ISOException {
            ISOMsg copy = (ISOMsg) m.clone();
            copy.setPackager(packager);
            byte[] bytes = copy.pack();
            ISOMsg back = new ISOMsg();
            back.setPackager(packager);
            back.unpack(bytes);
            return back;
        }

        @Override
        public void request(ISOMsg m, long timeout, ISOResponseListener listener, Object handback) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void send(ISOMsg m) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isConnected() {
            return true;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        otherIssuer = new SimulatedIssuer(SimulatedCards.load(WebTestServer.root().resolve("cfg/extissuer/cards.properties")), 3000);
        NameRegistrar.register("mux.external-issuer", new SimulatorMux());
        int smtpPort = MAIL.getSmtp().getPort();
        web = new WebTestServer("funding", java.time.Clock.system(org.anonpay.web.member.MemberApi.KOREA),
                s -> s.withMail(s.mail().withServer("127.0.0.1", smtpPort)).withAuth(s.auth().withTrustForwardedFor(true)));
        calls = new Calls(web);
    }

    @AfterAll
    static void stop() {
        NameRegistrar.unregister("mux.external-issuer");
        if (web != null) web.close();
    }

    private record Member(Calls.Login login, String address) {}

    private static Member member() throws Exception {
        Map<String, Object> m = calls.register();
        int n = ADDRESS.getAndIncrement();
        String address = "10.7." + n / 250 + "." + (n % 250 + 1);
        return new Member(calls.loggedIn((String) m.get("memberId"), (String) m.get("password"), address), address);
    }

    private static HttpResponse<String> call(Member m, String method, String path, Object body) throws Exception {
        return calls.call(method, path, body, m.address(), m.login().sessionId(), m.login().csrfToken());
    }

    private static Map<String, Object> card(String pan, String expiry, String cvv2) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("kind", "CREDIT_CARD");
        b.put("pan", pan);
        b.put("expiry", expiry);
        b.put("cvv2", cvv2);
        return b;
    }

    private static Map<String, Object> account(String bankCode, String number) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("kind", "BANK_ACCOUNT");
        b.put("bankCode", bankCode);
        b.put("accountNumber", number);
        b.put("holderName", "홍길동");
        return b;
    }

    private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        Map<String, Object> b = new HashMap<>(body);
        if (value == null) b.remove(field);
        else b.put(field, value);
        return b;
    }

    private static long addSource(Member m, Map<String, Object> body) throws Exception {
        HttpResponse<String> r = call(m, "POST", "/api/v1/funding-sources", body);
        assertEquals(201, r.statusCode(), r.body());
        return TestMembers.parse(r.body()).get("sourceId").asLong();
    }

    private static long applyForCard(Member m) throws Exception {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("programId", "KRW-PREPAID");
        a.put("cardName", "충전 카드");
        a.put("pin", "4821");
        a.put("pinConfirm", "4821");
        a.put("emailStatements", false);
        a.put("physicalCard", false);
        HttpResponse<String> r = call(m, "POST", "/api/v1/cards", a);
        assertEquals(201, r.statusCode(), r.body());
        return TestMembers.parse(r.body()).get("cardId").asLong();
    }

    private static Map<String, Object> topup(long sourceId, Object amount, String requestId) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("sourceId", sourceId);
        b.put("amount", amount);
        b.put("requestId", requestId);
        return b;
    }

    private static String requestId() {
        return "test-request-" + REQUEST.getAndIncrement() + "-" + System.nanoTime();
    }

    /** error code by field, of every error of a 4xx answer */
    private static Map<String, String> errors(HttpResponse<String> r) {
        Map<String, String> byField = new HashMap<>();
        for (JsonNode e : TestMembers.parse(r.body()).get("errors")) {
            byField.put(e.get("field").isNull() ? null : e.get("field").asText(), e.get("code").asText());
        }
        return byField;
    }

    private static JsonNode sources(Member m) throws Exception {
        HttpResponse<String> r = call(m, "GET", "/api/v1/funding-sources", null);
        assertEquals(200, r.statusCode(), r.body());
        return TestMembers.parse(r.body()).get("sources");
    }

    private static String topupState(long cardId) {
        return web.database.inJdbcTransaction(c -> {
            try (var ps = c.prepareStatement("SELECT state FROM topup WHERE card_id = ? ORDER BY id DESC LIMIT 1")) {
                ps.setLong(1, cardId);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    // ---------------------------------------------------------------- banks

    @Test
    void theBankListIsPublic() throws Exception {
        HttpResponse<String> r = web.get("/api/v1/banks");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode banks = TestMembers.parse(r.body()).get("banks");
        boolean kb = false;
        for (JsonNode b : banks) kb |= b.get("bankCode").asText().equals("004") && b.get("nameKo").asText().equals("KB국민은행");
        assertTrue(kb, r.body());
    }

    // ---------------------------------------------------------------- credit cards

    @Test
    void aVerifiedCardIsStoredEncryptedAndListedMasked() throws Exception {
        Member m = member();
        HttpResponse<String> r = call(m, "POST", "/api/v1/funding-sources", with(card("4111 1111 1111 1111", "2912", "123"), "label", "내 비자"));
        assertEquals(201, r.statusCode(), r.body());
        JsonNode body = TestMembers.parse(r.body());
        assertEquals("CREDIT_CARD", body.get("kind").asText());
        assertEquals("411111******1111", body.get("masked").asText());
        assertEquals("2912", body.get("expiry").asText());
        assertEquals("내 비자", body.get("label").asText());
        JsonNode listed = sources(m);
        assertEquals(1, listed.size());
        assertEquals(body.get("sourceId").asLong(), listed.get(0).get("sourceId").asLong());
        assertFalse(r.body().contains("4111111111111111") || r.body().contains("123\""), r.body());
        byte[] stored = web.database.inJdbcTransaction(c -> {
            try (var ps = c.prepareStatement("SELECT number_encrypted FROM funding_source WHERE id = ?")) {
                ps.setLong(1, body.get("sourceId").asLong());
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBytes(1);
                }
            }
        });
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("4111111111111111"));
    }

    @Test
    void cardFieldsAreCheckedAllAtOnceAndNothingIsStored() throws Exception {
        Member m = member();
        long before = web.count("funding_source");
        Map<String, Object> bad = card("4111111111111112", "1399", "12a");
        bad.put("label", 5);
        bad.put("nickname", "x");
        HttpResponse<String> r = call(m, "POST", "/api/v1/funding-sources", bad);
        assertEquals(400, r.statusCode(), r.body());
        assertEquals(Map.of("pan", "INVALID_CHECK_DIGIT", "expiry", "INVALID_FORMAT", "cvv2", "INVALID_FORMAT", "label", "WRONG_TYPE",
                "nickname", "UNKNOWN_FIELD"), errors(r));
        assertEquals(Map.of("pan", "REQUIRED", "expiry", "REQUIRED", "cvv2", "REQUIRED"),
                errors(call(m, "POST", "/api/v1/funding-sources", Map.of("kind", "CREDIT_CARD"))));
        assertEquals(Map.of("kind", "REQUIRED"), errors(call(m, "POST", "/api/v1/funding-sources", Map.of())));
        assertEquals(Map.of("kind", "INVALID_VALUE"), errors(call(m, "POST", "/api/v1/funding-sources", Map.of("kind", "PAYPAL"))));
        assertEquals(Map.of("pan", "INVALID_FORMAT"), errors(call(m, "POST", "/api/v1/funding-sources", card("12345", "2912", "123"))));
        assertEquals(Map.of("expiry", "DATE_OUT_OF_RANGE"), errors(call(m, "POST", "/api/v1/funding-sources", card("4111111111111111", "2001", "123"))));
        assertEquals(Map.of("label", "TOO_LONG"), errors(call(m, "POST", "/api/v1/funding-sources",
                with(card("4111111111111111", "2912", "123"), "label", "x".repeat(31)))));
        // anonpay's own prepaid BIN (KRW-PREPAID's 94100000-94109999)
        assertEquals(Map.of("pan", "INVALID_VALUE"), errors(call(m, "POST", "/api/v1/funding-sources", card("9410000000000013", "3012", "639"))));
        assertEquals(before, web.count("funding_source"));
    }

    @Test
    void theIssuerMustConfirmTheCardAndEachRefusalNamesItsField() throws Exception {
        Member m = member();
        long before = web.count("funding_source");
        HttpResponse<String> cvv2 = call(m, "POST", "/api/v1/funding-sources", card("4111111111111111", "2912", "999"));
        assertEquals(422, cvv2.statusCode(), cvv2.body());
        assertEquals(Map.of("cvv2", "OWNERSHIP_NOT_CONFIRMED"), errors(cvv2));
        assertEquals(Map.of("expiry", "OWNERSHIP_NOT_CONFIRMED"), errors(call(m, "POST", "/api/v1/funding-sources", card("4111111111111111", "2812", "123"))));
        // a valid test number the other issuer does not know
        assertEquals(Map.of("pan", "OWNERSHIP_NOT_CONFIRMED"), errors(call(m, "POST", "/api/v1/funding-sources", card("5555555555554444", "2912", "123"))));
        assertEquals(before, web.count("funding_source"));
        assertEquals(0, sources(m).size());
    }

    @Test
    void theSameCardTwiceIsRefusedUntilRemoved() throws Exception {
        Member m = member();
        long id = addSource(m, card("4242424242424242", "3001", "321"));
        HttpResponse<String> again = call(m, "POST", "/api/v1/funding-sources", card("4242-4242-4242-4242", "3001", "321"));
        assertEquals(409, again.statusCode(), again.body());
        assertEquals(Map.of("pan", "FUNDING_SOURCE_EXISTS"), errors(again));
        assertEquals(204, call(m, "DELETE", "/api/v1/funding-sources/" + id, null).statusCode());
        long readded = addSource(m, card("4242424242424242", "3001", "321"));
        assertTrue(readded != id);
        // another member may hold the same card in their wallet
        addSource(member(), card("4242424242424242", "3001", "321"));
    }

    // ---------------------------------------------------------------- bank accounts

    @Test
    void aBankAccountIsStoredWithItsLastFourDigitsShown() throws Exception {
        Member m = member();
        HttpResponse<String> r = call(m, "POST", "/api/v1/funding-sources", with(account("004", "123-456-789012"), "label", "월급 통장"));
        assertEquals(201, r.statusCode(), r.body());
        JsonNode body = TestMembers.parse(r.body());
        assertEquals("BANK_ACCOUNT", body.get("kind").asText());
        assertEquals("******9012", body.get("masked").asText());
        assertEquals("004", body.get("bankCode").asText());
        assertEquals("KB국민은행", body.get("bankName").asText());
        assertNull(body.get("expiry"));
        HttpResponse<String> again = call(m, "POST", "/api/v1/funding-sources", account("004", "123456789012"));
        assertEquals(409, again.statusCode(), again.body());
        assertEquals(Map.of("accountNumber", "FUNDING_SOURCE_EXISTS"), errors(again));
        // the same number at another bank is another account
        addSource(m, account("088", "123456789012"));
    }

    @Test
    void bankAccountFieldsAreCheckedAllAtOnce() throws Exception {
        Member m = member();
        long before = web.count("funding_source");
        Map<String, Object> bad = account("999", "12-34");
        bad.put("holderName", "가".repeat(31));
        bad.put("pan", "4111111111111111");
        assertEquals(Map.of("bankCode", "INVALID_VALUE", "accountNumber", "TOO_SHORT", "holderName", "TOO_LONG", "pan", "UNKNOWN_FIELD"),
                errors(call(m, "POST", "/api/v1/funding-sources", bad)));
        assertEquals(Map.of("accountNumber", "TOO_LONG"), errors(call(m, "POST", "/api/v1/funding-sources", account("004", "123456789012345"))));
        assertEquals(Map.of("accountNumber", "INVALID_CHARACTERS"), errors(call(m, "POST", "/api/v1/funding-sources", account("004", "12345abc9012"))));
        assertEquals(Map.of("holderName", "REQUIRED"), errors(call(m, "POST", "/api/v1/funding-sources", with(account("004", "1234567890"), "holderName", null))));
        assertEquals(Map.of("bankCode", "REQUIRED", "accountNumber", "REQUIRED", "holderName", "REQUIRED"),
                errors(call(m, "POST", "/api/v1/funding-sources", Map.of("kind", "BANK_ACCOUNT"))));
        assertEquals(before, web.count("funding_source"));
    }

    // ---------------------------------------------------------------- removal, other members, CSRF

    @Test
    void removalIsSoftAndOnlyTheOwnerMayRemove() throws Exception {
        Member owner = member();
        Member other = member();
        long id = addSource(owner, account("020", "1002-123-456789"));
        assertEquals(404, call(other, "DELETE", "/api/v1/funding-sources/" + id, null).statusCode());
        assertEquals(404, call(owner, "DELETE", "/api/v1/funding-sources/abc", null).statusCode());
        assertEquals(1, sources(owner).size());
        HttpResponse<String> removed = call(owner, "DELETE", "/api/v1/funding-sources/" + id, null);
        assertEquals(204, removed.statusCode(), removed.body());
        assertEquals(0, sources(owner).size());
        assertEquals(404, call(owner, "DELETE", "/api/v1/funding-sources/" + id, null).statusCode());
        int removedRows = web.database.inJdbcTransaction(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM funding_source WHERE removed_at IS NOT NULL AND id = " + id)) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertEquals(1, removedRows);
    }

    @Test
    void changesNeedTheSessionAndItsCsrfToken() throws Exception {
        Member m = member();
        long before = web.count("funding_source");
        HttpResponse<String> noCsrf = calls.call("POST", "/api/v1/funding-sources", account("004", "1234567890"), m.address(), m.login().sessionId(), null);
        assertEquals(403, noCsrf.statusCode(), noCsrf.body());
        assertEquals("CSRF_TOKEN_INVALID", code(noCsrf));
        HttpResponse<String> noSession = calls.call("GET", "/api/v1/funding-sources", null, m.address(), null, null);
        assertEquals(401, noSession.statusCode());
        long id = addSource(m, account("004", "1234567890"));
        HttpResponse<String> deleteNoCsrf = calls.call("DELETE", "/api/v1/funding-sources/" + id, null, m.address(), m.login().sessionId(), null);
        assertEquals(403, deleteNoCsrf.statusCode());
        assertEquals(1, sources(m).size());
        HttpResponse<String> topupNoCsrf = calls.call("POST", "/api/v1/cards/1/topups", topup(id, 1000, requestId()), m.address(), m.login().sessionId(), null);
        assertEquals(403, topupNoCsrf.statusCode());
        assertEquals(before + 1, web.count("funding_source"));
    }

    // ---------------------------------------------------------------- top-ups that end before a load

    @Test
    void topupFieldsCardAndSourceAreCheckedBeforeAnythingIsWritten() throws Exception {
        Member m = member();
        Member other = member();
        long cardId = applyForCard(m);
        long sourceId = addSource(m, account("004", "1234567890"));
        long othersSource = addSource(other, account("004", "1234567890"));
        long othersCard = applyForCard(other);
        long before = web.count("topup");
        String path = "/api/v1/cards/" + cardId + "/topups";
        assertEquals(Map.of("sourceId", "REQUIRED", "amount", "REQUIRED", "requestId", "REQUIRED"), errors(call(m, "POST", path, Map.of())));
        assertEquals(Map.of("amount", "INVALID_VALUE", "requestId", "TOO_SHORT"), errors(call(m, "POST", path, topup(sourceId, -5, "short"))));
        assertEquals(Map.of("amount", "WRONG_TYPE", "requestId", "INVALID_CHARACTERS"), errors(call(m, "POST", path, topup(sourceId, 1.5, "bad id !!!"))));
        assertEquals(Map.of("amount", "WRONG_TYPE", "requestId", "TOO_LONG"), errors(call(m, "POST", path, topup(sourceId, "1000", "a".repeat(65)))));
        assertEquals(Map.of("extra", "UNKNOWN_FIELD"), errors(call(m, "POST", path, with(topup(sourceId, 1000, requestId()), "extra", 1))));
        // KRW-PREPAID holds at most 2,000,000
        HttpResponse<String> over = call(m, "POST", path, topup(sourceId, 2_000_001, requestId()));
        assertEquals(422, over.statusCode(), over.body());
        assertEquals(Map.of("amount", "OVER_MAXIMUM_BALANCE"), errors(over));
        HttpResponse<String> othersSourceAnswer = call(m, "POST", path, topup(othersSource, 1000, requestId()));
        assertEquals(404, othersSourceAnswer.statusCode());
        assertEquals(Map.of("sourceId", "NOT_FOUND"), errors(othersSourceAnswer));
        assertEquals(404, call(m, "POST", "/api/v1/cards/" + othersCard + "/topups", topup(sourceId, 1000, requestId())).statusCode());
        assertEquals(404, call(m, "GET", "/api/v1/cards/" + othersCard + "/topups", null).statusCode());
        assertEquals(before, web.count("topup"));
    }

    @Test
    void aDeclinedChargeLoadsNothingAndItsRequestIdAnswersTheSameAgain() throws Exception {
        Member m = member();
        long cardId = applyForCard(m);
        // limit 50,000 at the other issuer
        long sourceId = addSource(m, card("4012888888881881", "2806", "456"));
        String requestId = requestId();
        String path = "/api/v1/cards/" + cardId + "/topups";
        HttpResponse<String> declined = call(m, "POST", path, topup(sourceId, 60_000, requestId));
        assertEquals(422, declined.statusCode(), declined.body());
        assertEquals(Map.of("sourceId", "FUNDING_DECLINED"), errors(declined));
        assertTrue(declined.body().contains("code 51"), declined.body());
        assertEquals("DECLINED", topupState(cardId));
        long rows = web.count("topup");
        HttpResponse<String> repeated = call(m, "POST", path, topup(sourceId, 60_000, requestId));
        assertEquals(declined.statusCode(), repeated.statusCode());
        assertEquals(declined.body(), repeated.body());
        HttpResponse<String> reused = call(m, "POST", path, topup(sourceId, 59_000, requestId));
        assertEquals(422, reused.statusCode());
        assertEquals(Map.of("requestId", "REQUEST_ID_REUSED"), errors(reused));
        assertEquals(rows, web.count("topup"));
        JsonNode listed = TestMembers.parse(call(m, "GET", path, null).body()).get("topups");
        assertEquals(1, listed.size());
        assertEquals("DECLINED", listed.get(0).get("state").asText());
        assertEquals("51", listed.get(0).get("fundingCode").asText());
    }

    @Test
    void bankRefusalsAndSilenceLoadNothing() throws Exception {
        Member m = member();
        long cardId = applyForCard(m);
        String path = "/api/v1/cards/" + cardId + "/topups";
        long poor = addSource(m, account("081", "1234560000"));
        HttpResponse<String> refused = call(m, "POST", path, topup(poor, 10_000, requestId()));
        assertEquals(422, refused.statusCode(), refused.body());
        assertEquals(Map.of("sourceId", "FUNDING_DECLINED"), errors(refused));
        long silent = addSource(m, account("081", "1234569999"));
        HttpResponse<String> unavailable = call(m, "POST", path, topup(silent, 10_000, requestId()));
        assertEquals(503, unavailable.statusCode(), unavailable.body());
        assertEquals("BANK_UNAVAILABLE", code(unavailable));
        assertEquals("REVERSED", topupState(cardId));
    }

    @Test
    void aChargeLeftUnansweredIsReversedAndNothingIsLoaded() throws Exception {
        Member m = member();
        long cardId = applyForCard(m);
        long sourceId = addSource(m, card("4111111111111111", "2912", "123"));
        long spentBefore = otherIssuer.spentMinor("4111111111111111");
        int reversalsBefore = otherIssuer.reversalsReceived("4111111111111111");
        // amounts ending in 999 are answered late by the simulator: the client reverses
        HttpResponse<String> r = call(m, "POST", "/api/v1/cards/" + cardId + "/topups", topup(sourceId, 10_999, requestId()));
        assertEquals(503, r.statusCode(), r.body());
        assertEquals("ISSUER_UNAVAILABLE", code(r));
        assertEquals("REVERSED", topupState(cardId));
        assertEquals(spentBefore, otherIssuer.spentMinor("4111111111111111"));
        assertTrue(otherIssuer.reversalsReceived("4111111111111111") > reversalsBefore);
    }

    @Test
    void aTopupLeftPendingByACrashIsReversedByTheRecovery() throws Exception {
        Member m = member();
        long cardId = applyForCard(m);
        long sourceId = addSource(m, account("011", "3021234567890"));
        long memberRef = web.database.inJdbcTransaction(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT member_ref FROM funding_source WHERE id = " + sourceId)) {
                rs.next();
                return rs.getLong(1);
            }
        });
        // as a worker that died after writing its row: PENDING, lease run out
        web.database.inJdbcTransaction(c -> c.createStatement().executeUpdate("INSERT INTO topup (member_ref, request_id, card_id, source_id, "
                + "source_kind, amount_minor, currency, state, created_at, updated_at, lease_until) VALUES (" + memberRef + ", 'crashed-"
                + System.nanoTime() + "', " + cardId + ", " + sourceId + ", 'BANK_ACCOUNT', 5000, 'KRW', 'PENDING', NOW(6), NOW(6), "
                + "'2000-01-01 00:00:00')"));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"REVERSED".equals(topupState(cardId)) && System.nanoTime() < deadline) Thread.sleep(200);
        assertEquals("REVERSED", topupState(cardId));
        assertNotNull(TestMembers.parse(call(m, "GET", "/api/v1/cards/" + cardId + "/topups", null).body()).get("topups").get(0));
    }
}
