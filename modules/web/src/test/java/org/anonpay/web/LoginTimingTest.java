// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import org.anonpay.web.member.Argon2id;
import org.anonpay.web.member.MemberApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An unknown log-in name costs an Argon2id run too (against a dummy hash), so the answer time
 * does not tell who is a member. Argon2id is made expensive here so that it dominates the time.
 */
class LoginTimingTest {

    private static final Argon2id.Params COSTLY = new Argon2id.Params(32 * 1024, 3, 1);
    private static WebTestServer web;
    private static Calls calls;

    @BeforeAll
    static void start() throws Exception {
        web = new WebTestServer("timing", Clock.system(MemberApi.KOREA),
                s -> s.withArgon2(COSTLY).withAuth(s.auth().withTrustForwardedFor(true)));
        calls = new Calls(web);
    }

    @AfterAll
    static void stop() {
        if (web != null) web.close();
    }

    private static long median(String login, int round) throws Exception {
        long[] t = new long[4];
        for (int i = 0; i < t.length; i++) {
            long start = System.nanoTime();
            assertEquals(401, calls.login(login, "Wrong1234x", "10.3." + round + "." + (i + 1)).statusCode());
            t[i] = System.nanoTime() - start;
        }
        Arrays.sort(t);
        return (t[1] + t[2]) / 2;
    }

    @Test
    void unknownMemberTakesAsLongAsAWrongPassword() throws Exception {
        Map<String, Object> m = calls.register();
        String id = (String) m.get("memberId");
        median("warmup1234", 0);
        long known = median(id, 1);
        long unknown = median("nobody4321", 2);
        assertTrue(unknown > known / 2 && known > unknown / 2, "known " + known / 1_000_000 + " ms, unknown " + unknown / 1_000_000 + " ms");
    }
}
