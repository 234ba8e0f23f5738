// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.anonpay.ledger.Ledger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The authorization path's card read ({@link CardIssuer#lockForAuthorization}, plain JDBC): the
 * same card and controls as Hibernate reads, the row locked, and the wrong-PIN count it changes
 * written although the card is not managed by the session.
 */
class AuthorizationCardReadTest {

    private static Database db;
    private static CardIssuer issuer;

    @BeforeAll
    static void open() {
        db = TestMariaDb.freshDatabase("issuer_authz_read");
        issuer = new CardIssuer(CardPrograms.load(TestKeys.programsDir()), new CardSecurity(TestKeys.keysDir()),
                CardVault.load(TestKeys.keysDir()), new Ledger());
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static IssueResult issueKrw(String pin) {
        IssueResult r = db.inTransaction(s -> issuer.issue(s, IssueRequest.of("KRW-PREPAID", "read test", pin.toCharArray(), "member-7")));
        assertTrue(r.issued());
        return r;
    }

    @Test
    void theJdbcReadGivesWhatHibernateReads() {
        IssueResult r = issueKrw("1234");
        db.inTransaction(s -> issuer.changePin(s, r.cardId(), "4321".toCharArray())); // version 1 and more, a new PVV
        Card managed = db.inTransaction(s -> issuer.findById(s, r.cardId()).orElseThrow());
        LockedCard byPan = db.inTransaction(s -> issuer.lockForAuthorization(s, r.pan()).orElseThrow());
        LockedCard byId = db.inTransaction(s -> issuer.lockForAuthorization(s, r.cardId()).orElseThrow());
        Card read = db.inTransaction(s -> issuer.readCard(s, r.cardId()).orElseThrow());
        for (Card jdbc : new Card[] {byPan.card(), byId.card(), read}) {
            assertEquals(managed.id(), jdbc.id());
            assertEquals(managed.programId(), jdbc.programId());
            assertArrayEquals(managed.panHash(), jdbc.panHash());
            assertArrayEquals(managed.panEncrypted(), jdbc.panEncrypted());
            assertEquals(managed.maskedPan(), jdbc.maskedPan());
            assertEquals(managed.expiry(), jdbc.expiry());
            assertEquals(managed.state(), jdbc.state());
            assertEquals(managed.pvv(), jdbc.pvv());
            assertEquals(managed.pinTriesWrong(), jdbc.pinTriesWrong());
            assertEquals(managed.cardName(), jdbc.cardName());
            assertEquals(managed.holderRef(), jdbc.holderRef());
            assertEquals(managed.ledgerAccountId(), jdbc.ledgerAccountId());
            assertEquals(managed.createdAt(), jdbc.createdAt());
            assertEquals(managed.version(), jdbc.version());
            assertTrue(managed.version() > 0, "the PIN change stepped the version");
        }
        assertEquals(CardControls.DEFAULTS, byPan.controls(), "no controls row: the defaults");
        assertEquals(Optional.empty(), db.inTransaction(s -> issuer.lockForAuthorization(s, "9410000000000021")));
        assertEquals(Optional.empty(), db.inTransaction(s -> issuer.lockForAuthorization(s, 987_654_321L)));
        assertEquals(Optional.empty(), db.inTransaction(s -> issuer.lockForAuthorization(s, "not a pan")));
    }

    @Test
    void theMembersControlsComeWithTheCard() {
        IssueResult r = issueKrw("1234");
        CardControls set = CardControls.of(5_000L, 20_000L, false, true);
        assertEquals(ControlsChange.CHANGED, db.inTransaction(s -> issuer.setControls(s, r.cardId(), set)));
        assertEquals(set, db.inTransaction(s -> issuer.lockForAuthorization(s, r.pan()).orElseThrow().controls()));
        CardControls onlyDaily = CardControls.of(null, 30_000L, true, false);
        assertEquals(ControlsChange.CHANGED, db.inTransaction(s -> issuer.setControls(s, r.cardId(), onlyDaily)));
        assertEquals(onlyDaily, db.inTransaction(s -> issuer.lockForAuthorization(s, r.cardId()).orElseThrow().controls()));
    }

    @Test
    void wrongPinsCountedOnACardTheSessionDoesNotManageAreWritten() throws Exception {
        IssueResult r = issueKrw("2468");
        byte[] wrong = TestKeys.iso0PinBlock(r.pan(), "8642");
        byte[] right = TestKeys.iso0PinBlock(r.pan(), "2468");
        long versionBefore = db.inTransaction(s -> issuer.findById(s, r.cardId()).orElseThrow().version());
        assertEquals(PinCheck.WRONG_PIN, authorizationPinTry(r, wrong));
        assertEquals(PinCheck.WRONG_PIN, authorizationPinTry(r, wrong));
        Card afterTwo = db.inTransaction(s -> issuer.findById(s, r.cardId()).orElseThrow());
        assertEquals(2, afterTwo.pinTriesWrong(), "each wrong PIN was committed");
        assertTrue(afterTwo.version() > versionBefore, "a session holding the card as an entity sees it changed");
        assertEquals(PinCheck.VERIFIED, authorizationPinTry(r, right));
        int triesAfterRight = triesWrong(r);
        assertEquals(0, triesAfterRight, "a right PIN reset the count");
        for (int i = 0; i < 2; i++) assertEquals(PinCheck.WRONG_PIN, authorizationPinTry(r, wrong));
        assertEquals(PinCheck.TRIES_EXCEEDED, authorizationPinTry(r, wrong));
        assertEquals(PinCheck.TRIES_EXCEEDED, authorizationPinTry(r, right), "blocked: even the right PIN");
    }

    /** As the switch does: lock with the authorization read, check, commit. */
    private static PinCheck authorizationPinTry(IssueResult r, byte[] pinBlock) {
        return db.inTransaction(s -> {
            LockedCard locked = issuer.lockForAuthorization(s, r.pan()).orElseThrow();
            assertFalse(s.contains(locked.card()), "the hot path's card is not an entity of the session");
            return issuer.checkPin(s, locked.card(), r.pan(), pinBlock);
        });
    }

    @Test
    void theAuthorizationReadLocksTheCardUntilCommit() throws Exception {
        IssueResult r = issueKrw("1234");
        CountDownLatch locked = new CountDownLatch(1);
        AtomicLong waitedNanos = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<CardState> seen = new java.util.concurrent.atomic.AtomicReference<>();
        Thread second = new Thread(() -> {
            try {
                locked.await();
                long start = System.nanoTime();
                seen.set(db.inTransaction(s -> issuer.lockForAuthorization(s, r.pan()).orElseThrow().card().state()));
                waitedNanos.set(System.nanoTime() - start);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        second.start();
        db.inTransaction(s -> {
            issuer.lockForAuthorization(s, r.cardId()).orElseThrow();
            locked.countDown();
            issuer.changeState(s, r.cardId(), CardState.FROZEN);
            sleepMillis(600);
            return null;
        });
        second.join(10_000);
        assertTrue(waitedNanos.get() >= 400_000_000L, "the second locker waited for the first commit: " + waitedNanos.get());
        assertEquals(CardState.FROZEN, seen.get(), "and then read the first one's change");
    }

    // ---------------------------------------------------------------- the batch form

    @Test
    void theBatchReadGivesEveryCardByThePanGiven() {
        IssueResult a = issueKrw("1111");
        IssueResult b = issueKrw("2222");
        IssueResult c = issueKrw("3333");
        db.inTransaction(s -> issuer.changePin(s, b.cardId(), "4444".toCharArray())); // a version above 0 on one of them
        String noCard = "9410000000000021";
        Map<String, LockedCard> read = db.inJdbcTransaction(conn -> issuer.lockAllForAuthorization(conn,
                List.of(c.pan(), a.pan(), noCard, "not a pan", "12345", b.pan(), a.pan())));

        assertEquals(Set.of(a.pan(), b.pan(), c.pan()), read.keySet(), "no card and not plausible are absent, a PAN twice is one entry");
        for (IssueResult r : List.of(a, b, c)) {
            Card batch = read.get(r.pan()).card();
            Card single = db.inTransaction(s -> issuer.lockForAuthorization(s, r.pan()).orElseThrow()).card();
            assertEquals(r.cardId(), batch.id(), "keyed by the PAN given");
            assertArrayEquals(single.panHash(), batch.panHash());
            assertArrayEquals(single.panEncrypted(), batch.panEncrypted());
            assertEquals(single.programId(), batch.programId());
            assertEquals(single.maskedPan(), batch.maskedPan());
            assertEquals(single.expiry(), batch.expiry());
            assertEquals(single.state(), batch.state());
            assertEquals(single.pvv(), batch.pvv());
            assertEquals(single.pinTriesWrong(), batch.pinTriesWrong());
            assertEquals(single.ledgerAccountId(), batch.ledgerAccountId());
            assertEquals(single.createdAt(), batch.createdAt());
            assertEquals(single.version(), batch.version());
        }
        assertTrue(read.get(b.pan()).card().version() > read.get(a.pan()).card().version(), "b's PIN change is read");

        Map<String, LockedCard> twice = db.inJdbcTransaction(conn -> issuer.lockAllForAuthorization(conn, List.of(a.pan(), a.pan())));
        assertEquals(Set.of(a.pan()), twice.keySet());
        assertEquals(a.cardId(), twice.get(a.pan()).card().id());
        assertEquals(Map.of(), db.inJdbcTransaction(conn -> issuer.lockAllForAuthorization(conn, List.of(noCard, "not a pan"))));
        assertEquals(Map.of(), db.inJdbcTransaction(conn -> issuer.lockAllForAuthorization(conn, List.of())));
    }

    @Test
    void batchesOfManySizesFindEveryCard() {
        List<IssueResult> cards = new java.util.ArrayList<>();
        for (int i = 0; i < 9; i++) cards.add(issueKrw("1234"));
        for (int size : new int[] {1, 2, 3, 5, 9}) {
            List<String> pans = cards.subList(0, size).stream().map(IssueResult::pan).toList();
            Map<String, LockedCard> read = db.inJdbcTransaction(conn -> issuer.lockAllForAuthorization(conn, pans));
            assertEquals(Set.copyOf(pans), read.keySet(), "size " + size);
            for (IssueResult r : cards.subList(0, size)) assertEquals(r.cardId(), read.get(r.pan()).card().id());
        }
    }

    @Test
    void readCardsGivesEveryCardByIdWithoutLockingIt() throws Exception {
        List<IssueResult> cards = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) cards.add(issueKrw("1234"));
        List<Long> ids = new java.util.ArrayList<>(cards.stream().map(IssueResult::cardId).toList());
        ids.add(Long.MAX_VALUE); // no such card: absent; 6 ids, padded to 8 places
        try (Connection reader = db.dataSource().getConnection(); Connection other = db.dataSource().getConnection()) {
            Map<Long, Card> read = issuer.readCards(reader, ids);
            assertEquals(Set.copyOf(ids.subList(0, 5)), read.keySet());
            for (IssueResult r : cards) {
                Card single = db.inTransaction(s -> issuer.lockForAuthorization(s, r.pan()).orElseThrow()).card();
                assertEquals(single.maskedPan(), read.get(r.cardId()).maskedPan());
                assertEquals(single.ledgerAccountId(), read.get(r.cardId()).ledgerAccountId());
            }
            try (Statement st = other.createStatement()) {
                st.execute("SET SESSION innodb_lock_wait_timeout = 1");
            }
            assertEquals(cards.getFirst().cardId(), lockCardRow(other, cards.getFirst().cardId()), "read, not locked");
            other.rollback();
            reader.rollback();
        }
        assertEquals(Map.of(), db.inJdbcTransaction(conn -> issuer.readCards(conn, List.of())));
    }

    @Test
    void theMembersControlsComeWithEachCardOfTheBatch() {
        IssueResult limited = issueKrw("1234");
        IssueResult plain = issueKrw("1234");
        CardControls set = CardControls.of(5_000L, 20_000L, false, true);
        assertEquals(ControlsChange.CHANGED, db.inTransaction(s -> issuer.setControls(s, limited.cardId(), set)));

        Map<String, LockedCard> read = db.inJdbcTransaction(conn -> issuer.lockAllForAuthorization(conn, List.of(limited.pan(), plain.pan())));

        assertEquals(set, read.get(limited.pan()).controls());
        assertEquals(CardControls.DEFAULTS, read.get(plain.pan()).controls(), "no controls row: the defaults");
        assertEquals(db.inTransaction(s -> issuer.lockForAuthorization(s, limited.pan()).orElseThrow().controls()),
                read.get(limited.pan()).controls(), "as the single read gives them");
    }

    @Test
    void theBatchReadLocksItsCardsUntilCommit() throws Exception {
        IssueResult a = issueKrw("1234");
        IssueResult b = issueKrw("1234");
        IssueResult notInTheBatch = issueKrw("1234");
        try (Connection holder = db.dataSource().getConnection(); Connection other = db.dataSource().getConnection()) {
            try (Statement st = other.createStatement()) {
                st.execute("SET SESSION innodb_lock_wait_timeout = 1");
            }
            assertEquals(2, issuer.lockAllForAuthorization(holder, List.of(a.pan(), b.pan())).size());

            for (IssueResult r : List.of(a, b)) {
                SQLException waited = assertThrows(SQLException.class, () -> lockCardRow(other, r.cardId()));
                assertTrue(waited.getMessage().toLowerCase(Locale.ROOT).contains("lock wait timeout"), waited.getMessage());
                other.rollback();
            }
            assertEquals(notInTheBatch.cardId(), lockCardRow(other, notInTheBatch.cardId()), "only the cards named are locked");
            other.rollback();

            holder.commit();
            assertEquals(a.cardId(), lockCardRow(other, a.cardId()), "released with the holder's transaction");
            assertEquals(b.cardId(), lockCardRow(other, b.cardId()));
            other.rollback();
        }
    }

    private static long lockCardRow(Connection c, long cardId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM card WHERE id = ? FOR UPDATE")) {
            s.setLong(1, cardId);
            try (var rs = s.executeQuery()) {
                assertTrue(rs.next());
                return rs.getLong(1);
            }
        }
    }

    @Test
    void wrongPinsCountedOnTheBatchsConnectionAreWritten() throws Exception {
        IssueResult r = issueKrw("2468");
        IssueResult other = issueKrw("1357");
        byte[] wrong = TestKeys.iso0PinBlock(r.pan(), "8642");
        byte[] right = TestKeys.iso0PinBlock(r.pan(), "2468");
        byte[] otherRight = TestKeys.iso0PinBlock(other.pan(), "1357");
        long versionBefore = db.inTransaction(s -> issuer.findById(s, r.cardId()).orElseThrow().version());
        long otherVersionBefore = db.inTransaction(s -> issuer.findById(s, other.cardId()).orElseThrow().version());

        List<PinCheck> checks = db.inJdbcTransaction(c -> {
            Map<String, LockedCard> read = issuer.lockAllForAuthorization(c, List.of(r.pan(), other.pan()));
            return List.of(issuer.checkPin(c, read.get(r.pan()).card(), r.pan(), wrong),
                    issuer.checkPin(c, read.get(other.pan()).card(), other.pan(), otherRight));
        });
        assertEquals(List.of(PinCheck.WRONG_PIN, PinCheck.VERIFIED), checks);
        Card afterWrong = db.inTransaction(s -> issuer.findById(s, r.cardId()).orElseThrow());
        assertEquals(1, afterWrong.pinTriesWrong(), "the wrong PIN was committed");
        assertTrue(afterWrong.version() > versionBefore, "a session holding the card as an entity sees it changed");
        Card otherAfter = db.inTransaction(s -> issuer.findById(s, other.cardId()).orElseThrow());
        assertEquals(0, otherAfter.pinTriesWrong());
        assertEquals(otherVersionBefore, otherAfter.version(), "an unchanged count is not written");

        assertEquals(PinCheck.WRONG_PIN, batchPinTry(r, wrong));
        assertEquals(2, triesWrong(r));
        assertEquals(PinCheck.VERIFIED, batchPinTry(r, right));
        assertEquals(0, triesWrong(r), "a right PIN reset the count");
        for (int i = 0; i < 2; i++) assertEquals(PinCheck.WRONG_PIN, batchPinTry(r, wrong));
        assertEquals(PinCheck.TRIES_EXCEEDED, batchPinTry(r, wrong));
        assertEquals(PinCheck.TRIES_EXCEEDED, batchPinTry(r, right), "blocked: even the right PIN");
        assertEquals(3, triesWrong(r));
    }

    @Test
    void aWrongPinCountRolledBackIsNotKept() throws Exception {
        IssueResult r = issueKrw("2468");
        byte[] wrong = TestKeys.iso0PinBlock(r.pan(), "8642");
        try (Connection c = db.dataSource().getConnection()) {
            Card card = issuer.lockAllForAuthorization(c, List.of(r.pan())).get(r.pan()).card();
            assertEquals(PinCheck.WRONG_PIN, issuer.checkPin(c, card, r.pan(), wrong));
            assertEquals(1, card.pinTriesWrong(), "counted on the object");
            c.rollback();
        }
        assertEquals(0, triesWrong(r),
                "written in the caller's transaction, which rolled back");
    }

    private static int triesWrong(IssueResult r) {
        return db.inTransaction(s -> issuer.findById(s, r.cardId()).orElseThrow().pinTriesWrong());
    }

    /** As a batch of the switch does: lock with the batch read, check on its connection, commit. */
    private static PinCheck batchPinTry(IssueResult r, byte[] pinBlock) {
        return db.inJdbcTransaction(c -> {
            LockedCard locked = issuer.lockAllForAuthorization(c, List.of(r.pan())).get(r.pan());
            return issuer.checkPin(c, locked.card(), r.pan(), pinBlock);
        });
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
