// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import static org.anonpay.web.Calls.code;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.anonpay.issuer.CardIssuer;
import org.anonpay.issuer.CardPrograms;
import org.anonpay.issuer.CardSecurity;
import org.anonpay.issuer.CardVault;
import org.anonpay.issuer.PhysicalCards;
import org.anonpay.ledger.Ledger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Card application, e-wallet, reveal and physical card status over real HTTP, MariaDB and SMTP (GreenMail). */
class CardApiTest {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
            .withPerMethodLifecycle(false);

    private static final AtomicInteger ADDRESS = new AtomicInteger(1);
    private static WebTestServer web;
    private static Calls calls;
    private static CardIssuer issuer;

    @BeforeAll
    static void start() throws Exception {
        int smtpPort = MAIL.getSmtp().getPort();
        web = new WebTestServer("cards", java.time.Clock.system(org.anonpay.web.member.MemberApi.KOREA),
                s -> s.withMail(s.mail().withServer("127.0.0.1", smtpPort)).withAuth(s.auth().withTrustForwardedFor(true)));
        calls = new Calls(web);
        java.nio.file.Path root = WebTestServer.root();
        issuer = new CardIssuer(CardPrograms.load(root.resolve("cfg/programs")), new CardSecurity(root.resolve("cfg/keys")),
                CardVault.load(root.resolve("cfg/keys")), new Ledger());
    }

    @AfterAll
    static void stop() {
        if (web != null) web.close();
    }

    @BeforeEach
    void emptyMailboxes() throws Exception {
        MAIL.purgeEmailFromAllMailboxes();
    }

    private record Member(Map<String, Object> registration, Calls.Login login, String address) {
        String password() {
            return (String) registration.get("password");
        }
    }

    private static Member member() throws Exception {
        Map<String, Object> m = calls.register();
        int n = ADDRESS.getAndIncrement();
        String address = "10.3." + n / 250 + "." + (n % 250 + 1);
        return new Member(m, calls.loggedIn((String) m.get("memberId"), (String) m.get("password"), address), address);
    }

