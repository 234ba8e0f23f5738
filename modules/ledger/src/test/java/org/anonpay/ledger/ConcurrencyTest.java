// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

import static org.anonpay.ledger.LedgerFixture.LEDGER;
import static org.anonpay.ledger.LedgerFixture.balance;
import static org.anonpay.ledger.LedgerFixture.connection;
import static org.anonpay.ledger.LedgerFixture.loadedCard;
import static org.anonpay.ledger.LedgerFixture.newId;
import static org.anonpay.ledger.LedgerFixture.open;
import static org.anonpay.ledger.LedgerFixture.trialBalance;
import static org.anonpay.ledger.LedgerFixture.tx;
import static org.anonpay.ledger.TransferResult.CREATED;
import static org.anonpay.ledger.TransferResult.EXCEEDS_CREDITS;
import static org.anonpay.ledger.TransferResult.EXISTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many transactions at once, each on its own connection, against a real MariaDB: the guard under
 * contention, one id submitted twice at once, and a hot merchant that never becomes a bottleneck.
 */
class ConcurrencyTest {

    private static final int THREADS = 16;
    private static Database db;

    @BeforeAll
    static void openDatabase() {
        // a connection for every thread, plus the test's own
        db = Database.open(TestMariaDb.freshSettings("ledger", THREADS + 4));
    }

    @AfterAll
    static void closeDatabase() {
        db.close();
    }

