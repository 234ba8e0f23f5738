// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import static org.anonpay.web.Calls.code;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.anonpay.web.auth.Sessions;
import org.anonpay.web.member.MemberApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Log-in, sessions, CSRF and throttling (issue 3, item 3) over real HTTP against a real MariaDB, with a clock the test moves. */
class SessionApiTest {

    private static final int PER_MEMBER = 5, PER_ADDRESS = 8;
    private static final Duration WINDOW = Duration.ofMinutes(15);
    private static final AtomicInteger ADDRESS = new AtomicInteger(1);

    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"), MemberApi.KOREA);
    private static WebTestServer web;
    private static Calls calls;

    @BeforeAll
    static void start() throws Exception {
        web = new WebTestServer("session", CLOCK, s -> s.withAuth(s.auth().withThrottle(PER_MEMBER, PER_ADDRESS, WINDOW).withTrustForwardedFor(true)));
        calls = new Calls(web);
    }

    @AfterAll
    static void stop() {
        if (web != null) web.close();
    }

    /** A client address of its own for each use, so the per-address limit of one test leaves the others alone. */
    private static String address() {
        int n = ADDRESS.getAndIncrement();
        return "10.1." + n / 250 + "." + (n % 250 + 1);
    }

    @Test
    void loginByMemberIdAndByNicknameIgnoringCase() throws Exception {
        Map<String, Object> m = calls.register();
        String id = (String) m.get("memberId"), password = (String) m.get("password"), nickname = (String) m.get("nickname");
        for (String login : List.of(id, nickname, id.toUpperCase(), " " + id + " ")) {
            Calls.Login l = calls.loggedIn(login, password, address());
            JsonNode body = TestMembers.parse(l.response().body());
            assertEquals(id, body.get("memberId").asText());
            assertEquals(nickname, body.get("nickname").asText());
            assertEquals(43, l.csrfToken().length());
            HttpResponse<String> who = calls.call("GET", "/api/v1/session", null, address(), l.sessionId(), null);
            assertEquals(200, who.statusCode(), who.body());
            assertEquals(id, TestMembers.parse(who.body()).get("memberId").asText());
        }
        assertEquals(401, calls.login(id, password.toUpperCase(), address()).statusCode(), "passwords are case-sensitive");
    }

    @Test
    void wrongPasswordAndUnknownMemberGiveTheSameAnswer() throws Exception {
        Map<String, Object> m = calls.register();
        HttpResponse<String> wrong = calls.login((String) m.get("memberId"), "Wrong1234x", address());
        HttpResponse<String> unknown = calls.login("nobody9999", "Wrong1234x", address());
        HttpResponse<String> tooLong = calls.login("x".repeat(40), "Wrong1234x", address());
        for (HttpResponse<String> r : List.of(wrong, unknown, tooLong)) {
            assertEquals(401, r.statusCode(), r.body());
            assertEquals("LOGIN_FAILED", code(r));
            assertArrayEquals(wrong.body().getBytes(StandardCharsets.UTF_8), r.body().getBytes(StandardCharsets.UTF_8));
            assertTrue(r.headers().allValues("Set-Cookie").isEmpty());
        }
        assertEquals(0, web.count("web_session WHERE member_ref = (SELECT id FROM member WHERE member_id = '" + m.get("memberId") + "')"));
    }

    @Test
    void badLoginRequestsAre400() throws Exception {
        assertEquals("REQUIRED", code(calls.post("/api/v1/sessions", Map.of("login", "member1234"), address())));
        assertEquals("WRONG_TYPE", code(calls.post("/api/v1/sessions", Map.of("login", 12345678, "password", "x"), address())));
        assertEquals("UNKNOWN_FIELD", code(calls.post("/api/v1/sessions", Map.of("login", "a", "password", "b", "remember", true), address())));
    }

