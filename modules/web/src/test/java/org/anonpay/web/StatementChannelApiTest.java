// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import static org.anonpay.web.Calls.code;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import org.anonpay.web.member.StatementChannelApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The member's choice of statement channel (b12) over real HTTP and MariaDB: session, CSRF, validation. */
class StatementChannelApiTest {

    private static WebTestServer web;
    private static Calls calls;

    @BeforeAll
    static void start() throws Exception {
        web = new WebTestServer("stmtchannel", java.time.Clock.system(org.anonpay.web.member.MemberApi.KOREA),
                s -> s.withAuth(s.auth().withTrustForwardedFor(true)));
        calls = new Calls(web);
    }

    @AfterAll
    static void stop() {
        if (web != null) web.close();
    }

    private static String channelInDb(String memberId) {
        return web.database.inJdbcTransaction(c -> {
            try (var ps = c.prepareStatement("SELECT statement_channel FROM member WHERE member_id = ?")) {
                ps.setString(1, memberId);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    @Test
    void aMemberChangesTheChannelWithSessionAndCsrf() throws Exception {
        Map<String, Object> m = calls.register();
        String memberId = (String) m.get("memberId");
        String address = "10.9.0.1";
        Calls.Login login = calls.loggedIn(memberId, (String) m.get("password"), address);
        String path = StatementChannelApi.PATH;

        HttpResponse<String> got = calls.call("GET", path, null, address, login.sessionId(), null);
        assertEquals(200, got.statusCode(), got.body());
        JsonNode body = TestMembers.parse(got.body());
        String before = body.get("channel").asText();
        assertEquals(channelInDb(memberId), before);
        assertTrue(body.get("email").asText().contains("***@"), "masked e-mail");
        assertTrue(body.get("mobile").asText().contains("****"), "masked mobile");

        String other = "EMAIL".equals(before) ? "SMS" : "EMAIL";
        HttpResponse<String> put = calls.call("PUT", path, Map.of("channel", other), address, login.sessionId(), login.csrfToken());
        assertEquals(200, put.statusCode(), put.body());
        assertEquals(other, TestMembers.parse(put.body()).get("channel").asText());
        assertEquals(other, channelInDb(memberId));

        // without the CSRF token, without a session, with a wrong value or an unknown field: refused, nothing changes
        HttpResponse<String> noCsrf = calls.call("PUT", path, Map.of("channel", before), address, login.sessionId(), null);
        assertEquals(403, noCsrf.statusCode());
        assertEquals("CSRF_TOKEN_INVALID", code(noCsrf));
        assertEquals(401, calls.call("PUT", path, Map.of("channel", before), address, null, null).statusCode());
        HttpResponse<String> bad = calls.call("PUT", path, Map.of("channel", "FAX"), address, login.sessionId(), login.csrfToken());
        assertEquals(400, bad.statusCode());
        assertEquals("INVALID_VALUE", code(bad));
        HttpResponse<String> missing = calls.call("PUT", path, Map.of(), address, login.sessionId(), login.csrfToken());
        assertEquals("REQUIRED", code(missing));
        HttpResponse<String> extra = calls.call("PUT", path, Map.of("channel", before, "memberRef", 1), address, login.sessionId(), login.csrfToken());
        assertEquals("UNKNOWN_FIELD", code(extra));
        assertEquals(other, channelInDb(memberId));
    }
}
