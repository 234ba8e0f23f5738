// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.IssuerService;
import org.anonpay.authz.MessageKey;
import org.anonpay.authz.SensitivePan;
import org.jpos.transaction.Context;
import org.junit.jupiter.api.Test;

/**
 * The lanes' hand-over without a database: a message waits untimed for its batch, so every path
 * must complete it. The issuer here fails every batch, slowly (as a database that hangs and then
 * fails would), so a message a lane takes falls back, and one still queued at close() falls back too.
 */
class AuthorizationBatchesTest {
    private static final AtomicInteger STANS = new AtomicInteger();

    /** A batch takes 50 ms and fails: at close() the lanes are busy and messages wait in their queues. */
    private static IssuerService noDatabase() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("no database in this test");
    }

    private static Context message(int card) {
        Context ctx = new Context();
        ctx.put(Ctx.PAN, new SensitivePan("94100000000000" + String.format("%02d", card % 100)));
        ctx.put(Ctx.MESSAGE_KEY, new MessageKey("1", "TERM0001", String.format("%06d", STANS.incrementAndGet() % 1_000_000), "1124120000", "020"));
        return ctx;
    }

    @Test
    void aMessageAfterCloseFallsBackAtOnce() throws Exception {
        AuthorizationBatches batches = new AuthorizationBatches(AuthorizationBatchesTest::noDatabase, 2, 32);
        batches.close();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertEquals(AuthorizationBatch.Outcome.FELL_BACK, batches.decide(message(1))));
    }

    @Test
    void everyMessageIsAnsweredWhileTheBatchesCloseUnderThem() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            AuthorizationBatches batches = new AuthorizationBatches(AuthorizationBatchesTest::noDatabase, 2, 32);
            AtomicInteger answered = new AtomicInteger();
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int card = t;
                senders.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 500; i++) {
                        try {
                            if (batches.decide(message(card + i)) == AuthorizationBatch.Outcome.FELL_BACK) answered.incrementAndGet();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
            Thread.sleep(200); // a few batches under way, the queues full
            batches.close();
            for (Thread s : senders) s.join();
            assertEquals(16 * 500, answered.get(), "every message came back, each as a fallback (no batch can commit here)");
        });
    }
}