    @Test
    void sessionCookieAttributes() throws Exception {
        Map<String, Object> m = calls.register();
        HttpResponse<String> r = calls.login((String) m.get("memberId"), (String) m.get("password"), address());
        String session = Calls.cookie(r, "anonpay_session").orElseThrow();
        assertTrue(session.contains("; HttpOnly"), session);
        assertTrue(session.contains("; SameSite=Strict"), session);
        assertTrue(session.contains("; Path=/"), session);
        assertFalse(session.contains("Secure"), "public-base-url is http and the request was not TLS: " + session);
        assertEquals(43, Calls.value(session).length(), "32 random bytes, base64url");
        String csrf = Calls.cookie(r, "anonpay_csrf").orElseThrow();
        assertFalse(csrf.contains("HttpOnly"), "the page reads the CSRF cookie");
        assertTrue(csrf.contains("; SameSite=Strict"), csrf);
        assertEquals(TestMembers.parse(r.body()).get("csrfToken").asText(), Calls.value(csrf));
        // only the hash is stored
        assertEquals(0, web.count("web_session WHERE id_hash = '" + Calls.value(session) + "'"));
        assertEquals(1, web.count("web_session WHERE id_hash = UNHEX(SHA2(FROM_BASE64(REPLACE(REPLACE(CONCAT('"
                + Calls.value(session) + "', '='), '-', '+'), '_', '/')), 256))"));
    }

    @Test
    void secureCookiesWhenThePublicUrlIsHttpsOrTheRequestCameOverTls() {
        WebSettings.Auth http = WebTestServer.settings().auth();
        WebSettings.Auth https = new WebSettings.Auth(http.sessionIdle(), http.sessionAbsolute(), WebSettings.CookieSecure.AUTO,
                "https://wallet.example/", false, 5, 20, WINDOW, http.resetTokenLifetime(), 10, 3, http.recoveryWindow());
        Sessions.Created created = new Sessions.Created("s", "c", Instant.now());
        ApiRequest plain = new ApiRequest("POST", "/api/v1/sessions", Map.of(), null, new byte[0], Map.of(), Map.of(), "127.0.0.1", false);
        ApiRequest tls = new ApiRequest("POST", "/api/v1/sessions", Map.of(), null, new byte[0], Map.of(), Map.of(), "127.0.0.1", true);
        assertTrue(new Sessions(null, https, CLOCK).cookies(plain, created).stream().allMatch(c -> c.contains("; Secure")));
        assertTrue(new Sessions(null, http, CLOCK).cookies(tls, created).stream().allMatch(c -> c.contains("; Secure")));
        assertTrue(new Sessions(null, http, CLOCK).cookies(plain, created).stream().noneMatch(c -> c.contains("Secure")));
    }

    @Test
    void logoutNeedsTheCsrfTokenAndEndsTheSession() throws Exception {
        Map<String, Object> m = calls.register();
        Calls.Login l = calls.loggedIn((String) m.get("memberId"), (String) m.get("password"), address());
        long sessions = web.count("web_session");

        HttpResponse<String> missing = calls.call("DELETE", "/api/v1/session", null, address(), l.sessionId(), null);
        assertEquals(403, missing.statusCode(), missing.body());
        assertEquals("CSRF_TOKEN_INVALID", code(missing));
        HttpResponse<String> wrong = calls.call("DELETE", "/api/v1/session", null, address(), l.sessionId(), org.anonpay.web.auth.Tokens.newToken());
        assertEquals(403, wrong.statusCode(), wrong.body());
        assertEquals("CSRF_TOKEN_INVALID", code(wrong));
        assertEquals(403, calls.call("DELETE", "/api/v1/session", null, address(), l.sessionId(), "garbage").statusCode());
        assertEquals(sessions, web.count("web_session"), "a refused request changes nothing");
        assertEquals(200, calls.call("GET", "/api/v1/session", null, address(), l.sessionId(), null).statusCode());

        HttpResponse<String> out = calls.call("DELETE", "/api/v1/session", null, address(), l.sessionId(), l.csrfToken());
        assertEquals(200, out.statusCode(), out.body());
        assertTrue(Calls.cookie(out, "anonpay_session").orElseThrow().contains("Max-Age=0"));
        assertEquals(sessions - 1, web.count("web_session"));
        HttpResponse<String> after = calls.call("GET", "/api/v1/session", null, address(), l.sessionId(), null);
        assertEquals(401, after.statusCode());
        assertEquals("NOT_AUTHENTICATED", code(after));
        assertEquals(401, calls.call("DELETE", "/api/v1/session", null, address(), l.sessionId(), l.csrfToken()).statusCode());
    }

