// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
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
    private static final int SAMPLES = 6;
    private static WebTestServer web;
    private static Calls calls;

    @BeforeAll
    static void start() throws Exception {
        web = new WebTestServer("timing", Clock.system(MemberApi.KOREA),
                s -> s.withArgon2(COSTLY).withAuth(s.auth().withTrustForwardedFor(true)
                        .withThrottle(4 * SAMPLES, 4 * SAMPLES, Duration.ofMinutes(15))));
        calls = new Calls(web);
    }

    @AfterAll
    static void stop() {
        if (web != null) web.close();
    }

    /** One failed log-in, timed; each from its own address so that the address throttle stays out of it. */
    private static long timedFailure(String login, int attempt) throws Exception {
        long start = System.nanoTime();
        assertEquals(401, calls.login(login, "Wrong1234x", "10.3." + (attempt / 200) + "." + (attempt % 200 + 1)).statusCode());
        return System.nanoTime() - start;
    }

    /**
     * Known and unknown names are timed in turn, so a busy machine slows both alike, and each side is
     * judged by its fastest answer: the least noisy estimate of the work a log-in really does.
     */
    @Test
    void unknownMemberTakesAsLongAsAWrongPassword() throws Exception {
        Map<String, Object> m = calls.register();
        String id = (String) m.get("memberId");
        timedFailure("warmup1234", 0);
        long knownNanos = Long.MAX_VALUE;
        long unknownNanos = Long.MAX_VALUE;
        for (int i = 1; i <= SAMPLES; i++) {
            knownNanos = Math.min(knownNanos, timedFailure(id, 2 * i));
            unknownNanos = Math.min(unknownNanos, timedFailure("nobody4321", 2 * i + 1));
        }
        assertTrue(unknownNanos > knownNanos / 2 && knownNanos > unknownNanos / 2,
                "known " + knownNanos / 1_000_000 + " ms, unknown " + unknownNanos / 1_000_000 + " ms");
    }
}
