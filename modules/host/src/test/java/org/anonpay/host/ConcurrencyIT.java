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
import org.jpos.iso.ISOMsg;
import org.anonpay.host.HostFixture.TestCard;
import org.anonpay.iso.IsoClient;
import org.anonpay.iso.OriginalData;
import org.anonpay.iso.MessageFactory;
import org.anonpay.iso.Terminal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 200 purchases on one card from 8 connections at once: exactly floor(B / amount) are approved,
 * the balance never goes below zero, the ledger balances, and no message fails with 96.
 */
class ConcurrencyIT {

    private static final int CONNECTIONS = 8;
    private static final int PURCHASES = 200;
    private static final long BALANCE = 100_000;
    private static final long AMOUNT = 700;

    /** How the host decides the purchases: deploy/50 as shipped, or changed as the ops notes allow. */
    enum Mode {
        /** Card purchases decided in batches (AuthorizeInBatch), one lane. */
        BATCHES(true, 1, false),
        /** As shipped, batch-lanes=2: one card's purchases all wait in the same lane's queue, never in both at once. */
        BATCHES_TWO_LANES(true, 2, false),
        /** batch=false: each message in a transaction of its own. */
        ONE_BY_ONE(false, 1, false),
        /** batch=false, group-commit=true. */
        GROUP_COMMIT(false, 1, true);

        final boolean batch;
        final int lanes;
        final boolean groupCommit;

