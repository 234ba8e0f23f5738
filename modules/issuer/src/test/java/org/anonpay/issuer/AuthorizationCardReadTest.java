// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
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
        int triesAfterRight = db.inTransaction(s -> issuer.findById(s, r.cardId()).orElseThrow().pinTriesWrong());
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

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
