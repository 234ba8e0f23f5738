// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.anonpay.gateway.mall.MallSecret;
import org.anonpay.gateway.mall.Malls;
import org.anonpay.gateway.signing.RequestSignature;
import org.anonpay.gateway.signing.SignatureCheck;
import org.anonpay.gateway.signing.SignatureCheck.Outcome;
import org.anonpay.gateway.signing.WebhookSignature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SignatureCheckTest {

    static final Instant NOW = MallsTest.NOW;
    static final byte[] BODY = "{\"orderId\":\"A-1\",\"total\":12000}".getBytes(StandardCharsets.UTF_8);
    static Database db;
    static Malls malls;
    static SignatureCheck check;
    static MallSecret secret;

    @BeforeAll
    static void open() {
        db = TestMariaDb.freshDatabase("signatures");
        malls = Malls.load(MallsTest.KEYS);
        check = new SignatureCheck(malls, Duration.ofMinutes(5));
        secret = db.inJdbcTransaction(c -> malls.add(c, MallsTest.mall("SIGMALL1"))).secret();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    /** Signed as the mall does: with the secret it was shown, not the stored hash. */
    static String signed(MallSecret s, long t, String method, String path, byte[] body) {
        return RequestSignature.sign(s.reveal().getBytes(StandardCharsets.US_ASCII), s.keyId(), t, method, path, body);
    }

    SignatureCheck.Result run(String header, String method, String path, byte[] body, Instant at) {
        return db.inJdbcTransaction(c -> check.check(c, header, method, path, body, at));
    }

    @Test
    void aRequestSignedWithTheSecretIsValidOnceThenAReplay() {
        String header = signed(secret, NOW.getEpochSecond(), "POST", "/v1/payments", BODY);
        SignatureCheck.Result first = run(header, "POST", "/v1/payments", BODY, NOW.plusSeconds(2));
        assertEquals(Outcome.VALID, first.outcome());
        assertEquals("SIGMALL1", first.mallId());
        assertEquals(Outcome.REPLAYED, run(header, "POST", "/v1/payments", BODY, NOW.plusSeconds(3)).outcome());
    }

    @Test
    void eachPartOfTheRequestIsCovered() {
        long t = NOW.getEpochSecond() + 10;
        String header = signed(secret, t, "POST", "/v1/payments", BODY);
        Instant at = NOW.plusSeconds(10);
        assertEquals(Outcome.BAD_SIGNATURE, run(header, "GET", "/v1/payments", BODY, at).outcome(), "method");
        assertEquals(Outcome.BAD_SIGNATURE, run(header, "POST", "/v1/payments/x/refunds", BODY, at).outcome(), "path");
        assertEquals(Outcome.BAD_SIGNATURE, run(header, "POST", "/v1/payments", "{\"total\":1}".getBytes(StandardCharsets.UTF_8), at).outcome(), "body");
        String otherTime = header.replace("t=" + t, "t=" + (t + 1));
        assertEquals(Outcome.BAD_SIGNATURE, run(otherTime, "POST", "/v1/payments", BODY, at).outcome(), "timestamp");
    }

    @Test
    void staleAndFutureTimestampsAreRefusedBeforeTheSignatureIsChecked() {
        long t = NOW.getEpochSecond();
        assertEquals(Outcome.STALE_TIMESTAMP, run(signed(secret, t, "POST", "/v1/p", BODY), "POST", "/v1/p", BODY, NOW.plusSeconds(301)).outcome());
        assertEquals(Outcome.STALE_TIMESTAMP, run(signed(secret, t + 301, "POST", "/v1/p", BODY), "POST", "/v1/p", BODY, NOW).outcome());
    }

    @Test
    void missingMalformedAndUnknownKeys() {
        assertEquals(Outcome.MISSING, run(null, "POST", "/v1/p", BODY, NOW).outcome());
        assertEquals(Outcome.MALFORMED, run("t=1,v1=abc", "POST", "/v1/p", BODY, NOW).outcome());
        assertEquals(Outcome.MALFORMED, run("t=1,t=2,k=ak_000000000000000000000000,v1=" + "0".repeat(64), "POST", "/v1/p", BODY, NOW).outcome());
        String unknown = RequestSignature.sign(new byte[32], "ak_000000000000000000000000", NOW.getEpochSecond(), "POST", "/v1/p", BODY);
        assertEquals(Outcome.UNKNOWN_KEY, run(unknown, "POST", "/v1/p", BODY, NOW).outcome());
    }

    @Test
    void bothLiveSecretsSignDuringARotationAndARetiredOneNoLonger() {
        var mall = db.inJdbcTransaction(c -> malls.add(c, MallsTest.mall("SIGMALL2")));
        MallSecret old = mall.secret();
        MallSecret rotated = db.inJdbcTransaction(c -> malls.rotateSecret(c, "SIGMALL2", NOW)).secret();
        long t = NOW.getEpochSecond() + 20;
        assertEquals(Outcome.VALID, run(signed(old, t, "GET", "/v1/payments/1", new byte[0]), "GET", "/v1/payments/1", new byte[0], NOW.plusSeconds(20)).outcome());
        assertEquals(Outcome.VALID, run(signed(rotated, t, "GET", "/v1/payments/1", new byte[0]), "GET", "/v1/payments/1", new byte[0], NOW.plusSeconds(20)).outcome());
        db.inJdbcTransaction(c -> malls.retireSecret(c, "SIGMALL2", old.keyId(), NOW));
        assertEquals(Outcome.UNKNOWN_KEY, run(signed(old, t + 1, "GET", "/v1/payments/1", new byte[0]), "GET", "/v1/payments/1", new byte[0], NOW.plusSeconds(21)).outcome());
    }

    @Test
    void webhooksSignedWithTheStoredHashVerifyWithTheMallsSecret() {
        byte[] storedHash = db.inJdbcTransaction(c -> malls.liveKeys(c, "SIGMALL1")).getFirst().verificationKey();
        byte[] event = "{\"id\":\"evt_1\",\"type\":\"payment.approved\"}".getBytes(StandardCharsets.UTF_8);
        String header = WebhookSignature.header(storedHash, NOW.getEpochSecond(), event);
        byte[] mallsSecret = secret.reveal().getBytes(StandardCharsets.US_ASCII);
        assertTrue(WebhookSignature.verify(mallsSecret, header, event, NOW.getEpochSecond() + 5, 300));
        assertFalse(WebhookSignature.verify(mallsSecret, header, "{}".getBytes(StandardCharsets.UTF_8), NOW.getEpochSecond(), 300), "other body");
        assertFalse(WebhookSignature.verify(mallsSecret, header, event, NOW.getEpochSecond() + 301, 300), "too old");
    }
}
