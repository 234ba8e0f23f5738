// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import static org.anonpay.web.Calls.code;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.anonpay.authz.Decline;
import org.anonpay.authz.JournalEntry;
import org.anonpay.authz.MessageKey;
import org.anonpay.authz.TransactionType;
import org.anonpay.issuer.CardIssuer;
import org.anonpay.issuer.CardPrograms;
import org.anonpay.issuer.CardSecurity;
import org.anonpay.issuer.CardState;
import org.anonpay.issuer.CardVault;
import org.anonpay.issuer.PinCheck;
import org.anonpay.iso.PinBlocks;
import org.anonpay.ledger.Ledger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The card detail page over real HTTP and MariaDB: freeze, unfreeze, report lost, member
 * controls, PIN change and history; ownership (404), CSRF (403) and that a refused request
 * changes nothing.
 */
class CardControlsApiTest {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
            .withPerMethodLifecycle(false);

    private static final AtomicInteger ADDRESS = new AtomicInteger(1);
    private static final AtomicInteger STAN = new AtomicInteger(1);
    private static WebTestServer web;
    private static Calls calls;
    private static CardIssuer issuer;

    @BeforeAll
    static void start() throws Exception {
        int smtpPort = MAIL.getSmtp().getPort();
        web = new WebTestServer("controls", java.time.Clock.system(org.anonpay.web.member.MemberApi.KOREA),
                s -> s.withMail(s.mail().withServer("127.0.0.1", smtpPort)).withAuth(s.auth().withTrustForwardedFor(true)));
        calls = new Calls(web);
        Path root = WebTestServer.root();
        issuer = new CardIssuer(CardPrograms.load(root.resolve("cfg/programs")), new CardSecurity(root.resolve("cfg/keys")),
                CardVault.load(root.resolve("cfg/keys")), new Ledger());
    }

    @AfterAll
    static void stop() {
        if (web != null) web.close();
    }

    private record Member(Map<String, Object> registration, Calls.Login login, String address) {
        String password() {
            return (String) registration.get("password");
        }
    }

    private static Member member() throws Exception {
        Map<String, Object> m = calls.register();
        int n = ADDRESS.getAndIncrement();
        String address = "10.7." + n / 250 + "." + (n % 250 + 1);
        return new Member(m, calls.loggedIn((String) m.get("memberId"), (String) m.get("password"), address), address);
    }

    private static long card(Member m) throws Exception {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("cardName", "생활비");
        a.put("pin", "4821");
        a.put("pinConfirm", "4821");
        a.put("emailStatements", false);
        a.put("physicalCard", false);
        HttpResponse<String> r = calls.call("POST", "/api/v1/cards", a, m.address(), m.login().sessionId(), m.login().csrfToken());
        assertEquals(201, r.statusCode(), r.body());
        return TestMembers.parse(r.body()).get("cardId").asLong();
    }

    private static HttpResponse<String> call(Member m, String method, String path, Object body) throws Exception {
        return calls.call(method, path, body, m.address(), m.login().sessionId(), m.login().csrfToken());
    }

    private static HttpResponse<String> action(Member m, long cardId, String action) throws Exception {
        return call(m, "POST", "/api/v1/cards/" + cardId + "/" + action, null);
    }

    private static JsonNode detail(Member m, long cardId) throws Exception {
        HttpResponse<String> r = call(m, "GET", "/api/v1/cards/" + cardId, null);
        assertEquals(200, r.statusCode(), r.body());
        return TestMembers.parse(r.body());
    }

    private static CardState stateInDb(long cardId) {
        return web.database.inTransaction(s -> issuer.findById(s, cardId).orElseThrow().state());
    }

    private static void assertState(HttpResponse<String> r, String state) {
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(state, TestMembers.parse(r.body()).get("state").asText());
    }

    private static void assertConflict(HttpResponse<String> r) {
        assertEquals(409, r.statusCode(), r.body());
        assertEquals("CARD_STATE_CONFLICT", code(r));
    }

    // ---------------------------------------------------------------- state

