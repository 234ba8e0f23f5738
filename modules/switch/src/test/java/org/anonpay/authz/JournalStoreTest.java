// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The journal's JDBC hot path against a real MariaDB, and its agreement with the Hibernate mapping. */
class JournalStoreTest {

    private static final LocalDate DAY = LocalDate.of(2026, 3, 14);
    private static final AtomicInteger STANS = new AtomicInteger(100_000);
    private static final AtomicInteger CARDS = new AtomicInteger(9_000);
    private static Database db;

    @BeforeAll
    static void open() {
        db = TestMariaDb.freshDatabase("journal_store");
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static MessageKey key(String mtiClass) {
        return new MessageKey("12345", "TERM0001", String.valueOf(STANS.incrementAndGet()), "0314120000", mtiClass);
    }

    /** An entry with every column set, the nullable ones included. */
    private static JournalEntry full(MessageKey key, long cardId) {
        return new JournalEntry(key.mtiClass() + "1", TransactionType.AUTHORIZATION, key)
                .request("000000", "MERCHANT0000001", "123456789012", bytes(32, 7))
                .merchantName("  Corner Shop  Seoul KR  ")
                .money(15_000, "KRW", DAY)
                .card(cardId, "123456******1234")
                .outcome("51", Decline.values()[0], "A1B2C3", "1002410C000000015000")
                .transfers(bytes(16, 1), 15_000, bytes(16, 2), 250)
                .original(77L)
                .took(1_234);
    }

    /** An entry with every nullable column null. */
    private static JournalEntry sparse(MessageKey key) {
        return new JournalEntry(key.mtiClass() + "0", TransactionType.BALANCE_INQUIRY, key)
                .request(null, null, null, bytes(32, 3))
                .money(0, null, DAY)
                .outcome("00", null, null, null);
    }

    private static JournalEntry spending(TransactionType type, long cardId, LocalDate day, String responseCode, long cardAmount) {
        MessageKey key = key("020");
        return new JournalEntry("0200", type, key)
                .request("000000", "M1", "R1", bytes(32, 9))
                .money(cardAmount, "KRW", day)
                .card(cardId, "123456******1234")
                .outcome(responseCode, null, null, null)
                .transfers(bytes(16, 4), cardAmount, null, 0);
    }

    private static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) (seed * 31 + i);
        return b;
    }

    /** Journals {@code e} as the participants do (Journal.write: the row and its card's day's spending). */
    private static JournalEntry insert(JournalEntry e) {
        db.inTransaction(s -> {
            Journal.write(s, e);
            return null;
        });
        return e;
    }

    private static Optional<JournalEntry> find(MessageKey key) {
        return db.inJdbcTransaction(c -> JournalStore.find(c, key));
    }

    @Test
    void anInsertedEntryIsFoundWithEveryColumn() {
        JournalEntry written = insert(full(key("010"), CARDS.incrementAndGet()));
        assertNotNull(written.id());
        assertSameRow(written, find(written.key()).orElseThrow());
        JournalEntry nulls = insert(sparse(key("010")));
        assertSameRow(nulls, find(nulls.key()).orElseThrow());
        assertTrue(find(key("010")).isEmpty(), "an unknown key");
    }

    @Test
    void jdbcAndHibernateReadAndWriteTheSameRow() {
        JournalEntry byJdbc = insert(full(key("010"), CARDS.incrementAndGet()));
        JournalEntry loaded = db.inTransaction(s -> s.find(JournalEntry.class, byJdbc.id()));
        assertSameRow(byJdbc, loaded);

        JournalEntry byHibernate = full(key("010"), CARDS.incrementAndGet());
        db.inTransaction(s -> {
            s.persist(byHibernate);
            return null;
        });
        assertSameRow(byHibernate, find(byHibernate.key()).orElseThrow());
    }

    @Test
    void createdAtHoldsTheUtcTimeAsHibernateWroteIt() {
        JournalEntry e = insert(sparse(key("010")));
        String stored = db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT CAST(created_at AS CHAR) FROM authz_journal WHERE id = ?")) {
                ps.setLong(1, e.id());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        assertEquals(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC).format(e.createdAt()), stored);
    }

    @Test
    void aSecondEntryWithTheSameKeyFails() {
        MessageKey key = key("020");
        insert(sparse(key));
        assertThrows(SQLIntegrityConstraintViolationException.class, () -> {
            try (Connection c = db.dataSource().getConnection()) {
                try {
                    JournalStore.insert(c, sparse(key));
                } finally {
                    c.rollback();
                }
            }
        });
        RuntimeException e = assertThrows(RuntimeException.class, () -> db.inTransaction(s -> {
            Journal.write(s, sparse(key));
            return null;
        }), "through the session: a RuntimeException that aborts the message, as a failed flush did");
        assertFalse(e.getMessage() == null || e.getMessage().isEmpty());
    }

    @Test
    void markReversedAndMarkCompletedUpdateTheRowAndTheObject() {
        JournalEntry auth = insert(spending(TransactionType.AUTHORIZATION, CARDS.incrementAndGet(), DAY, "00", 5_000));
        JournalEntry other = insert(spending(TransactionType.AUTHORIZATION, CARDS.incrementAndGet(), DAY, "00", 6_000));
        JournalEntry completed = db.inTransaction(s -> {
            JournalEntry e = Journal.lockOriginal(s, auth.key()).orElseThrow();
            Journal.markCompleted(s, e, 4_000);
            return e;
        });
        assertEquals(4_000L, completed.completedAmount());
        assertEquals(4_000L, find(auth.key()).orElseThrow().completedAmount());
        assertFalse(find(auth.key()).orElseThrow().reversed());

        JournalEntry reversed = db.inTransaction(s -> {
            JournalEntry e = Journal.lockOriginal(s, other.key()).orElseThrow();
            Journal.markReversed(s, e);
            return e;
        });
        assertTrue(reversed.reversed());
        assertTrue(find(other.key()).orElseThrow().reversed());
        assertNull(find(other.key()).orElseThrow().completedAmount());
        assertTrue(db.inTransaction(s -> s.find(JournalEntry.class, other.id())).reversed(), "HQL sees the JDBC update");
    }

    @Test
    void anUnknownIdCannotBeMarked() {
        assertThrows(IllegalStateException.class, () -> db.inJdbcTransaction(c -> {
            JournalStore.markReversed(c, Long.MAX_VALUE);
            return null;
        }));
    }

    @Test
    void lockOriginalHoldsTheRowUntilTheTransactionEnds() throws Exception {
        JournalEntry auth = insert(spending(TransactionType.AUTHORIZATION, CARDS.incrementAndGet(), DAY, "00", 5_000));
        try (Connection holder = db.dataSource().getConnection(); Connection other = db.dataSource().getConnection()) {
            assertEquals(auth.id(), JournalStore.lockOriginal(holder, auth.key()).orElseThrow().id());
            try (var st = other.createStatement()) {
                st.execute("SET SESSION innodb_lock_wait_timeout = 1");
            }
            SQLException waited = assertThrows(SQLException.class, () -> JournalStore.markReversed(other, auth.id()));
            assertTrue(waited.getMessage().toLowerCase(java.util.Locale.ROOT).contains("lock wait timeout"), waited.getMessage());
            other.rollback();
            holder.rollback();
            JournalStore.markReversed(other, auth.id()); // released with the holder's transaction
            other.rollback();
            assertTrue(JournalStore.lockOriginal(holder, key("010")).isEmpty());
            holder.rollback();
        }
    }

    @Test
    void lockOriginalsFindsAndLocksEveryJournaledKeyAndLeavesOutTheOthers() throws Exception {
        List<JournalEntry> auths = new ArrayList<>();
        for (int i = 0; i < 5; i++) auths.add(insert(spending(TransactionType.AUTHORIZATION, CARDS.incrementAndGet(), DAY, "00", 1_000 + i)));
        MessageKey unknown = key("010");
        List<MessageKey> asked = new ArrayList<>(auths.stream().map(JournalEntry::key).toList());
        asked.add(2, unknown); // 6 keys: the statement is padded to 8 places
        try (Connection holder = db.dataSource().getConnection(); Connection other = db.dataSource().getConnection()) {
            Map<MessageKey, JournalEntry> found = Journal.lockOriginals(holder, asked);
            assertEquals(5, found.size());
            assertFalse(found.containsKey(unknown));
            for (JournalEntry auth : auths) {
                assertEquals(auth.id(), found.get(auth.key()).id());
                assertEquals(auth.cardAmount(), found.get(auth.key()).cardAmount());
            }
            try (var st = other.createStatement()) {
                st.execute("SET SESSION innodb_lock_wait_timeout = 1");
            }
            SQLException waited = assertThrows(SQLException.class, () -> JournalStore.markReversed(other, auths.getLast().id()));
            assertTrue(waited.getMessage().toLowerCase(java.util.Locale.ROOT).contains("lock wait timeout"), waited.getMessage());
            other.rollback();
            holder.rollback();
        }
    }

    @Test
    void markCompletedAllWritesEachAmountToItsOwnRowOnly() {
        JournalEntry a = insert(spending(TransactionType.AUTHORIZATION, CARDS.incrementAndGet(), DAY, "00", 5_000));
        JournalEntry b = insert(spending(TransactionType.AUTHORIZATION, CARDS.incrementAndGet(), DAY, "00", 6_000));
        JournalEntry untouched = insert(spending(TransactionType.AUTHORIZATION, CARDS.incrementAndGet(), DAY, "00", 7_000));
        db.inJdbcTransaction(c -> {
            Map<Long, Long> amounts = new java.util.LinkedHashMap<>();
            amounts.put(a.id(), 4_000L);
            amounts.put(b.id(), 0L);
            Journal.markCompletedAll(c, amounts);
            return null;
        });
        assertEquals(4_000L, find(a.key()).orElseThrow().completedAmount());
        assertEquals(0L, find(b.key()).orElseThrow().completedAmount());
        assertNull(find(untouched.key()).orElseThrow().completedAmount());
        assertThrows(IllegalStateException.class, () -> db.inJdbcTransaction(c -> {
            Journal.markCompletedAll(c, Map.of(a.id(), 1L, Long.MAX_VALUE, 2L));
            return null;
        }), "an id with no row is a bug, not a silent no-op");
        assertEquals(4_000L, find(a.key()).orElseThrow().completedAmount(), "the failed statement's transaction was rolled back");
    }

    @Test
    void spentOnCountsApprovedUnreversedSpendingOfThatCardAndDay() {
        long card = CARDS.incrementAndGet();
        long otherCard = CARDS.incrementAndGet();
        long expected = insertMixedDay(card);
        insert(spending(TransactionType.PURCHASE, otherCard, DAY, "00", 900_000_000_000L));
        long spent = db.inTransaction(s -> Journal.spentOn(s, card, DAY));
        long otherCardSpent = db.inTransaction(s -> Journal.spentOn(s, otherCard, DAY));
        long dayBefore = db.inTransaction(s -> Journal.spentOn(s, card, DAY.minusDays(1)));
        assertEquals(expected, spent);
        assertEquals(900_000_000_000L, otherCardSpent);
        assertEquals(0, dayBefore);
    }

    private static long spentOn(long card, LocalDate day) {
        return db.inTransaction(s -> Journal.spentOn(s, card, day));
    }

    /** What Journal.spentOn summed from the journal before the running total (V34 backfills with it). */
    private static long journalSum(long card, LocalDate day) {
        return db.inJdbcTransaction(c -> {
            try (var ps = c.prepareStatement("SELECT COALESCE(SUM(COALESCE(completed_amount, card_amount)), 0) FROM authz_journal"
                    + " WHERE card_id = ? AND business_date = ? AND response_code = '00' AND reversed = FALSE"
                    + " AND txn_type IN ('PURCHASE', 'AUTHORIZATION', 'AUTHORIZATION_ADVICE')")) {
                ps.setLong(1, card);
                ps.setObject(2, day);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Test
    void theRunningTotalIsTheJournalsSumAfterWritesCompletionsAndReversalsOneByOneAndInBatches() {
        long card = CARDS.incrementAndGet();
        long other = CARDS.incrementAndGet();
        insertMixedDay(card); // one by one: Journal.write, markCompleted, markReversed
        // a batch: new entries of both cards and days, a completion and a reversal of earlier ones
        JournalEntry hold = insert(spending(TransactionType.AUTHORIZATION, other, DAY, "00", 900));
        JournalEntry bought = insert(spending(TransactionType.PURCHASE, card, DAY.minusDays(1), "00", 40));
        List<JournalEntry> entries = List.of(spending(TransactionType.PURCHASE, other, DAY, "00", 3),
                spending(TransactionType.AUTHORIZATION_ADVICE, card, DAY, "00", 60), spending(TransactionType.PURCHASE, card, DAY, "51", 5));
        DaySpending batch = new DaySpending();
        db.inJdbcTransaction(c -> {
            assertEquals(-300, batch.changed(hold, () -> hold.markCompleted(600)));
            assertEquals(-40, batch.changed(bought, bought::markReversed));
            assertEquals(0, batch.changed(bought, () -> {}), "what does not change the entry changes nothing");
            Journal.markCompletedAll(c, Map.of(hold.id(), 600L));
            Journal.markReversedAll(c, List.of(bought.id()));
            Journal.writeAll(c, entries, batch);
            return null;
        });
        for (long id : List.of(card, other)) {
            for (LocalDate day : List.of(DAY.minusDays(1), DAY, DAY.plusDays(1))) {
                assertEquals(journalSum(id, day), spentOn(id, day), "card " + id + " on " + day);
            }
        }
        assertEquals(603, spentOn(other, DAY), "the hold counts as completed, and the new purchase");
        assertEquals(0, spentOn(card, DAY.minusDays(1)), "the reversal took it off its own day");
    }

    @Test
    void aFailedBatchWriteLeavesTheRunningTotalAsItWas() throws Exception {
        long card = CARDS.incrementAndGet();
        insert(spending(TransactionType.PURCHASE, card, DAY, "00", 10));
        MessageKey taken = key("020");
        insert(sparse(taken));
        List<JournalEntry> batch = List.of(spending(TransactionType.PURCHASE, card, DAY, "00", 500), sparse(taken));
        try (Connection c = db.dataSource().getConnection()) {
            assertThrows(RuntimeException.class, () -> Journal.writeAll(c, batch, new DaySpending()));
            c.rollback();
        }
        assertEquals(10, spentOn(card, DAY));
        assertEquals(10, journalSum(card, DAY));
    }

    @Test
    void entriesWrittenInASessionAreSeenByItsHqlQueries() {
        long card = CARDS.incrementAndGet();
        int seen = db.inTransaction(s -> {
            Journal.write(s, spending(TransactionType.PURCHASE, card, DAY, "00", 1_000));
            return Journal.history(s, card, 10).size();
        });
        assertEquals(1, seen);
    }

    // ---------------------------------------------------------------- the batch forms

    @Test
    void writeAllGivesEveryEntryItsIdAndEveryColumn() {
        List<JournalEntry> entries = List.of(full(key("010"), CARDS.incrementAndGet()), sparse(key("010")),
                spending(TransactionType.PURCHASE, CARDS.incrementAndGet(), DAY, "00", 2_500));
        JournalEntry before = insert(sparse(key("010")));
        db.inJdbcTransaction(c -> {
            Journal.writeAll(c, entries, new DaySpending());
            return null;
        });
        long previous = before.id();
        for (JournalEntry e : entries) {
            assertNotNull(e.id());
            assertTrue(e.id() > previous, "distinct and ascending in the batch's order: " + previous + ", " + e.id());
            previous = e.id();
            assertSameRow(e, find(e.key()).orElseThrow());
            assertSameRow(e, db.inTransaction(s -> Journal.find(s, e.key())).orElseThrow());
            assertSameRow(e, db.inTransaction(s -> s.find(JournalEntry.class, e.id())));
        }
        db.inJdbcTransaction(c -> {
            Journal.writeAll(c, List.of(), new DaySpending()); // nothing to write: no statement, no error
            return null;
        });
    }

    @Test
    void writeAllOfBatchesOfManySizes() {
        for (int size : new int[] {1, 2, 5}) {
            List<JournalEntry> entries = new ArrayList<>();
            for (int i = 0; i < size; i++) entries.add(spending(TransactionType.AUTHORIZATION, CARDS.incrementAndGet(), DAY, "00", 100 + i));
            db.inJdbcTransaction(c -> {
                Journal.writeAll(c, entries, new DaySpending());
                return null;
            });
            for (JournalEntry e : entries) assertSameRow(e, find(e.key()).orElseThrow());
            assertEquals(size, entries.stream().map(JournalEntry::id).distinct().count());
        }
    }

    @Test
    void aTakenKeyFailsTheWholeWriteAll() throws Exception {
        MessageKey taken = key("020");
        JournalEntry first = insert(sparse(taken));
        List<JournalEntry> batch = List.of(sparse(key("020")), sparse(taken), sparse(key("020")));

        try (Connection c = db.dataSource().getConnection()) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> Journal.writeAll(c, batch, new DaySpending()));
            assertTrue(e.getCause() instanceof SQLIntegrityConstraintViolationException, String.valueOf(e.getCause()));
            assertTrue(JournalStore.find(c, batch.get(0).key()).isEmpty(), "the statement is atomic: its first row is gone too");
            c.rollback();
        }

        for (JournalEntry e : batch) assertNull(e.id(), "no id given when nothing was written");
        assertTrue(find(batch.get(0).key()).isEmpty());
        assertTrue(find(batch.get(2).key()).isEmpty());
        assertSameRow(first, find(taken).orElseThrow());
    }

    /**
     * One card's journal with every kind of row the day's sum must count or skip: approved spending
     * of each type, a completion for less than its hold, a reversed purchase, a decline, a load, a
     * refund and the next day's purchase. Returns what counts: 1,000 + 20,000 + 300,000 + 5,000.
     */
    private long insertMixedDay(long card) {
        insert(spending(TransactionType.PURCHASE, card, DAY, "00", 1_000));
        insert(spending(TransactionType.AUTHORIZATION, card, DAY, "00", 20_000));
        insert(spending(TransactionType.AUTHORIZATION_ADVICE, card, DAY, "00", 300_000));
        JournalEntry completed = insert(spending(TransactionType.AUTHORIZATION, card, DAY, "00", 4_000_000));
        JournalEntry reversed = insert(spending(TransactionType.PURCHASE, card, DAY, "00", 50_000_000));
        insert(spending(TransactionType.PURCHASE, card, DAY, "51", 600_000_000));
        insert(spending(TransactionType.LOAD, card, DAY, "00", 7_000_000_000L));
        insert(spending(TransactionType.REFUND, card, DAY, "00", 80_000_000_000L));
        insert(spending(TransactionType.PURCHASE, card, DAY.plusDays(1), "00", 9_000_000_000_000L));
        db.inTransaction(s -> {
            Journal.markCompleted(s, completed, 5_000);
            Journal.markReversed(s, reversed);
            return null;
        });
        return 1_000 + 20_000 + 300_000 + 5_000;
    }

    @Test
    void spentOnAllAgreesWithSpentOnForEveryCard() {
        long card = CARDS.incrementAndGet();
        long second = CARDS.incrementAndGet();
        long declinedOnly = CARDS.incrementAndGet();
        long nothing = CARDS.incrementAndGet();
        long otherDayOnly = CARDS.incrementAndGet();
        long cardSpent = insertMixedDay(card);
        insert(spending(TransactionType.PURCHASE, second, DAY, "00", 7));
        JournalEntry secondReversed = insert(spending(TransactionType.AUTHORIZATION, second, DAY, "00", 70));
        insert(spending(TransactionType.PURCHASE, second, DAY.minusDays(1), "00", 700));
        insert(spending(TransactionType.PURCHASE, declinedOnly, DAY, "05", 8_000));
        insert(spending(TransactionType.PURCHASE, otherDayOnly, DAY.plusDays(1), "00", 9_000));
        db.inTransaction(s -> {
            Journal.markReversed(s, secondReversed);
            return null;
        });
        List<Long> cards = List.of(card, second, declinedOnly, nothing, otherDayOnly);

        Map<Long, Long> all = db.inJdbcTransaction(c -> Journal.spentOnAll(c, new TreeSet<>(cards), DAY));

        assertEquals(new TreeSet<>(cards), all.keySet(), "every card asked for, and no other");
        assertEquals(cardSpent, all.get(card));
        assertEquals(7, all.get(second));
        assertEquals(0, all.get(declinedOnly));
        assertEquals(0, all.get(nothing), "a card with nothing journaled");
        assertEquals(0, all.get(otherDayOnly));
        for (long id : cards) assertEquals(db.inTransaction(s -> Journal.spentOn(s, id, DAY)), all.get(id), "card " + id);
        // other list sizes (the IN list is padded to a power of two by repeating the last id)
        for (int size = 1; size <= cards.size(); size++) {
            List<Long> some = cards.subList(cards.size() - size, cards.size());
            Map<Long, Long> part = db.inJdbcTransaction(c -> Journal.spentOnAll(c, new TreeSet<>(some), DAY));
            assertEquals(new TreeSet<>(some), part.keySet(), "size " + size);
            for (long id : some) assertEquals(all.get(id), part.get(id), "size " + size + ", card " + id);
        }
        Map<Long, Long> dayAfter = db.inJdbcTransaction(c -> Journal.spentOnAll(c, new TreeSet<>(cards), DAY.plusDays(1)));
        assertEquals(9_000_000_000_000L, dayAfter.get(card));
        assertEquals(9_000, dayAfter.get(otherDayOnly));
        assertEquals(0, dayAfter.get(second));
        assertEquals(Map.of(), db.inJdbcTransaction(c -> Journal.spentOnAll(c, new TreeSet<>(), DAY)));
    }

    private static void assertSameRow(JournalEntry expected, JournalEntry actual) {
        assertEquals(expected.id(), actual.id());
        assertEquals(expected.mti(), actual.mti());
        assertEquals(expected.type(), actual.type());
        assertEquals(expected.processingCode(), actual.processingCode());
        assertEquals(expected.key(), actual.key());
        assertEquals(expected.merchantId(), actual.merchantId());
        assertEquals(expected.merchantName(), actual.merchantName());
        assertEquals(expected.rrn(), actual.rrn());
        assertArrayEquals(expected.requestFingerprint(), actual.requestFingerprint());
        assertEquals(expected.cardId(), actual.cardId());
        assertEquals(expected.panMasked(), actual.panMasked());
        assertEquals(expected.amount(), actual.amount());
        assertEquals(expected.currency(), actual.currency());
        assertEquals(expected.businessDate(), actual.businessDate());
        assertEquals(expected.responseCode(), actual.responseCode());
        assertEquals(expected.declineReason(), actual.declineReason());
        assertEquals(expected.approvalCode(), actual.approvalCode());
        assertEquals(expected.additionalAmounts(), actual.additionalAmounts());
        assertArrayEquals(expected.cardTransferId(), actual.cardTransferId());
        assertEquals(expected.cardAmount(), actual.cardAmount());
        assertArrayEquals(expected.shortfallTransferId(), actual.shortfallTransferId());
        assertEquals(expected.shortfallAmount(), actual.shortfallAmount());
        assertEquals(expected.originalId(), actual.originalId());
        assertEquals(expected.reversed(), actual.reversed());
        assertEquals(expected.completedAmount(), actual.completedAmount());
        assertEquals(expected.durationMicros(), actual.durationMicros());
        assertEquals(expected.createdAt(), actual.createdAt());
    }
}
