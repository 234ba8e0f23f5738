// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.anonpay.gateway.idempotency.IdempotencyKeys;
import org.anonpay.gateway.idempotency.IdempotencyKeys.Status;
import org.anonpay.gateway.mall.Malls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {

    static final Instant NOW = MallsTest.NOW;
    static Database db;
    static final IdempotencyKeys keys = new IdempotencyKeys();

    @BeforeAll
    static void open() {
        db = TestMariaDb.freshDatabase("idempotency");
        db.inJdbcTransaction(c -> Malls.load(MallsTest.KEYS).add(c, MallsTest.mall("IDEMMALL")));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static byte[] hash(String body) {
        return IdempotencyKeys.requestHash("POST", "/v1/payments", body.getBytes(StandardCharsets.UTF_8));
    }

    IdempotencyKeys.Begin begin(String key, String body) {
        return db.inJdbcTransaction(c -> keys.begin(c, "IDEMMALL", key, hash(body), NOW));
    }

    @Test
    void aRetryGetsTheFirstResponseByteForByte() {
        assertEquals(Status.NEW, begin("order-1001-pay", "{\"a\":1}").status());
        assertEquals(Status.IN_PROGRESS, begin("order-1001-pay", "{\"a\":1}").status());
        byte[] response = "{\"paymentId\":\"pay_1\",\"status\":\"APPROVED\"}\n".getBytes(StandardCharsets.UTF_8);
        db.inJdbcTransaction(c -> {
            keys.complete(c, "IDEMMALL", "order-1001-pay", 201, response, NOW);
            return null;
        });
        IdempotencyKeys.Begin retry = begin("order-1001-pay", "{\"a\":1}");
        assertEquals(Status.REPLAY, retry.status());
        assertEquals(201, retry.httpStatus());
        assertArrayEquals(response, retry.responseBody());
        assertEquals(Status.DIFFERENT_REQUEST, begin("order-1001-pay", "{\"a\":2}").status());
    }

    @Test
    void anAbandonedKeyCanBeUsedAgain() {
        assertEquals(Status.NEW, begin("order-1002-pay", "{\"bad\":true}").status());
        db.inJdbcTransaction(c -> {
            keys.abandon(c, "IDEMMALL", "order-1002-pay");
            return null;
        });
        assertEquals(Status.NEW, begin("order-1002-pay", "{\"fixed\":true}").status());
    }

    @Test
    void aKeyLeftByACrashBeforeAnythingWasSentIsTakenOverButOneWithAPaymentIsNot() {
        assertEquals(Status.NEW, begin("order-1004-pay", "{\"a\":4}").status());
        java.time.Instant later = NOW.plus(IdempotencyKeys.ABANDONED_AFTER).plusSeconds(1);
        assertEquals(Status.NEW, db.inJdbcTransaction(c -> keys.begin(c, "IDEMMALL", "order-1004-pay", hash("{\"a\":4}"), later)).status());
        db.inJdbcTransaction(c -> {
            keys.attachPayment(c, "IDEMMALL", "order-1004-pay", "pay_x");
            return null;
        });
        java.time.Instant muchLater = later.plus(IdempotencyKeys.ABANDONED_AFTER).plusSeconds(1);
        IdempotencyKeys.Begin running = db.inJdbcTransaction(c -> keys.begin(c, "IDEMMALL", "order-1004-pay", hash("{\"a\":4}"), muchLater));
        assertEquals(Status.IN_PROGRESS, running.status(), "a payment was sent: only its outcome may answer");
        assertEquals("pay_x", running.paymentId());
    }

    @Test
    void ofEightConcurrentFirstUsesOneRuns() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Status>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return begin("order-1003-pay", "{\"a\":3}").status();
            }));
        }
        start.countDown();
        List<Status> statuses = new ArrayList<>();
        for (Future<Status> f : results) statuses.add(f.get());
        pool.shutdown();
        assertEquals(1, statuses.stream().filter(s -> s == Status.NEW).count(), statuses.toString());
        assertEquals(threads - 1, statuses.stream().filter(s -> s == Status.IN_PROGRESS).count(), statuses.toString());
    }
}