    @Test
    void freezeUnfreezeAndReportLostFollowTheCardsLifeCycle() throws Exception {
        Member m = member();
        long cardId = card(m);
        assertConflict(action(m, cardId, "unfreeze"));
        assertEquals(CardState.ACTIVE, stateInDb(cardId), "a refused unfreeze changes nothing");

        assertState(action(m, cardId, "freeze"), "FROZEN");
        assertEquals(CardState.FROZEN, stateInDb(cardId));
        assertEquals("FROZEN", detail(m, cardId).get("state").asText());
        assertConflict(action(m, cardId, "freeze"));

        assertState(action(m, cardId, "unfreeze"), "ACTIVE");
        assertEquals(CardState.ACTIVE, stateInDb(cardId));

        assertState(action(m, cardId, "freeze"), "FROZEN");
        assertState(action(m, cardId, "report-lost"), "LOST");
        assertEquals(CardState.LOST, stateInDb(cardId));
        assertConflict(action(m, cardId, "unfreeze"));
        assertConflict(action(m, cardId, "freeze"));
        assertConflict(action(m, cardId, "report-lost"));
        assertEquals(CardState.LOST, stateInDb(cardId), "LOST is final");

        long active = card(m);
        assertState(action(m, active, "report-lost"), "LOST");
        HttpResponse<String> lostControls = call(m, "PUT", "/api/v1/cards/" + active + "/controls", controls(1_000L, null, true, true));
        assertConflict(lostControls);
    }

    @Test
    void anActionTakesNoFields() throws Exception {
        Member m = member();
        long cardId = card(m);
        HttpResponse<String> r = call(m, "POST", "/api/v1/cards/" + cardId + "/freeze", Map.of("state", "ACTIVE"));
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("UNKNOWN_FIELD", code(r));
        assertEquals(CardState.ACTIVE, stateInDb(cardId));
        assertState(call(m, "POST", "/api/v1/cards/" + cardId + "/freeze", Map.of()), "FROZEN");
    }

    // ---------------------------------------------------------------- controls

    private static Map<String, Object> controls(Long perTransaction, Long daily, Object online, Object offline) {
        Map<String, Object> c = new HashMap<>();
        c.put("limitPerTransaction", perTransaction);
        c.put("limitDaily", daily);
        c.put("allowOnline", online);
        c.put("allowOffline", offline);
        return c;
    }

