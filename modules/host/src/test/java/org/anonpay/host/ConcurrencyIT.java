// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.anonpay.host.HostFixture.TestCard;
import org.anonpay.iso.IsoClient;
import org.anonpay.iso.MessageFactory;
import org.anonpay.iso.Terminal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 200 purchases on one card from 8 connections at once: exactly floor(B / amount) are approved,
 * the balance never goes below zero, the ledger balances, and no message fails with 96.
 */
class ConcurrencyIT {

    private static final int CONNECTIONS = 8;
    private static final int PURCHASES = 200;
    private static final long BALANCE = 100_000;
    private static final long AMOUNT = 700;

    /** Run with each message in a transaction of its own (the default) and with group commit on. */
    @ParameterizedTest(name = "group commit {0}")
    @ValueSource(booleans = {false, true})
    void concurrentPurchasesOnOneCardNeverSpendMoreThanItsBalance(boolean groupCommit) throws Exception {
        try (HostFixture fx = HostFixture.startWith("concurrency_" + groupCommit, host -> groupCommit(host, groupCommit))) {
            TestCard card = fx.issueCard("KRW-PREPAID", BALANCE);
            Map<String, AtomicInteger> codes = new ConcurrentHashMap<>();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                String terminal = String.format("CONC%04d", i);
                runs.add(pool.submit(() -> {
                    MessageFactory pos = new MessageFactory(Terminal.defaults().withTerminalId(terminal));
                    try (IsoClient client = fx.connect()) {
                        go.await();
                        for (int n = 0; n < PURCHASES / CONNECTIONS; n++) {
                            String rc = client.exchange(pos.purchase(card.iso(), AMOUNT)).getString(39);
                            codes.computeIfAbsent(rc, k -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> run : runs) run.get();
            pool.shutdown();

            long expectedApprovals = BALANCE / AMOUNT;
            System.out.println("concurrency: response codes " + codes);
            assertEquals(expectedApprovals, codes.getOrDefault("00", new AtomicInteger()).get(), "approved = floor(B / amount)");
            assertEquals(PURCHASES - expectedApprovals, codes.getOrDefault("51", new AtomicInteger()).get(), "the rest is 51");
            assertTrue(!codes.containsKey("96"), "no 96");
            assertEquals(BALANCE - expectedApprovals * AMOUNT, fx.balance(card).available());
            assertTrue(fx.balance(card).available() >= 0);
            fx.trialBalance().forEach(t -> assertTrue(t.balanced(), "ledger out of balance: " + t));
            assertEquals(groupCommit, java.nio.file.Files.readString(fx.host.output()).contains("group commit on"),
                    "the host runs with group commit " + (groupCommit ? "on" : "off"));
        }
    }

    private static void groupCommit(HostProcess host, boolean on) throws java.io.IOException {
        java.nio.file.Path file = host.workDir().resolve("deploy/50_authorization_txnmgr.xml");
        String before = "<property name=\"group-commit\" value=\"false\" />";
        String xml = java.nio.file.Files.readString(file);
        assertTrue(xml.contains(before), "deploy/50 sets group-commit");
        java.nio.file.Files.writeString(file, xml.replace(before, before.replace("false", Boolean.toString(on))));
    }
}