        Mode(boolean batch, int lanes, boolean groupCommit) {
            this.batch = batch;
            this.lanes = lanes;
            this.groupCommit = groupCommit;
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void concurrentPurchasesOnOneCardNeverSpendMoreThanItsBalance(Mode mode) throws Exception {
        boolean groupCommit = mode.groupCommit;
        try (HostFixture fx = HostFixture.startWith("concurrency_" + mode.name().toLowerCase(), host -> configure(host, mode))) {
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
            String log = java.nio.file.Files.readString(fx.host.output());
            assertEquals(groupCommit, log.contains("group commit on"), "the host runs with group commit " + (groupCommit ? "on" : "off"));
            assertEquals(mode.batch, log.contains("batch authorization on"), "the host decides in batches: " + mode.batch);
            if (mode.batch) {
                assertTrue(log.contains("batch authorization on: " + mode.lanes + " lanes"), "the host runs " + mode.lanes + " lanes");
                // 8 connections paying on one card: while one batch is decided the others' purchases queue for the next
                int largest = largestBatch(log);
                System.out.println("concurrency: largest batch " + largest);
                assertTrue(largest >= 2, "purchases were decided together, largest batch " + largest);
            }
        }
    }

    /**
     * 40 holds of 2,000 on one 100,000 card, then from 8 connections at once each completes its
     * holds for 500 (releasing 1,500 each) between purchases of 700 on the same card, and reverses
     * the first approved purchase after each completion: whatever the interleaving, every
     * completion and reversal is approved, no hold stays pending, the card keeps exactly
     * 100,000 - 40 x 500 - 700 x (purchases approved - reversed), never below zero, and the ledger
     * balances.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Mode.class, names = {"BATCHES", "BATCHES_TWO_LANES", "ONE_BY_ONE"})
    void completionsAndReversalsAmongPurchasesOnOneCardMoveExactlyWhatTheySay(Mode mode) throws Exception {
        int holdsPerConnection = 5;
        long held = 2_000;
        long completed = 500;
        int purchasesPerHold = 3;
        try (HostFixture fx = HostFixture.startWith("completions_" + mode.name().toLowerCase(), host -> configure(host, mode))) {
            TestCard card = fx.issueCard("KRW-PREPAID", BALANCE);
            Map<String, AtomicInteger> purchaseCodes = new ConcurrentHashMap<>();
            Map<String, AtomicInteger> completionCodes = new ConcurrentHashMap<>();
            Map<String, AtomicInteger> reversalCodes = new ConcurrentHashMap<>();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                String terminal = String.format("COMP%04d", i);
                runs.add(pool.submit(() -> {
                    MessageFactory pos = new MessageFactory(Terminal.defaults().withTerminalId(terminal));
                    try (IsoClient client = fx.connect()) {
                        List<ISOMsg> holds = new ArrayList<>();
                        for (int n = 0; n < holdsPerConnection; n++) {
                            ISOMsg auth = pos.authorization(card.iso(), held);
                            assertEquals("00", client.exchange(auth).getString(39), "hold placed");
                            holds.add(auth);
                        }
                        go.await();
                        for (ISOMsg auth : holds) {
                            count(completionCodes, client.exchange(pos.completion(card.iso(), completed, OriginalData.of(auth))).getString(39));
                            ISOMsg toReverse = null;
                            for (int n = 0; n < purchasesPerHold; n++) {
                                ISOMsg purchase = pos.purchase(card.iso(), AMOUNT);
                                String rc = client.exchange(purchase).getString(39);
                                count(purchaseCodes, rc);
                                if (toReverse == null && rc.equals("00")) toReverse = purchase;
                            }
                            if (toReverse != null) {
                                ISOMsg reversal = pos.reversal(card.iso(), "000000", AMOUNT, OriginalData.of(toReverse));
                                count(reversalCodes, client.exchange(reversal).getString(39));
                            }
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> run : runs) run.get();
            pool.shutdown();

            System.out.println("completions: completion codes " + completionCodes + ", purchase codes " + purchaseCodes
                    + ", reversal codes " + reversalCodes);
            int holds = CONNECTIONS * holdsPerConnection;
            assertEquals(Map.of("00", holds), plain(completionCodes), "every completion approved");
            int approved = purchaseCodes.getOrDefault("00", new AtomicInteger()).get();
            assertEquals(holds * purchasesPerHold, approved + purchaseCodes.getOrDefault("51", new AtomicInteger()).get(),
                    "every purchase 00 or 51: " + purchaseCodes);
            assertTrue(approved > 0, "some purchases were paid from released holds");
            int reversed = reversalCodes.getOrDefault("00", new AtomicInteger()).get();
            assertEquals(Map.of("00", reversed), plain(reversalCodes), "every reversal approved");
            assertTrue(reversed > 0, "purchases were reversed");
            org.anonpay.ledger.Balance balance = fx.balance(card);
            assertEquals(0, balance.debitsPending(), "no hold left pending");
            assertEquals(BALANCE - holds * completed - (approved - reversed) * AMOUNT, balance.available());
            assertTrue(balance.available() >= 0);
            fx.trialBalance().forEach(t -> assertTrue(t.balanced(), "ledger out of balance: " + t));
            String log = java.nio.file.Files.readString(fx.host.output());
            assertEquals(mode.batch, log.contains("completions batched, reversals batched"), "completions and reversals decided in batches: " + mode.batch);
        }
    }

    private static void count(Map<String, AtomicInteger> codes, String responseCode) {
        codes.computeIfAbsent(responseCode, k -> new AtomicInteger()).incrementAndGet();
    }

    private static Map<String, Integer> plain(Map<String, AtomicInteger> codes) {
        Map<String, Integer> plain = new java.util.HashMap<>();
        codes.forEach((code, n) -> plain.put(code, n.get()));
        return plain;
    }

    private static int largestBatch(String log) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("largest batch so far (\\d+) messages").matcher(log);
        int largest = 0;
        while (m.find()) largest = Math.max(largest, Integer.parseInt(m.group(1)));
        return largest;
    }

    private static void configure(HostProcess host, Mode mode) throws java.io.IOException {
        setProperty(host, "batch", mode.batch);
        setProperty(host, "batch-lanes", mode.lanes);
        setProperty(host, "group-commit", mode.groupCommit);
    }

    private static void setProperty(HostProcess host, String name, Object value) throws java.io.IOException {
        java.nio.file.Path file = host.workDir().resolve("deploy/50_authorization_txnmgr.xml");
        java.util.regex.Pattern property = java.util.regex.Pattern.compile("<property name=\"" + name + "\" value=\"([a-z0-9]+)\" />");
        String xml = java.nio.file.Files.readString(file);
        assertTrue(property.matcher(xml).find(), "deploy/50 sets " + name);
        java.nio.file.Files.writeString(file, property.matcher(xml).replaceFirst("<property name=\"" + name + "\" value=\"" + value + "\" />"));
    }
}
