// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import static org.anonpay.web.Calls.code;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.anonpay.web.member.MemberApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Recovery of a forgotten member ID or password, the mails received by a real SMTP server (GreenMail). */
class RecoveryApiTest {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
            .withPerMethodLifecycle(false);

    private static final Pattern LINK = Pattern.compile("https?://\\S+/password-reset#token=([A-Za-z0-9_-]{43})");
    private static final AtomicInteger ADDRESS = new AtomicInteger(1);
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"), MemberApi.KOREA);
    private static WebTestServer web;
    private static Calls calls;

    @BeforeAll
    static void start() throws Exception {
        int smtpPort = MAIL.getSmtp().getPort();
        web = new WebTestServer("recovery", CLOCK, s -> s.withMail(s.mail().withServer("127.0.0.1", smtpPort))
                .withAuth(s.auth().withTrustForwardedFor(true)));
        calls = new Calls(web);
    }

    @AfterAll
    static void stop() {
        if (web != null) web.close();
    }

    @BeforeEach
    void emptyMailboxes() throws Exception {
        MAIL.purgeEmailFromAllMailboxes();
    }

    private static String address() {
        int n = ADDRESS.getAndIncrement();
        return "10.2." + n / 250 + "." + (n % 250 + 1);
    }

    /** Waits for exactly {@code n} mails (the outbox sends in order, so an unexpected earlier mail shows up first). */
    private static MimeMessage[] mails(int n) throws Exception {
        assertTrue(MAIL.waitForIncomingEmail(10_000, n), "expected " + n + " mail(s)");
        Thread.sleep(200);
        MimeMessage[] received = MAIL.getReceivedMessages();
        assertEquals(n, received.length);
        return received;
    }

    private static Map<String, Object> passwordRequest(Map<String, Object> m, String answer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("memberId", m.get("memberId"));
        body.put("securityQuestionId", m.get("securityQuestionId"));
        body.put("securityAnswer", answer);
        return body;
    }

    private static Map<String, Object> reset(String token, String password) {
        return Map.of("token", token, "password", password, "passwordConfirm", password);
    }

    @Test
    void passwordResetEndToEnd() throws Exception {
        Map<String, Object> m = calls.register();
        String id = (String) m.get("memberId"), oldPassword = (String) m.get("password");
        Calls.Login before = calls.loggedIn(id, oldPassword, address());

        HttpResponse<String> wrong = calls.post("/api/v1/recovery/password", passwordRequest(m, "4월 5일"), address());
        HttpResponse<String> unknown = calls.post("/api/v1/recovery/password", Map.of("memberId", "nobody9876",
                "securityQuestionId", 3, "securityAnswer", "5월 5일"), address());
        // the answer is compared as registered: trimmed, spaces folded, ignoring case
        HttpResponse<String> right = calls.post("/api/v1/recovery/password", passwordRequest(m, "  5월   5일 "), address());
        for (HttpResponse<String> r : new HttpResponse[] {wrong, unknown, right}) {
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(right.body(), r.body(), "the same answer whether anything matched");
        }

        MimeMessage mail = mails(1)[0];
        assertEquals(m.get("email"), mail.getAllRecipients()[0].toString());
        String text = (String) mail.getContent();
        Matcher link = LINK.matcher(text);
        assertTrue(link.find(), text);
        String token = link.group(1);
        assertEquals(0, web.count("password_reset_token WHERE token_hash = '" + token + "'"), "only the hash is stored");

        // registration's password rules apply
        HttpResponse<String> weak = calls.post("/api/v1/recovery/password/reset", reset(token, "short1"), address());
        assertEquals("TOO_SHORT", code(weak));
        HttpResponse<String> mismatch = calls.post("/api/v1/recovery/password/reset",
                Map.of("token", token, "password", "NewPass77", "passwordConfirm", "NewPass78"), address());
        assertEquals("PASSWORD_MISMATCH", code(mismatch));

        HttpResponse<String> done = calls.post("/api/v1/recovery/password/reset", reset(token, "NewPass77"), address());
        assertEquals(200, done.statusCode(), done.body());
        assertEquals(401, calls.call("GET", "/api/v1/session", null, address(), before.sessionId(), null).statusCode(),
                "a reset ends every session");
        assertEquals("LOGIN_FAILED", code(calls.login(id, oldPassword, address())));
        calls.loggedIn(id, "NewPass77", address());

        HttpResponse<String> again = calls.post("/api/v1/recovery/password/reset", reset(token, "Other1234"), address());
        assertEquals(400, again.statusCode());
        assertEquals("RESET_TOKEN_INVALID", code(again));
        calls.loggedIn(id, "NewPass77", address());
        assertEquals("RESET_TOKEN_INVALID", code(calls.post("/api/v1/recovery/password/reset", reset("nonsense", "Other1234"), address())));
    }