    /** Runs {@code task(thread)} on THREADS threads at once and returns their results in thread order. */
    private static <T> List<T> onAllThreads(int threads, Function<Integer, Callable<T>> task) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) futures.add(pool.submit(task.apply(i)));
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) results.add(f.get(60, TimeUnit.SECONDS));
            return results;
        }
    }

    @Test
    void concurrentDebitsOfOneCardNeverExceedItsBalance() throws Exception {
        long loaded = 10_000;
        long amount = 7;
        int debitsPerThread = 100;
        Account card = loadedCard(db, "KRW", loaded);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        AtomicLong lowestAvailable = new AtomicLong(Long.MAX_VALUE);

        List<Map<TransferResult, Integer>> perThread = onAllThreads(THREADS, thread -> () -> {
            Map<TransferResult, Integer> counts = new ConcurrentHashMap<>();
            for (int i = 0; i < debitsPerThread; i++) {
                // half purchases, half holds: both count against the guard
                Transfer debit = i % 2 == 0
                        ? Transfer.singlePhase(newId(), card.id(), merchant.id(), amount, TransferCode.PURCHASE, "")
                        : Transfer.pending(newId(), card.id(), merchant.id(), amount, TransferCode.AUTHORIZATION, "");
                TransferResult r = tx(db, c -> {
                    TransferResult result = LEDGER.createTransfers(c, List.of(debit)).getFirst();
                    lowestAvailable.accumulateAndGet(LEDGER.balance(c, card.id()).available(), Math::min);
                    return result;
                });
                counts.merge(r, 1, Integer::sum);
            }
            return counts;
        });

        long created = perThread.stream().mapToLong(m -> m.getOrDefault(CREATED, 0)).sum();
        long refused = perThread.stream().mapToLong(m -> m.getOrDefault(EXCEEDS_CREDITS, 0)).sum();
        assertEquals(loaded / amount, created, "exactly floor(B/amount) debits fit");
        assertEquals((long) THREADS * debitsPerThread, created + refused, "no other outcome: " + perThread);
        Balance b = balance(db, card.id());
        assertEquals(created * amount, b.debitsPosted() + b.debitsPending());
        assertEquals(loaded % amount, b.available());
        assertTrue(lowestAvailable.get() >= 0, "never negative, seen " + lowestAvailable.get());
        Balance m = balance(db, merchant.id());
        assertEquals(created * amount, m.creditsPosted() + m.creditsPending());
    }

    @Test
    void sameIdFromTwoTransactionsMovesCardMoneyOnce() throws Exception {
        Account card = loadedCard(db, "KRW", 10_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer purchase = Transfer.singlePhase(newId(), card.id(), merchant.id(), 6_000, TransferCode.PURCHASE, "");

        assertEquals(EXISTS, secondWhileFirstIsOpen(purchase, true));

        assertEquals(4_000, balance(db, card.id()).available());
        assertEquals(6_000, balance(db, merchant.id()).posted());
    }

    @Test
    void sameIdFromTwoTransactionsMovesHotMoneyOnce() throws Exception {
        // no card row to serialize them: the primary key of ledger_transfer alone must
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Account settlement = open(db, AccountKind.SETTLEMENT, "KRW");
        Transfer payout = Transfer.singlePhase(newId(), merchant.id(), settlement.id(), 6_000, TransferCode.SETTLEMENT, "");

        assertEquals(EXISTS, secondWhileFirstIsOpen(payout, true));

        assertEquals(-6_000, balance(db, merchant.id()).posted());
        assertEquals(6_000, balance(db, settlement.id()).posted());
    }

    @Test
    void sameIdAfterTheFirstRolledBackIsCreated() throws Exception {
        Account card = loadedCard(db, "KRW", 10_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer purchase = Transfer.singlePhase(newId(), card.id(), merchant.id(), 6_000, TransferCode.PURCHASE, "");

        assertEquals(CREATED, secondWhileFirstIsOpen(purchase, false));

        assertEquals(4_000, balance(db, card.id()).available());
    }

    /**
     * Creates {@code t} in a first transaction and leaves it open, submits it again from a second
     * one, checks that the second waits, then ends the first and returns the second's result.
     */
    private static TransferResult secondWhileFirstIsOpen(Transfer t, boolean commitFirst) throws Exception {
        try (ExecutorService pool = Executors.newSingleThreadExecutor(); Connection first = connection(db)) {
            assertEquals(List.of(CREATED), LEDGER.createTransfers(first, List.of(t)));
            Future<List<TransferResult>> second = pool.submit(() -> tx(db, c -> LEDGER.createTransfers(c, List.of(t))));
            Thread.sleep(300);
            assertFalse(second.isDone(), "the second transaction must wait for the first");
            if (commitFirst) first.commit(); else first.rollback();
            return second.get(10, TimeUnit.SECONDS).getFirst();
        }
    }

    @Test
    void sameIdRacedFromManyThreadsIsCreatedOnce() throws Exception {
        int rounds = 20;
        long amount = 100;
        int threads = 8;
        Account card = loadedCard(db, "KRW", rounds * amount);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        List<Transfer> purchases = new ArrayList<>();
        for (int i = 0; i < rounds; i++) purchases.add(Transfer.singlePhase(newId(), card.id(), merchant.id(), amount, TransferCode.PURCHASE, ""));
        CyclicBarrier start = new CyclicBarrier(threads);

        List<List<TransferResult>> perThread = onAllThreads(threads, thread -> () -> {
            List<TransferResult> results = new ArrayList<>();
            for (Transfer p : purchases) {
                start.await(10, TimeUnit.SECONDS);
                results.add(tx(db, c -> LEDGER.createTransfers(c, List.of(p))).getFirst());
            }
            return results;
        });

        for (int round = 0; round < rounds; round++) {
            int r = round;
            List<TransferResult> raced = perThread.stream().map(results -> results.get(r)).toList();
            assertEquals(1, raced.stream().filter(x -> x == CREATED).count(), "round " + round + ": " + raced);
            assertEquals(threads - 1, raced.stream().filter(x -> x == EXISTS).count(), "round " + round + ": " + raced);
        }
        assertEquals(0, balance(db, card.id()).available());
        assertEquals(rounds * amount, balance(db, merchant.id()).posted());
    }

    @Test
    void manyCardsPayOneHotMerchantAtOnce() throws Exception {
        int paymentsPerThread = 40;
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        List<Account> cards = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) cards.add(loadedCard(db, "KRW", 1_000_000));

        List<Long> paid = onAllThreads(THREADS, thread -> () -> {
            long sum = 0;
            for (int i = 0; i < paymentsPerThread; i++) {
                long amount = 1 + thread * 100 + i;
                Transfer t = Transfer.singlePhase(newId(), cards.get(thread).id(), merchant.id(), amount, TransferCode.PURCHASE, "");
                assertEquals(List.of(CREATED), tx(db, c -> LEDGER.createTransfers(c, List.of(t))));
                sum += amount;
            }
            return sum;
        });

        long total = paid.stream().mapToLong(Long::longValue).sum();
        assertEquals(new Balance(merchant.id(), "KRW", 0, total, 0, 0), balance(db, merchant.id()));
        assertTrue(trialBalance(db).stream().allMatch(TrialBalance::balanced), trialBalance(db).toString());
    }

    @Test
    void aPaymentInProgressLocksItsCardButNotItsMerchant() throws Exception {
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Account busyCard = loadedCard(db, "KRW", 10_000);
        Account otherCard = loadedCard(db, "KRW", 10_000);
        try (Connection first = connection(db); Connection second = connection(db)) {
            Transfer pay = Transfer.singlePhase(newId(), busyCard.id(), merchant.id(), 1_000, TransferCode.PURCHASE, "");
            assertEquals(List.of(CREATED), LEDGER.createTransfers(first, List.of(pay)));

            // the first transaction is still open: the merchant row and other cards are free
            try (Statement s = second.createStatement()) {
                s.execute("SET SESSION innodb_lock_wait_timeout = 1");
            }
            AccountTest.lockNowait(second, merchant.id());
            Transfer alsoPay = Transfer.singlePhase(newId(), otherCard.id(), merchant.id(), 2_000, TransferCode.PURCHASE, "");
            assertEquals(List.of(CREATED), LEDGER.createTransfers(second, List.of(alsoPay)));
            assertEquals(2_000, LEDGER.balance(second, merchant.id()).posted(), "sees its own payment, not the uncommitted one");
            assertThrows(SQLException.class, () -> AccountTest.lockNowait(second, busyCard.id()), "the card being paid with is locked");
            second.commit();
            first.commit();
        }
        assertEquals(3_000, balance(db, merchant.id()).posted());
    }

    @Test
    void batchesNamingTwoCardsInOppositeOrdersDoNotDeadlock() throws Exception {
        int batchesPerThread = 30;
        int threads = 8;
        Account a = loadedCard(db, "KRW", 1_000_000);
        Account b = loadedCard(db, "KRW", 1_000_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");

        onAllThreads(threads, thread -> () -> {
            Account firstCard = thread % 2 == 0 ? a : b;
            Account secondCard = thread % 2 == 0 ? b : a;
            for (int i = 0; i < batchesPerThread; i++) {
                List<Transfer> batch = List.of(
                        Transfer.singlePhase(newId(), firstCard.id(), merchant.id(), 10, TransferCode.PURCHASE, ""),
                        Transfer.singlePhase(newId(), secondCard.id(), merchant.id(), 10, TransferCode.PURCHASE, ""));
                assertEquals(List.of(CREATED, CREATED), tx(db, c -> LEDGER.createTransfers(c, batch)));
            }
            return null;
        });

        long paid = (long) threads * batchesPerThread * 2 * 10;
        assertEquals(paid, balance(db, merchant.id()).posted());
        assertEquals(2_000_000 - paid, balance(db, a.id()).available() + balance(db, b.id()).available());
    }
}
