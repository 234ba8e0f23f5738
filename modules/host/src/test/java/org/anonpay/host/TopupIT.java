// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Top-ups (a7) against the packaged host over HTTP, as a member does them: register, log in,
 * apply for a prepaid card, add a credit card of another issuer (verified by the external issuer
 * simulator of deploy/65 through the link of deploy/66) and a bank account (the bank simulator),
 * top up. Every load runs as a 0200/21 through the host's transaction manager; money is checked
 * in the ledger.
 *
 * <p>The link's request timeout is shortened to 2 s (the simulator answers amounts ending in 999
 * after 3 s), so the "issuer not answering" case takes seconds, not the shipped 15.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopupIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VISA = "4111111111111111";
    private static final String ACCOUNT = "110-482-937561";
    private static final AtomicInteger REQUESTS = new AtomicInteger();

    private HostFixture fx;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private String session;
    private String csrf;
    private long cardId;
    private long cardAccountId;
    private long creditCardSource;
    private long bankSource;

    @BeforeAll
    void start() throws Exception {
        fx = HostFixture.startWith("topup", host -> {
            host.setProperty("cfg/extissuer/link.properties", "request-timeout-ms", "2000");
            host.setProperty("cfg/extissuer/link.properties", "reversal.attempt-timeout-ms", "2000");
            host.setProperty("cfg/extissuer/link.properties", "reversal.first-backoff-ms", "200");
            // the recovery looks every 2 s instead of every minute
            host.setProperty("cfg/web/wallet-web.properties", "topup.recovery-interval-seconds", "2");
        });
        // public test data, but the leak scan must never find them in a log or a database dump
        HostFixture.rememberSecret("pan", VISA);
        HostFixture.rememberSecret("cvv2", "1111:123");
        HostFixture.rememberSecret("pan", ACCOUNT.replace("-", ""));
        registerAndLogIn();
        cardId = applyForCard();
        cardAccountId = fx.count("SELECT ledger_account_id FROM card WHERE id = " + cardId);
        creditCardSource = addSource(Map.of("kind", "CREDIT_CARD", "pan", VISA, "expiry", "2912", "cvv2", "123", "label", "visa"));
        bankSource = addSource(Map.of("kind", "BANK_ACCOUNT", "bankCode", "004", "accountNumber", ACCOUNT, "holderName", "홍길동"));
    }

    @AfterAll
    void stop() throws Exception {
        if (fx != null) fx.close();
    }

    // ---------------------------------------------------------------- HTTP as a member

    private HttpResponse<String> call(String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.host.webPort() + path))
                .timeout(Duration.ofSeconds(90))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) b.header("Content-Type", "application/json");
        if (session != null) b.header("Cookie", "anonpay_session=" + session);
        if (csrf != null) b.header("X-CSRF-Token", csrf);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private void registerAndLogIn() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "홍길동");
        m.put("nameLatin", "HONG GILDONG");
        m.put("nationalId", rrn("900115-1", "23456"));
        m.put("birthDate", "1990-01-15");
        m.put("birthCalendar", "SOLAR");
        m.put("memberId", "topup" + (System.nanoTime() % 1_000_000));
        m.put("password", "Topup2468x");
        m.put("passwordConfirm", "Topup2468x");
        m.put("securityQuestionId", 3);
        m.put("securityAnswer", "5월 5일");
        m.put("nickname", "충전" + (System.nanoTime() % 100_000));
        m.put("email", "topup@example.com");
        m.put("mobile", "010-1234-5678");
        m.put("statementChannel", "EMAIL");
        HttpResponse<String> registered = call("POST", "/api/v1/members", m);
        assertEquals(201, registered.statusCode(), registered.body());
        HttpResponse<String> login = call("POST", "/api/v1/sessions", Map.of("login", m.get("memberId"), "password", m.get("password")));
        assertEquals(200, login.statusCode(), login.body());
        String cookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("anonpay_session=")).findFirst().orElseThrow();
        session = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
        csrf = json(login).get("csrfToken").asText();
    }

    /** {@code prefix} "YYMMDD-G", {@code middle} 5 digits; appends the check digit of a resident registration number. */
    private static String rrn(String prefix, String middle) {
        String twelve = prefix.replace("-", "") + middle;
        int[] w = {2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5};
        int sum = 0;
        for (int i = 0; i < 12; i++) sum += w[i] * (twelve.charAt(i) - '0');
        return prefix + middle + (11 - sum % 11) % 10;
    }

    private long applyForCard() throws Exception {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("programId", "KRW-PREPAID");
        a.put("cardName", "충전 카드");
        a.put("pin", "4821");
        a.put("pinConfirm", "4821");
        a.put("emailStatements", false);
        a.put("physicalCard", false);
        HttpResponse<String> r = call("POST", "/api/v1/cards", a);
        assertEquals(201, r.statusCode(), r.body());
        return json(r).get("cardId").asLong();
    }

    private long addSource(Map<String, Object> body) throws Exception {
        HttpResponse<String> r = call("POST", "/api/v1/funding-sources", body);
        assertEquals(201, r.statusCode(), r.body());
        return json(r).get("sourceId").asLong();
    }

    private HttpResponse<String> topup(long sourceId, long amount, String requestId) throws Exception {
        return call("POST", "/api/v1/cards/" + cardId + "/topups", Map.of("sourceId", sourceId, "amount", amount, "requestId", requestId));
    }

    private static String requestId() {
        return "it-" + REQUESTS.incrementAndGet() + "-" + System.nanoTime();
    }

    private long posted() {
        return fx.balance(cardAccountId).posted();
    }

    private JsonNode newestTopup() throws Exception {
        HttpResponse<String> r = call("GET", "/api/v1/cards/" + cardId + "/topups", null);
        assertEquals(200, r.statusCode(), r.body());
        return json(r).get("topups").get(0);
    }

    private void assertLedgerBalanced() {
        fx.trialBalance().forEach(t -> assertTrue(t.balanced(), "ledger out of balance: " + t));
    }

    // ---------------------------------------------------------------- the cases

    @Test
    void aTopUpByCreditCardAndOneByBankAccountRaiseTheBalanceByExactlyTheirAmounts() throws Exception {
        long before = posted();
        HttpResponse<String> byCard = topup(creditCardSource, 50_000, requestId());
        assertEquals(201, byCard.statusCode(), byCard.body());
        JsonNode card = json(byCard);
        assertEquals("LOADED", card.get("state").asText());
        assertEquals("00", card.get("responseCode").asText());
        assertEquals(before + 50_000, card.get("balance").get("ledger").asLong());
        assertEquals(before + 50_000, posted());

        HttpResponse<String> byBank = topup(bankSource, 30_000, requestId());
        assertEquals(201, byBank.statusCode(), byBank.body());
        assertEquals("LOADED", json(byBank).get("state").asText());
        assertEquals(before + 80_000, posted());
        // each load was one 0200/21 from the wallet's terminal, through the transaction manager
        assertEquals(2, fx.count("SELECT COUNT(*) FROM authz_journal WHERE card_id = " + cardId + " AND terminal_id = 'WLTTOPUP' "
                + "AND amount IN (50000, 30000)"));
        assertLedgerBalanced();
    }

    @Test
    void theSameRequestIdTwiceLoadsOnce() throws Exception {
        long before = posted();
        String requestId = requestId();
        HttpResponse<String> first = topup(bankSource, 7_000, requestId);
        assertEquals(201, first.statusCode(), first.body());
        HttpResponse<String> again = topup(bankSource, 7_000, requestId);
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(json(first).get("topupId").asLong(), json(again).get("topupId").asLong());
        assertEquals("LOADED", json(again).get("state").asText());
        assertEquals(before + 7_000, posted());
        HttpResponse<String> otherAmount = topup(bankSource, 8_000, requestId);
        assertEquals(422, otherAmount.statusCode(), otherAmount.body());
        assertEquals("REQUEST_ID_REUSED", json(otherAmount).get("error").get("code").asText());
        assertEquals(before + 7_000, posted());
        assertLedgerBalanced();
    }

    @Test
    void aCreditCardTopUpTheIssuerDoesNotAnswerIsReversedAndLoadsNothing() throws Exception {
        long before = posted();
        // the simulator answers amounts ending in 999 after 3 s; the link waits 2 s
        HttpResponse<String> r = topup(creditCardSource, 10_999, requestId());
        assertEquals(503, r.statusCode(), r.body());
        assertEquals("ISSUER_UNAVAILABLE", json(r).get("error").get("code").asText());
        JsonNode t = newestTopup();
        assertEquals("REVERSED", t.get("state").asText());
        assertEquals(10_999, t.get("amount").asLong());
        assertEquals(before, posted(), "nothing loaded");
        assertEquals(0, fx.count("SELECT COUNT(*) FROM authz_journal WHERE card_id = " + cardId + " AND amount = 10999"));
        // the reversal reached the simulator and was acknowledged (0410 00), as the client logs it
        String output = Files.readString(fx.host.output());
        assertTrue(output.contains("charge anonpay-topup-" + t.get("topupId").asLong() + " reversed after"), fx.host.tail());
        assertFalse(output.contains(VISA), "no full card number in the host's output");
        assertLedgerBalanced();
    }

    @Test
    void aTopUpOverTheMaximumBalanceIsRefusedBeforeAnythingIsCharged() throws Exception {
        long before = posted();
        long rows = fx.count("SELECT COUNT(*) FROM topup");
        long charges = chargeLines();
        // KRW-PREPAID holds at most 2,000,000
        HttpResponse<String> r = topup(creditCardSource, 2_000_000 - before + 1, requestId());
        assertEquals(422, r.statusCode(), r.body());
        JsonNode error = json(r).get("error");
        assertEquals("OVER_MAXIMUM_BALANCE", error.get("code").asText());
        assertEquals("amount", error.get("field").asText());
        assertEquals(before, posted());
        assertEquals(rows, fx.count("SELECT COUNT(*) FROM topup"), "nothing written");
        assertEquals(charges, chargeLines(), "nothing sent to the card's issuer");
        assertLedgerBalanced();
    }

    @Test
    void aTopUpLeftFundedByACrashIsLoadedOnceAfterTheRestart() throws Exception {
        long before = posted();
        // as a wallet web killed after the bank debit was written and before the load
        long id = insertTopup(bankSource, "BANK_ACCOUNT", 4_000, "FUNDED");
        fx.host.stop();
        fx.host.start();
        awaitState(id, "LOADED");
        assertEquals(before + 4_000, posted());
        // killed after the load but before LOADED was written: loading again is a repeat, answered from the journal
        fx.db.inJdbcTransaction(c -> c.createStatement().executeUpdate("UPDATE topup SET state = 'FUNDED', lease_until = NULL WHERE id = " + id));
        awaitState(id, "LOADED");
        assertEquals(before + 4_000, posted(), "loaded once");
        assertEquals(1, fx.count("SELECT COUNT(*) FROM authz_journal WHERE terminal_id = 'WLTTOPUP' AND amount = 4000 AND card_id = " + cardId));
        assertLedgerBalanced();
    }

    @Test
    void aFundedTopUpWhoseLoadIsRefusedGivesTheChargeBack() throws Exception {
        long before = posted();
        // the maximum-balance check before charging cannot see a load racing it; a row past it shows the load's own check
        long id = insertTopup(creditCardSource, "CREDIT_CARD", 2_000_000 - before + 1, "FUNDED");
        awaitState(id, "FAILED");
        assertEquals("61", fx.db.inJdbcTransaction(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT load_code FROM topup WHERE id = " + id)) {
                rs.next();
                return rs.getString(1);
            }
        }));
        assertEquals(before, posted());
        assertTrue(Files.readString(fx.host.output()).contains("charge anonpay-topup-" + id + " reversed after"), fx.host.tail());
        assertLedgerBalanced();
    }

    /** A top-up row as a crashed worker leaves it (lease run out). */
    private long insertTopup(long sourceId, String kind, long amount, String state) {
        long memberRef = fx.count("SELECT member_ref FROM funding_source WHERE id = " + sourceId);
        return fx.db.inJdbcTransaction(c -> {
            try (var ps = c.prepareStatement("INSERT INTO topup (member_ref, request_id, card_id, source_id, source_kind, amount_minor, currency, "
                    + "state, funding_code, created_at, updated_at, lease_until) VALUES (?, ?, ?, ?, ?, ?, 'KRW', ?, '00', NOW(6), NOW(6), "
                    + "'2000-01-01 00:00:00')", java.sql.Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, memberRef);
                ps.setString(2, requestId());
                ps.setLong(3, cardId);
                ps.setLong(4, sourceId);
                ps.setString(5, kind);
                ps.setLong(6, amount);
                ps.setString(7, state);
                ps.executeUpdate();
                try (var keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    private void awaitState(long topupId, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String now = null;
        while (System.nanoTime() < deadline) {
            now = fx.db.inJdbcTransaction(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT state FROM topup WHERE id = " + topupId)) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            if (state.equals(now)) return;
            Thread.sleep(200);
        }
        assertEquals(state, now, fx.host.tail());
    }

    /** The client's log lines about charges ("charge anonpay-topup-N on 411111******1111: 00"). */
    private long chargeLines() throws Exception {
        return Files.readAllLines(fx.host.output()).stream().filter(l -> l.contains("charge anonpay-topup-")).count();
    }
}