    private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        body.put(field, value);
        return body;
    }

    private static Map<String, Object> without(Map<String, Object> body, String field) {
        body.remove(field);
        return body;
    }

    @Test
    void controlsStartAtTheDefaultsAndAChangeIsShownEverywhere() throws Exception {
        Member m = member();
        long cardId = card(m);
        JsonNode c = detail(m, cardId).get("controls");
        assertTrue(c.get("limitPerTransaction").isNull());
        assertTrue(c.get("limitDaily").isNull());
        assertTrue(c.get("allowOnline").asBoolean());
        assertTrue(c.get("allowOffline").asBoolean());
        assertEquals(1_000_000, c.get("programLimitPerTransaction").asLong());
        assertEquals(2_000_000, c.get("programLimitDaily").asLong());

        HttpResponse<String> r = call(m, "PUT", "/api/v1/cards/" + cardId + "/controls", controls(30_000L, 100_000L, false, true));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode answered = TestMembers.parse(r.body());
        assertEquals(30_000, answered.get("limitPerTransaction").asLong());
        assertEquals(100_000, answered.get("limitDaily").asLong());
        assertFalse(answered.get("allowOnline").asBoolean());
        assertTrue(answered.get("allowOffline").asBoolean());
        assertEquals(1_000_000, answered.get("programLimitPerTransaction").asLong());
        assertEquals(answered, detail(m, cardId).get("controls"));
        HttpResponse<String> list = call(m, "GET", "/api/v1/cards", null);
        assertEquals(answered, TestMembers.parse(list.body()).get("cards").get(0).get("controls"));
        assertEquals(1L, count("SELECT COUNT(*) FROM card_control WHERE card_id = " + cardId + " AND limit_per_transaction = 30000 AND allow_online = FALSE"));

        // null removes a member limit; the program's own limits are allowed
        r = call(m, "PUT", "/api/v1/cards/" + cardId + "/controls", controls(null, 2_000_000L, true, false));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(TestMembers.parse(r.body()).get("limitPerTransaction").isNull());
        assertEquals(2_000_000, detail(m, cardId).get("controls").get("limitDaily").asLong());
    }

    @Test
    void everyBadControlNamesItsFieldAndChangesNothing() throws Exception {
        Member m = member();
        long cardId = card(m);
        assertEquals(200, call(m, "PUT", "/api/v1/cards/" + cardId + "/controls", controls(10_000L, 50_000L, true, false)).statusCode());
        JsonNode before = detail(m, cardId).get("controls");

        assertRefused(m, cardId, controls(1_000_001L, null, true, true), "limitPerTransaction", "AMOUNT_TOO_LARGE");
        assertRefused(m, cardId, controls(null, 2_000_001L, true, true), "limitDaily", "AMOUNT_TOO_LARGE");
        assertRefused(m, cardId, controls(5_001L, 5_000L, true, true), "limitPerTransaction", "INVALID_VALUE");
        assertRefused(m, cardId, controls(0L, null, true, true), "limitPerTransaction", "INVALID_VALUE");
        assertRefused(m, cardId, controls(null, -1L, true, true), "limitDaily", "INVALID_VALUE");
        assertRefused(m, cardId, with(controls(null, null, true, true), "limitPerTransaction", "1000"), "limitPerTransaction", "WRONG_TYPE");
        assertRefused(m, cardId, with(controls(null, null, true, true), "limitDaily", 1.5), "limitDaily", "WRONG_TYPE");
        assertRefused(m, cardId, with(controls(null, null, true, true), "limitDaily", new java.math.BigInteger("1000000000000000000000")),
                "limitDaily", "AMOUNT_TOO_LARGE");
        assertRefused(m, cardId, without(controls(null, null, true, true), "limitDaily"), "limitDaily", "REQUIRED");
        assertRefused(m, cardId, controls(null, null, null, true), "allowOnline", "REQUIRED");
        assertRefused(m, cardId, controls(null, null, true, "yes"), "allowOffline", "WRONG_TYPE");
        assertRefused(m, cardId, with(controls(null, null, true, true), "allowCash", true), "allowCash", "UNKNOWN_FIELD");
        // two bad fields: both named
        HttpResponse<String> both = call(m, "PUT", "/api/v1/cards/" + cardId + "/controls", controls(1_000_001L, 2_000_001L, true, true));
        assertEquals(2, TestMembers.parse(both.body()).get("errors").size(), both.body());

        assertEquals(before, detail(m, cardId).get("controls"), "no refused request changed the controls");
    }

    private static void assertRefused(Member m, long cardId, Map<String, Object> body, String field, String expectedCode) throws Exception {
        HttpResponse<String> r = call(m, "PUT", "/api/v1/cards/" + cardId + "/controls", body);
        assertEquals(400, r.statusCode(), r.body());
        boolean named = false;
        for (JsonNode e : TestMembers.parse(r.body()).get("errors")) {
            if (field.equals(e.get("field").asText()) && expectedCode.equals(e.get("code").asText())) named = true;
        }
        assertTrue(named, field + " " + expectedCode + " in " + r.body());
    }

    // ---------------------------------------------------------------- ownership and CSRF

    @Test
    void anotherMembersCardIsNotFoundOnEveryRoute() throws Exception {
        Member owner = member();
        Member other = member();
        long cardId = card(owner);
        String base = "/api/v1/cards/" + cardId;
        List<HttpResponse<String>> answers = List.of(
                call(other, "GET", base, null),
                call(other, "GET", base + "/history", null),
                call(other, "POST", base + "/freeze", null),
                call(other, "POST", base + "/unfreeze", null),
                call(other, "POST", base + "/report-lost", null),
                call(other, "PUT", base + "/controls", controls(1_000L, null, false, false)),
                call(other, "POST", base + "/pin", Map.of("password", other.password(), "pin", "1111", "pinConfirm", "1111")),
                call(other, "GET", "/api/v1/cards/9999999", null),
                call(other, "POST", "/api/v1/cards/9999999/freeze", null),
                call(other, "POST", "/api/v1/cards/abc/freeze", null));
        for (HttpResponse<String> r : answers) {
            assertEquals(404, r.statusCode(), r.uri() + " " + r.body());
            assertEquals("NOT_FOUND", code(r));
        }
        assertEquals(CardState.ACTIVE, stateInDb(cardId));
        assertTrue(detail(owner, cardId).get("controls").get("allowOnline").asBoolean());
        assertEquals(0L, count("SELECT COUNT(*) FROM card_control WHERE card_id = " + cardId));
    }

    @Test
    void withoutTheCsrfTokenNothingChanges() throws Exception {
        Member m = member();
        long cardId = card(m);
        String base = "/api/v1/cards/" + cardId;
        String pvv = pvv(cardId);
        List<HttpResponse<String>> answers = List.of(
                calls.call("POST", base + "/freeze", null, m.address(), m.login().sessionId(), null),
                calls.call("POST", base + "/report-lost", null, m.address(), m.login().sessionId(), "wrong-token"),
                calls.call("PUT", base + "/controls", controls(1_000L, null, false, false), m.address(), m.login().sessionId(), null),
                calls.call("POST", base + "/pin", Map.of("password", m.password(), "pin", "1111", "pinConfirm", "1111"),
                        m.address(), m.login().sessionId(), null));
        for (HttpResponse<String> r : answers) {
            assertEquals(403, r.statusCode(), r.body());
            assertEquals("CSRF_TOKEN_INVALID", code(r));
        }
        assertEquals(401, calls.call("GET", base, null, m.address(), null, null).statusCode(), "no session");
        assertEquals(CardState.ACTIVE, stateInDb(cardId));
        assertEquals(0L, count("SELECT COUNT(*) FROM card_control WHERE card_id = " + cardId));
        assertEquals(pvv, pvv(cardId));
    }

    // ---------------------------------------------------------------- PIN

    @Test
    void aPinChangeNeedsThePasswordAndTheNewPinThenVerifies() throws Exception {
        Member m = member();
        long cardId = card(m);
        String pvv = pvv(cardId);
        String path = "/api/v1/cards/" + cardId + "/pin";

        HttpResponse<String> wrong = call(m, "POST", path, Map.of("password", m.password() + "x", "pin", "7391", "pinConfirm", "7391"));
        assertEquals(401, wrong.statusCode(), wrong.body());
        assertEquals("PASSWORD_WRONG", code(wrong));
        assertPinRefused(m, path, Map.of("password", m.password(), "pin", "12a4", "pinConfirm", "12a4"), "pin", "INVALID_FORMAT");
        assertPinRefused(m, path, Map.of("password", m.password(), "pin", "12345", "pinConfirm", "12345"), "pin", "INVALID_FORMAT");
        assertPinRefused(m, path, Map.of("password", m.password(), "pin", "7391", "pinConfirm", "7392"), "pinConfirm", "PIN_MISMATCH");
        assertPinRefused(m, path, Map.of("pin", "7391", "pinConfirm", "7391"), "password", "REQUIRED");
        assertPinRefused(m, path, Map.of("password", m.password(), "pin", "7391", "pinConfirm", "7391", "oldPin", "4821"), "oldPin", "UNKNOWN_FIELD");
        assertEquals(pvv, pvv(cardId), "no refused request changed the PIN");

        HttpResponse<String> ok = call(m, "POST", path, Map.of("password", m.password(), "pin", "7391", "pinConfirm", "7391"));
        assertEquals(204, ok.statusCode(), ok.body());
        assertEquals("", ok.body());
        assertFalse(pvv.equals(pvv(cardId)), "a new PVV");
        assertEquals(PinCheck.VERIFIED, pinTry(cardId, "7391"));
        assertEquals(PinCheck.WRONG_PIN, pinTry(cardId, "4821"));
        // the connection goes on after the 204 (no stray body bytes on it)
        assertEquals("ACTIVE", detail(m, cardId).get("state").asText());
    }

    private static void assertPinRefused(Member m, String path, Map<String, Object> body, String field, String expectedCode) throws Exception {
        HttpResponse<String> r = call(m, "POST", path, body);
        assertEquals(400, r.statusCode(), r.body());
        assertEquals(field, TestMembers.parse(r.body()).get("error").get("field").asText(), r.body());
        assertEquals(expectedCode, code(r));
    }

    private static String pvv(long cardId) {
        return web.database.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pvv FROM card WHERE id = ?")) {
                ps.setLong(1, cardId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    private static PinCheck pinTry(long cardId, String pin) throws Exception {
        String zpk = PinBlocks.devZpkHex(WebTestServer.root());
        return web.database.inTransaction(s -> {
            String pan = issuer.revealPan(issuer.findById(s, cardId).orElseThrow());
            return issuer.checkPin(s, issuer.lockByPan(s, pan).orElseThrow(), pan, PinBlocks.encryptedIso0(pan, pin, zpk));
        });
    }

    // ---------------------------------------------------------------- history

    @Test
    void historyIsNewestFirstWithoutCardNumbers() throws Exception {
        Member m = member();
        long cardId = card(m);
        assertEquals(0, history(m, cardId, "").size());
        journal(cardId, TransactionType.LOAD, 50_000, null, "OPS CASH DESK");
        journal(cardId, TransactionType.PURCHASE, 12_000, null, "GS25 JONGNO             SEOUL        KR");
        journal(cardId, TransactionType.PURCHASE, 90_000, Decline.MEMBER_TRANSACTION_LIMIT, "   ");
        journal(cardId, TransactionType.BALANCE_INQUIRY, 0, null, null);

        JsonNode all = history(m, cardId, "");
        assertEquals(3, all.size(), "balance inquiries are not in the history: " + all);
        JsonNode declined = all.get(0);
        assertEquals("PURCHASE", declined.get("type").asText());
        assertEquals(90_000, declined.get("amount").asLong());
        assertEquals("KRW", declined.get("currency").asText());
        assertFalse(declined.get("approved").asBoolean());
        assertEquals("61", declined.get("responseCode").asText());
        assertEquals("MEMBER_TRANSACTION_LIMIT", declined.get("reason").asText());
        assertTrue(declined.get("merchant").isNull(), "blank field 43 is no merchant");
        JsonNode bought = all.get(1);
        assertTrue(bought.get("approved").asBoolean());
        assertEquals("00", bought.get("responseCode").asText());
        assertTrue(bought.get("reason").isNull());
        assertEquals("GS25 JONGNO             SEOUL        KR", bought.get("merchant").asText());
        assertTrue(java.time.Instant.parse(bought.get("at").asText()).isBefore(java.time.Instant.now().plusSeconds(5)));
        assertEquals("LOAD", all.get(2).get("type").asText());
        for (JsonNode e : all) {
            assertEquals(List.of("at", "type", "amount", "currency", "approved", "responseCode", "reason", "merchant", "mallName", "goods"),
                    iterable(e.fieldNames()), "exactly these fields");
            // mallName and goods only for wallet payments at a mall (PurchaseApiTest)
            assertTrue(e.get("mallName").isNull() && e.get("goods").isNull(), e.toString());
        }

        assertEquals(2, history(m, cardId, "?limit=2").size());
        assertEquals(12_000, history(m, cardId, "?limit=2").get(1).get("amount").asLong());
        for (String bad : List.of("0", "101", "x", "-1", "")) {
            HttpResponse<String> r = call(m, "GET", "/api/v1/cards/" + cardId + "/history?limit=" + bad, null);
            assertEquals(400, r.statusCode(), bad + ": " + r.body());
            assertEquals("limit", TestMembers.parse(r.body()).get("error").get("field").asText());
        }
        HttpResponse<String> raw = call(m, "GET", "/api/v1/cards/" + cardId + "/history", null);
        assertFalse(raw.body().contains("******"), "no masked card number either");
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    private static JsonNode history(Member m, long cardId, String query) throws Exception {
        HttpResponse<String> r = call(m, "GET", "/api/v1/cards/" + cardId + "/history" + query, null);
        assertEquals(200, r.statusCode(), r.body());
        return TestMembers.parse(r.body()).get("transactions");
    }

    /** A journal row as the switch writes it (the host is not part of this test). */
    private static void journal(long cardId, TransactionType type, long amount, Decline decline, String merchantName) {
        String stan = String.format("%06d", STAN.getAndIncrement());
        MessageKey key = new MessageKey("12345", "TERM0001", stan, "0101000000", "020");
        web.database.inTransaction(s -> {
            JournalEntry e = new JournalEntry("0200", type, key)
                    .request("000000", "MALL000000001", "010100" + stan, new byte[32])
                    .merchantName(merchantName)
                    .money(amount, "KRW", LocalDate.now())
                    .card(cardId, "941000******0013")
                    .outcome(decline == null ? Decline.APPROVED : decline.responseCode(), decline, decline == null ? "123456" : null, null)
                    .transfers(null, 0, null, 0);
            s.persist(e);
            return null;
        });
    }

    private static long count(String sql) {
        return web.database.inJdbcTransaction(c -> {
            try (var rs = c.createStatement().executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