    private static Map<String, Object> application(boolean physical) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("programId", "KRW-PREPAID");
        a.put("cardName", "나의 첫 카드");
        a.put("pin", "4821");
        a.put("pinConfirm", "4821");
        a.put("emailStatements", true);
        a.put("physicalCard", physical);
        if (physical) {
            a.put("delivery", "HOME");
            a.put("deliveryAddress", "서울특별시 종로구 세종로 1");
        }
        return a;
    }

    private static HttpResponse<String> apply(Member m, Object body) throws Exception {
        return calls.call("POST", "/api/v1/cards", body, m.address(), m.login().sessionId(), m.login().csrfToken());
    }

    private static JsonNode wallet(Member m) throws Exception {
        HttpResponse<String> r = calls.call("GET", "/api/v1/cards", null, m.address(), m.login().sessionId(), null);
        assertEquals(200, r.statusCode(), r.body());
        return TestMembers.parse(r.body()).get("cards");
    }

    private static HttpResponse<String> reveal(Member m, long cardId, String password) throws Exception {
        return calls.call("POST", "/api/v1/cards/" + cardId + "/reveal", Map.of("password", password), m.address(),
                m.login().sessionId(), m.login().csrfToken());
    }

    private static String fullPan(long cardId) {
        return web.database.inTransaction(s -> issuer.revealPan(issuer.findById(s, cardId).orElseThrow()));
    }

    @Test
    void applyListMailAndReveal() throws Exception {
        Member m = member();
        HttpResponse<String> r = apply(m, application(false));
        assertEquals(201, r.statusCode(), r.body());
        JsonNode card = TestMembers.parse(r.body());
        long cardId = card.get("cardId").asLong();
        String masked = card.get("maskedPan").asText();
        assertTrue(masked.matches("\\d{6}\\*{6}\\d{4}"), masked);
        assertEquals("ACTIVE", card.get("state").asText());
        assertTrue(card.get("expiry").asText().matches("\\d{4}-\\d{2}"));
        String pan = fullPan(cardId);
        assertFalse(r.body().contains(pan), "no full PAN in the application answer");
        assertFalse(card.has("cvv2"));

        JsonNode list = wallet(m);
        assertEquals(1, list.size());
        JsonNode entry = list.get(0);
        assertEquals(cardId, entry.get("cardId").asLong());
        assertEquals("나의 첫 카드", entry.get("cardName").asText());
        assertEquals("KRW", entry.get("balance").get("currency").asText());
        assertEquals(0, entry.get("balance").get("available").asLong());
        assertEquals(0, entry.get("balance").get("ledger").asLong());
        assertTrue(entry.get("physicalCard").isNull());
        assertEquals(Long.toString(memberRef(m)), web.database.inTransaction(s -> issuer.findById(s, cardId).orElseThrow().holderRef()));

        MimeMessage mail = mailTo((String) m.registration().get("email"));
        String text = GreenMailUtil.getBody(mail);
        assertTrue(text.contains(masked), "masked PAN in the mail");
        assertFalse(text.contains(pan), "no full PAN in the mail");

        HttpResponse<String> shown = reveal(m, cardId, m.password());
        assertEquals(200, shown.statusCode(), shown.body());
        assertEquals("no-store", shown.headers().firstValue("Cache-Control").orElse(""));
        JsonNode secret = TestMembers.parse(shown.body());
        assertEquals(pan, secret.get("pan").asText());
        assertTrue(secret.get("cvv2").asText().matches("\\d{3}"));
        assertEquals(card.get("expiry").asText(), secret.get("expiry").asText());

        HttpResponse<String> wrong = reveal(m, cardId, m.password() + "x");
        assertEquals(401, wrong.statusCode());
        assertEquals("PASSWORD_WRONG", code(wrong));
        assertFalse(wrong.body().contains(pan));
    }

    @Test
    void anotherMembersCardIsNotFound() throws Exception {
        Member owner = member();
        Member other = member();
        long cardId = TestMembers.parse(apply(owner, application(false)).body()).get("cardId").asLong();
        HttpResponse<String> r = reveal(other, cardId, other.password());
        assertEquals(404, r.statusCode(), r.body());
        assertEquals(404, reveal(other, 9_999_999, other.password()).statusCode());
        assertEquals(0, wallet(other).size());
    }

    @Test
    void everyFieldRuleNamesItsFieldAndCreatesNothing() throws Exception {
        Member m = member();
        long cardsBefore = web.count("card");
        long requestsBefore = web.count("physical_card_request");
        assertRefused(m, with(application(false), "cardName", "가".repeat(16)), "cardName", "TOO_LONG");
        assertRefused(m, with(application(false), "cardName", " "), "cardName", "REQUIRED");
        assertRefused(m, with(application(false), "pin", "12a4"), "pin", "INVALID_FORMAT");
        assertRefused(m, with(application(false), "pin", "12345"), "pin", "INVALID_FORMAT");
        assertRefused(m, with(application(false), "pinConfirm", "4822"), "pinConfirm", "PIN_MISMATCH");
        assertRefused(m, with(application(false), "programId", "NOPE"), "programId", "INVALID_VALUE");
        assertRefused(m, with(application(false), "emailStatements", "yes"), "emailStatements", "WRONG_TYPE");
        assertRefused(m, with(application(false), "physicalCard", null), "physicalCard", "REQUIRED");
        assertRefused(m, with(application(false), "delivery", "HOME"), "delivery", "INVALID_VALUE");
        assertRefused(m, with(application(true), "delivery", "PARK"), "delivery", "INVALID_VALUE");
        assertRefused(m, with(application(true), "delivery", null), "delivery", "REQUIRED");
        assertRefused(m, with(application(true), "deliveryAddress", null), "deliveryAddress", "REQUIRED");
        assertRefused(m, with(application(true), "deliveryAddress", "주".repeat(201)), "deliveryAddress", "TOO_LONG");
        assertRefused(m, with(application(false), "color", "gold"), "color", "UNKNOWN_FIELD");
        assertEquals(cardsBefore, web.count("card"));
        assertEquals(requestsBefore, web.count("physical_card_request"));
        assertEquals(0, wallet(m).size());
        // 15 Hangul characters are fine
        assertEquals(201, apply(m, with(application(false), "cardName", "가".repeat(15))).statusCode());
    }

    @Test
    void withoutCsrfOrSessionNothingIsCreated() throws Exception {
        Member m = member();
        long before = web.count("card");
        HttpResponse<String> noCsrf = calls.call("POST", "/api/v1/cards", application(true), m.address(), m.login().sessionId(), null);
        assertEquals(403, noCsrf.statusCode());
        assertEquals("CSRF_TOKEN_INVALID", code(noCsrf));
        HttpResponse<String> noSession = calls.call("POST", "/api/v1/cards", application(true), m.address(), null, null);
        assertEquals(401, noSession.statusCode());
        assertEquals(401, calls.call("GET", "/api/v1/cards", null, m.address(), null, null).statusCode());
        assertEquals(before, web.count("card"));
    }

    @Test
    void physicalCardRequestedProducedShippedVisibleInTheWallet() throws Exception {
        Member m = member();
        HttpResponse<String> r = apply(m, application(true));
        assertEquals(201, r.statusCode(), r.body());
        long cardId = TestMembers.parse(r.body()).get("cardId").asLong();
        JsonNode status = wallet(m).get(0).get("physicalCard");
        assertEquals("REQUESTED", status.get("state").asText());
        assertEquals("HOME", status.get("delivery").asText());
        assertFalse(wallet(m).toString().contains("세종로"), "the address is not echoed in the wallet");

        PhysicalCards physical = PhysicalCards.load(WebTestServer.root().resolve("cfg/keys"));
        long requestId = web.database.inJdbcTransaction(c -> physical.status(c, cardId).orElseThrow().requestId());
        assertEquals(PhysicalCards.Transition.DONE, web.database.inJdbcTransaction(c -> physical.markProduced(c, requestId)));
        assertEquals("PRODUCED", wallet(m).get(0).get("physicalCard").get("state").asText());
        assertEquals(PhysicalCards.Transition.DONE, web.database.inJdbcTransaction(c -> physical.markShipped(c, requestId, "CJ123456789")));
        JsonNode shipped = wallet(m).get(0).get("physicalCard");
        assertEquals("SHIPPED", shipped.get("state").asText());
        assertEquals("CJ123456789", shipped.get("trackingRef").asText());

        byte[] stored = web.database.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT address_encrypted FROM physical_card_request WHERE card_id = ?")) {
                ps.setLong(1, cardId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBytes(1);
                }
            }
        });
        assertFalse(new String(stored, java.nio.charset.StandardCharsets.UTF_8).contains("세종로"), "the address is stored encrypted");
    }

    /** Mails go out asynchronously (other tests' may arrive late): wait for the one to this address. */
    private static MimeMessage mailTo(String address) throws Exception {
        for (int i = 0; i < 100; i++) {
            MimeMessage[] mails = MAIL.getReceivedMessagesForDomain(address);
            if (mails.length > 0) return mails[0];
            Thread.sleep(100);
        }
        throw new AssertionError("no mail to " + address);
    }

    private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        body.put(field, value);
        return body;
    }

    private static void assertRefused(Member m, Map<String, Object> body, String field, String expectedCode) throws Exception {
        HttpResponse<String> r = apply(m, body);
        assertEquals(400, r.statusCode(), r.body());
        boolean named = false;
        for (JsonNode e : TestMembers.parse(r.body()).get("errors")) {
            if (field.equals(e.get("field").asText()) && expectedCode.equals(e.get("code").asText())) named = true;
        }
        assertTrue(named, field + " " + expectedCode + " in " + r.body());
    }

    private static long memberRef(Member m) {
        return web.database.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM member WHERE member_id = ?")) {
                ps.setString(1, (String) m.registration().get("memberId"));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