    @Test
    void logoutEverywhereNeedsTheCsrfTokenOfItsOwnSession() throws Exception {
        Map<String, Object> m = calls.register();
        String id = (String) m.get("memberId"), password = (String) m.get("password");
        Calls.Login phone = calls.loggedIn(id, password, address());
        Calls.Login laptop = calls.loggedIn(id, password, address());
        assertNotEquals(phone.csrfToken(), laptop.csrfToken());

        assertEquals(403, calls.call("DELETE", "/api/v1/sessions", null, address(), phone.sessionId(), null).statusCode());
        assertEquals(403, calls.call("DELETE", "/api/v1/sessions", null, address(), phone.sessionId(), laptop.csrfToken()).statusCode(),
                "another session's token is a wrong token");
        assertEquals(200, calls.call("GET", "/api/v1/session", null, address(), laptop.sessionId(), null).statusCode());

        HttpResponse<String> all = calls.call("DELETE", "/api/v1/sessions", null, address(), phone.sessionId(), phone.csrfToken());
        assertEquals(200, all.statusCode(), all.body());
        assertEquals(2, TestMembers.parse(all.body()).get("sessionsEnded").asInt());
        assertEquals(401, calls.call("GET", "/api/v1/session", null, address(), phone.sessionId(), null).statusCode());
        assertEquals(401, calls.call("GET", "/api/v1/session", null, address(), laptop.sessionId(), null).statusCode());
    }

    @Test
    void withoutSessionMemberRoutesAre401() throws Exception {
        assertEquals("NOT_AUTHENTICATED", code(calls.call("GET", "/api/v1/session", null, address(), null, null)));
        assertEquals("NOT_AUTHENTICATED", code(calls.call("GET", "/api/v1/session", null, address(), "not-a-session", null)));
        assertEquals("NOT_AUTHENTICATED", code(calls.call("DELETE", "/api/v1/session", null, address(), org.anonpay.web.auth.Tokens.newToken(), null)));
    }

    @Test
    void idleTimeoutAndAbsoluteLifetime() throws Exception {
        Map<String, Object> m = calls.register();
        String id = (String) m.get("memberId"), password = (String) m.get("password");
        WebSettings.Auth a = WebTestServer.settings().auth();

        Calls.Login idle = calls.loggedIn(id, password, address());
        CLOCK.advance(a.sessionIdle().minusSeconds(5));
        assertEquals(200, calls.call("GET", "/api/v1/session", null, address(), idle.sessionId(), null).statusCode(), "a request restarts the idle timer");
        CLOCK.advance(a.sessionIdle().minusSeconds(5));
        assertEquals(200, calls.call("GET", "/api/v1/session", null, address(), idle.sessionId(), null).statusCode());
        CLOCK.advance(a.sessionIdle().plusSeconds(1));
        assertEquals(401, calls.call("GET", "/api/v1/session", null, address(), idle.sessionId(), null).statusCode());

        Calls.Login busy = calls.loggedIn(id, password, address());
        Duration step = a.sessionIdle().dividedBy(2);
        for (Duration lived = Duration.ZERO; lived.plus(step).compareTo(a.sessionAbsolute()) < 0; lived = lived.plus(step)) {
            CLOCK.advance(step);
            assertEquals(200, calls.call("GET", "/api/v1/session", null, address(), busy.sessionId(), null).statusCode());
        }
        CLOCK.advance(step);
        assertEquals(401, calls.call("GET", "/api/v1/session", null, address(), busy.sessionId(), null).statusCode(), "absolute lifetime");
    }

    @Test
    void throttlePerMemberLiftsAfterTheWindow() throws Exception {
        Map<String, Object> m = calls.register();
        String id = (String) m.get("memberId"), password = (String) m.get("password"), nickname = (String) m.get("nickname");
        for (int i = 0; i < PER_MEMBER; i++) {
            // from other addresses each time: this is the per-member limit, and via ID and nickname alike
            assertEquals(401, calls.login(i % 2 == 0 ? id : nickname, "Wrong1234x", address()).statusCode());
        }
        HttpResponse<String> locked = calls.login(id, password, address());
        assertEquals(429, locked.statusCode(), "even the right password inside the window");
        assertEquals("TOO_MANY_ATTEMPTS", code(locked));
        long retryAfter = Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= WINDOW.toSeconds(), "Retry-After " + retryAfter);

