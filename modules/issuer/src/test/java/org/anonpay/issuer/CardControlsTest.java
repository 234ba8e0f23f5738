// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.anonpay.ledger.Ledger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Member controls and PIN change through the issuer API on a real MariaDB. */
class CardControlsTest {

    private static Database db;
    private static CardIssuer issuer;

    @BeforeAll
    static void open() {
        db = TestMariaDb.freshDatabase("controls");
        issuer = new CardIssuer(CardPrograms.load(TestKeys.programsDir()), new CardSecurity(TestKeys.keysDir()),
                CardVault.load(TestKeys.keysDir()), new Ledger());
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static IssueResult issueKrw() {
        IssueResult r = db.inTransaction(s -> issuer.issue(s, IssueRequest.of("KRW-PREPAID", "controls", "1234".toCharArray(), "member-9")));
        assertTrue(r.issued());
        return r;
    }

    private static CardControls controls(long cardId) {
        return db.inTransaction(s -> issuer.controls(s, cardId));
    }

    private static ControlsChange set(long cardId, CardControls c) {
        return db.inTransaction(s -> issuer.setControls(s, cardId, c));
    }

    @Test
    void aNewCardHasTheDefaultsAndAChangeIsStored() {
        long card = issueKrw().cardId();
        assertEquals(CardControls.DEFAULTS, controls(card));
        assertEquals(new CardControls(null, null, true, true), CardControls.defaults());
        CardControls mine = CardControls.of(50_000L, 200_000L, false, true);
        assertEquals(ControlsChange.CHANGED, set(card, mine));
        assertEquals(mine, controls(card));
        CardControls again = CardControls.of(null, 1_000L, true, false);
        assertEquals(ControlsChange.CHANGED, set(card, again));
        assertEquals(again, controls(card), "a second change replaces the first");
    }

    @Test
    void limitsOutsideTheProgramAreRefusedAndChangeNothing() {
        long card = issueKrw().cardId();
        CardControls before = CardControls.of(10_000L, 20_000L, true, true);
        assertEquals(ControlsChange.CHANGED, set(card, before));
        // KRW-PREPAID: 1,000,000 per transaction, 2,000,000 a day
        assertEquals(ControlsChange.LIMIT_NOT_POSITIVE, set(card, CardControls.of(0L, null, true, true)));
        assertEquals(ControlsChange.LIMIT_NOT_POSITIVE, set(card, CardControls.of(null, -1L, true, true)));
        assertEquals(ControlsChange.TRANSACTION_LIMIT_ABOVE_PROGRAM, set(card, CardControls.of(1_000_001L, null, true, true)));
        assertEquals(ControlsChange.DAILY_LIMIT_ABOVE_PROGRAM, set(card, CardControls.of(null, 2_000_001L, true, true)));
        assertEquals(ControlsChange.TRANSACTION_LIMIT_ABOVE_DAILY, set(card, CardControls.of(5_001L, 5_000L, true, true)));
        assertEquals(ControlsChange.CARD_NOT_FOUND, set(9_999_999L, before));
        assertEquals(before, controls(card));
        assertEquals(ControlsChange.CHANGED, set(card, CardControls.of(1_000_000L, 2_000_000L, true, true)), "the program's own limits are allowed");
    }

    @Test
    void aLostCardTakesNoControlsAndNoPin() {
        long card = issueKrw().cardId();
        assertEquals(StateChange.CHANGED, db.inTransaction(s -> issuer.changeState(s, card, CardState.LOST)));
        assertEquals(ControlsChange.CARD_NOT_CHANGEABLE, set(card, CardControls.of(1L, 1L, true, true)));
        assertEquals(PinChange.CARD_NOT_CHANGEABLE, db.inTransaction(s -> issuer.changePin(s, card, "5678".toCharArray())));
        assertEquals(CardControls.DEFAULTS, controls(card));
    }

    @Test
    void aNewPinVerifiesTheOldOneNoLongerAndWrongTriesAreReset() throws Exception {
        IssueResult r = issueKrw();
        assertEquals(PinCheck.WRONG_PIN, pinTry(r, TestKeys.iso0PinBlock(r.pan(), "0000")));
        char[] newPin = "5678".toCharArray();
        assertEquals(PinChange.CHANGED, db.inTransaction(s -> issuer.changePin(s, r.cardId(), newPin)));
        assertArrayEquals(new char[4], newPin, "the PIN is wiped");
        assertEquals(Integer.valueOf(0), db.inTransaction(s -> issuer.findById(s, r.cardId()).orElseThrow().pinTriesWrong()));
        assertEquals(PinCheck.WRONG_PIN, pinTry(r, TestKeys.iso0PinBlock(r.pan(), "1234")));
        assertEquals(PinCheck.VERIFIED, pinTry(r, TestKeys.iso0PinBlock(r.pan(), "5678")));
    }

    @Test
    void aPinThatIsNotFourDigitsIsRefused() {
        long card = issueKrw().cardId();
        assertEquals(PinChange.INVALID_PIN, db.inTransaction(s -> issuer.changePin(s, card, "12a4".toCharArray())));
        assertEquals(PinChange.INVALID_PIN, db.inTransaction(s -> issuer.changePin(s, card, "12345".toCharArray())));
        assertEquals(PinChange.CARD_NOT_FOUND, db.inTransaction(s -> issuer.changePin(s, 9_999_999L, "1234".toCharArray())));
        assertFalse(issuer.pinBlocked(db.inTransaction(s -> issuer.findById(s, card).orElseThrow())));
    }

    private static PinCheck pinTry(IssueResult r, byte[] pinBlock) {
        return db.inTransaction(s -> issuer.checkPin(s, issuer.lockByPan(s, r.pan()).orElseThrow(), r.pan(), pinBlock));
    }
}
