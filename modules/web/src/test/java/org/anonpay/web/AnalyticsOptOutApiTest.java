// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import static org.anonpay.web.Calls.code;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.anonpay.web.member.AnalyticsOptOutApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The member's analytics opt-out (issue 5 item 4) over real HTTP and MariaDB: session, CSRF,
 * validation, and the row the analytics report reads. The table is the analytics module's V80;
 * the wallet does not depend on that module (its tests depend on the wallet), so this test
 * applies that migration's file from the sibling module itself.
 */
class AnalyticsOptOutApiTest {

    private static WebTestServer web;
    private static Calls calls;

    @BeforeAll
    static void start() throws Exception {
        web = new WebTestServer("analyticsoptout", java.time.Clock.system(org.anonpay.web.member.MemberApi.KOREA),
                s -> s.withAuth(s.auth().withTrustForwardedFor(true)));
        calls = new Calls(web);
        String v80 = Files.readString(Path.of("../analytics/src/main/resources/db/migration/V80__analytics.sql"));
        web.database.inJdbcTransaction(c -> {
            try (var st = c.createStatement()) {
                st.execute(v80);
            }
            return null;
        });
    }

    @AfterAll
    static void stop() {
        if (web != null) web.close();
    }

    private static boolean optedOutInDb(String memberId) {
        return web.database.inJdbcTransaction(c -> {
            try (var ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM analytics_opt_out o JOIN member m ON m.id = o.member_ref WHERE m.member_id = ?")) {
                ps.setString(1, memberId);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1) == 1;
                }
            }
        });
    }

    @Test
    void aMemberOptsOutAndBackInWithSessionAndCsrf() throws Exception {
        Map<String, Object> m = calls.register();
        String memberId = (String) m.get("memberId");
        String address = "10.9.0.2";
        Calls.Login login = calls.loggedIn(memberId, (String) m.get("password"), address);
        String path = AnalyticsOptOutApi.PATH;

        HttpResponse<String> got = calls.call("GET", path, null, address, login.sessionId(), null);
        assertEquals(200, got.statusCode(), got.body());
        assertFalse(TestMembers.parse(got.body()).get("optOut").asBoolean(), "members take part until they opt out");

        HttpResponse<String> out = calls.call("PUT", path, Map.of("optOut", true), address, login.sessionId(), login.csrfToken());
        assertEquals(200, out.statusCode(), out.body());
        assertTrue(TestMembers.parse(out.body()).get("optOut").asBoolean());
        assertTrue(optedOutInDb(memberId));
        // again: still one row
        assertEquals(200, calls.call("PUT", path, Map.of("optOut", true), address, login.sessionId(), login.csrfToken()).statusCode());
        assertTrue(optedOutInDb(memberId));
        assertTrue(TestMembers.parse(calls.call("GET", path, null, address, login.sessionId(), null).body()).get("optOut").asBoolean());

        // without the CSRF token, without a session, with a wrong value or an unknown field: refused, nothing changes
        HttpResponse<String> noCsrf = calls.call("PUT", path, Map.of("optOut", false), address, login.sessionId(), null);
        assertEquals(403, noCsrf.statusCode());
        assertEquals("CSRF_TOKEN_INVALID", code(noCsrf));
        assertEquals(401, calls.call("PUT", path, Map.of("optOut", false), address, null, null).statusCode());
        assertEquals(401, calls.call("GET", path, null, address, null, null).statusCode());
        HttpResponse<String> bad = calls.call("PUT", path, Map.of("optOut", "no"), address, login.sessionId(), login.csrfToken());
        assertEquals(400, bad.statusCode());
        assertEquals("INVALID_VALUE", code(bad));
        assertEquals("REQUIRED", code(calls.call("PUT", path, Map.of(), address, login.sessionId(), login.csrfToken())));
        HttpResponse<String> extra = calls.call("PUT", path, Map.of("optOut", false, "memberRef", 1), address, login.sessionId(), login.csrfToken());
        assertEquals("UNKNOWN_FIELD", code(extra));
        assertTrue(optedOutInDb(memberId));

        HttpResponse<String> in = calls.call("PUT", path, Map.of("optOut", false), address, login.sessionId(), login.csrfToken());
        assertEquals(200, in.statusCode(), in.body());
        assertFalse(TestMembers.parse(in.body()).get("optOut").asBoolean());
        assertFalse(optedOutInDb(memberId));
    }
}