        // an unknown name is throttled the same way: the 429 does not tell who exists
        for (int i = 0; i < PER_MEMBER; i++) assertEquals(401, calls.login("ghost12345", "Wrong1234x", address()).statusCode());
        HttpResponse<String> ghost = calls.login("ghost12345", "Wrong1234x", address());
        assertEquals(429, ghost.statusCode());
        assertEquals(locked.body(), ghost.body());

        CLOCK.advance(Duration.ofSeconds(retryAfter - 2));
        assertEquals(429, calls.login(id, password, address()).statusCode(), "still inside the window");
        CLOCK.advance(Duration.ofSeconds(3));
        calls.loggedIn(id, password, address());
        // a success clears the member's failures
        for (int i = 0; i < PER_MEMBER - 1; i++) assertEquals(401, calls.login(id, "Wrong1234x", address()).statusCode());
        calls.loggedIn(id, password, address());
    }

    @Test
    void throttlePerClientAddress() throws Exception {
        Map<String, Object> m = calls.register();
        String id = (String) m.get("memberId"), password = (String) m.get("password");
        String attacker = address();
        for (int i = 0; i < PER_ADDRESS; i++) {
            assertEquals(401, calls.login("guess" + (1000 + i) + "ab", "Wrong1234x", attacker).statusCode());
        }
        HttpResponse<String> locked = calls.login(id, password, attacker);
        assertEquals(429, locked.statusCode(), "every log-in from that address");
        assertTrue(locked.headers().firstValue("Retry-After").isPresent());
        calls.loggedIn(id, password, address()); // the member, from elsewhere, is not locked out
        CLOCK.advance(WINDOW.plusSeconds(1));
        calls.loggedIn(id, password, attacker);
    }

    @Test
    void changePasswordNeedsCsrfAndTheCurrentPassword() throws Exception {
        Map<String, Object> m = calls.register();
        String id = (String) m.get("memberId"), password = (String) m.get("password");
        Calls.Login here = calls.loggedIn(id, password, address());
        Calls.Login elsewhere = calls.loggedIn(id, password, address());
        Map<String, Object> change = Map.of("currentPassword", password, "password", "Changed77x", "passwordConfirm", "Changed77x");
        String hash = passwordHash(id);

        HttpResponse<String> noToken = calls.call("PUT", "/api/v1/members/me/password", change, address(), here.sessionId(), null);
        assertEquals(403, noToken.statusCode(), noToken.body());
        assertEquals("CSRF_TOKEN_INVALID", code(noToken));
        assertEquals(403, calls.call("PUT", "/api/v1/members/me/password", change, address(), here.sessionId(), elsewhere.csrfToken()).statusCode());
        assertEquals(hash, passwordHash(id), "nothing changed");
        assertEquals(401, calls.call("PUT", "/api/v1/members/me/password", change, address(), null, here.csrfToken()).statusCode());

        HttpResponse<String> wrongCurrent = calls.call("PUT", "/api/v1/members/me/password",
                Map.of("currentPassword", "Wrong1234x", "password", "Changed77x", "passwordConfirm", "Changed77x"), address(), here.sessionId(), here.csrfToken());
        assertEquals("CURRENT_PASSWORD_WRONG", code(wrongCurrent));
        HttpResponse<String> weak = calls.call("PUT", "/api/v1/members/me/password",
                Map.of("currentPassword", password, "password", "password1", "passwordConfirm", "password1"), address(), here.sessionId(), here.csrfToken());
        assertEquals("PASSWORD_TOO_COMMON", code(weak));
        assertEquals(hash, passwordHash(id));

        HttpResponse<String> ok = calls.call("PUT", "/api/v1/members/me/password", change, address(), here.sessionId(), here.csrfToken());
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(200, calls.call("GET", "/api/v1/session", null, address(), here.sessionId(), null).statusCode(), "this session stays");
        assertEquals(401, calls.call("GET", "/api/v1/session", null, address(), elsewhere.sessionId(), null).statusCode(), "the others end");
        assertEquals(401, calls.login(id, password, address()).statusCode());
        calls.loggedIn(id, "Changed77x", address());
    }

    private static String passwordHash(String memberId) {
        return web.database.inJdbcTransaction(c -> {
            try (var ps = c.prepareStatement("SELECT password_hash FROM member WHERE member_id = ?")) {
                ps.setString(1, memberId);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }
}