    @Test
    void resetLinkExpires() throws Exception {
        Map<String, Object> m = calls.register();
        calls.post("/api/v1/recovery/password", passwordRequest(m, "5월 5일"), address());
        Matcher link = LINK.matcher((String) mails(1)[0].getContent());
        assertTrue(link.find());
        CLOCK.advance(WebTestServer.settings().auth().resetTokenLifetime().plusSeconds(1));
        assertEquals("RESET_TOKEN_INVALID", code(calls.post("/api/v1/recovery/password/reset", reset(link.group(1), "NewPass77"), address())));
        calls.loggedIn((String) m.get("memberId"), (String) m.get("password"), address());
    }

    @Test
    void memberIdMailOnlyForAMatch() throws Exception {
        Map<String, Object> m = calls.register();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", m.get("name"));
        body.put("email", m.get("email"));
        body.put("securityQuestionId", m.get("securityQuestionId"));
        body.put("securityAnswer", "틀린 답");
        HttpResponse<String> noMatch = calls.post("/api/v1/recovery/member-id", body, address());
        Map<String, Object> otherQuestion = new LinkedHashMap<>(body);
        otherQuestion.put("securityQuestionId", 1);
        otherQuestion.put("securityAnswer", m.get("securityAnswer"));
        HttpResponse<String> wrongQuestion = calls.post("/api/v1/recovery/member-id", otherQuestion, address());
        Map<String, Object> otherEmail = new LinkedHashMap<>(body);
        otherEmail.put("email", "someone@example.org");
        otherEmail.put("securityAnswer", m.get("securityAnswer"));
        HttpResponse<String> wrongEmail = calls.post("/api/v1/recovery/member-id", otherEmail, address());
        body.put("securityAnswer", m.get("securityAnswer"));
        HttpResponse<String> match = calls.post("/api/v1/recovery/member-id", body, address());
        for (HttpResponse<String> r : new HttpResponse[] {noMatch, wrongQuestion, wrongEmail, match}) {
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(match.body(), r.body());
        }
        MimeMessage mail = mails(1)[0];
        assertEquals(m.get("email"), mail.getAllRecipients()[0].toString());
        assertTrue(((String) mail.getContent()).contains((String) m.get("memberId")));
    }

    @Test
    void recoveryMailsPerMemberAreLimited() throws Exception {
        Map<String, Object> m = calls.register();
        int limit = WebTestServer.settings().auth().maxRecoveryMailsPerMember();
        for (int i = 0; i < limit + 2; i++) {
            assertEquals(200, calls.post("/api/v1/recovery/password", passwordRequest(m, "5월 5일"), address()).statusCode());
        }
        mails(limit);
    }

    @Test
    void recoveryRequestsPerAddressAreThrottled() throws Exception {
        String from = address();
        int limit = WebTestServer.settings().auth().maxRecoveryRequestsPerAddress();
        Map<String, Object> body = Map.of("memberId", "nobody1234", "securityQuestionId", 3, "securityAnswer", "x");
        for (int i = 0; i < limit; i++) assertEquals(200, calls.post("/api/v1/recovery/password", body, from).statusCode());
        HttpResponse<String> r = calls.post("/api/v1/recovery/password", body, from);
        assertEquals(429, r.statusCode());
        assertEquals("TOO_MANY_ATTEMPTS", code(r));
        assertEquals(200, calls.post("/api/v1/recovery/password", body, address()).statusCode());
        CLOCK.advance(WebTestServer.settings().auth().recoveryWindow().plusSeconds(1));
        assertEquals(200, calls.post("/api/v1/recovery/password", body, from).statusCode());
    }
}
