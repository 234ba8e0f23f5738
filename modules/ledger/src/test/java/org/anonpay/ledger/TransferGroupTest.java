// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

import static org.anonpay.ledger.LedgerFixture.LEDGER;
import static org.anonpay.ledger.LedgerFixture.balance;
import static org.anonpay.ledger.LedgerFixture.connection;
import static org.anonpay.ledger.LedgerFixture.loadedCard;
import static org.anonpay.ledger.LedgerFixture.newId;
import static org.anonpay.ledger.LedgerFixture.open;
import static org.anonpay.ledger.LedgerFixture.transfer;
import static org.anonpay.ledger.LedgerFixture.trialBalance;
import static org.anonpay.ledger.LedgerFixture.tx;
import static org.anonpay.ledger.TransferResult.CREATED;
import static org.anonpay.ledger.TransferResult.CREDIT_ACCOUNT_NOT_FOUND;
import static org.anonpay.ledger.TransferResult.CURRENCIES_MUST_BE_EQUAL;
import static org.anonpay.ledger.TransferResult.DEBIT_ACCOUNT_NOT_FOUND;
import static org.anonpay.ledger.TransferResult.EXCEEDS_CREDITS;
import static org.anonpay.ledger.TransferResult.EXCEEDS_PENDING_TRANSFER_AMOUNT;
import static org.anonpay.ledger.TransferResult.EXISTS;
import static org.anonpay.ledger.TransferResult.EXISTS_WITH_DIFFERENT_FIELDS;
import static org.anonpay.ledger.TransferResult.PENDING_TRANSFER_ALREADY_POSTED;
import static org.anonpay.ledger.TransferResult.PENDING_TRANSFER_ALREADY_VOIDED;
import static org.anonpay.ledger.TransferResult.PENDING_TRANSFER_HAS_DIFFERENT_ACCOUNTS;
import static org.anonpay.ledger.TransferResult.PENDING_TRANSFER_NOT_FOUND;
import static org.anonpay.ledger.TransferResult.PENDING_TRANSFER_NOT_PENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.anonpay.ledger.StoredTransfer.PendingState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TransferGroup}: many independent transfers decided one after the other against the card
 * rows locked at open, and written together. Each case runs with a plain Ledger and with one that
 * caches the accounts it read (as the host's).
 */
class TransferGroupTest {

    /** No account has this id: ids are auto-increment values from 1. */
    private static final long NO_ACCOUNT = 987_654_321_000L;
    private static Database db;

    @BeforeAll
    static void openDatabase() {
        db = TestMariaDb.freshDatabase("ledger_group");
    }

    @AfterAll
    static void closeDatabase() {
        db.close();
    }

    private static Ledger ledger(boolean cachingAccounts) {
        return cachingAccounts ? Ledger.cachingAccounts() : new Ledger();
    }

    private static Transfer purchase(Account card, Account merchant, long amount) {
        return Transfer.singlePhase(newId(), card.id(), merchant.id(), amount, TransferCode.PURCHASE, "group");
    }

    private static void assertBalanced() {
        List<TrialBalance> trial = trialBalance(db);
        assertFalse(trial.isEmpty());
        assertTrue(trial.stream().allMatch(TrialBalance::balanced), trial.toString());
    }

    private static boolean stored(TransferId id) {
        return tx(db, c -> LEDGER.findTransfer(c, id)).isPresent();
    }

    private static Transfer hold(Account card, Account merchant, long amount) {
        return Transfer.pending(newId(), card.id(), merchant.id(), amount, TransferCode.AUTHORIZATION, "hold");
    }

    private static Transfer post(Transfer hold, long amount) {
        return Transfer.postPending(newId(), hold.id(), hold.debitAccountId(), hold.creditAccountId(), amount, TransferCode.COMPLETION, "post");
    }

    private static Transfer release(Transfer hold) {
        return Transfer.voidPending(newId(), hold.id(), hold.debitAccountId(), hold.creditAccountId(), TransferCode.AUTHORIZATION_RELEASE, "void");
    }

    private static PendingState state(TransferId id) {
        return tx(db, c -> LEDGER.findTransfer(c, id)).orElseThrow().state();
    }

    /** A second connection's lock of a transfer row, as a one-by-one post takes it. */
    private static void lockTransfer(Connection c, TransferId id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM ledger_transfer WHERE id = ? FOR UPDATE")) {
            s.setBytes(1, id.bytes());
            s.executeQuery().close();
        }
    }

    @ParameterizedTest(name = "caching accounts: {0}")
    @ValueSource(booleans = {false, true})
    void aCardsSecondTransferSeesItsFirstAndARefusalUndoesNothing(boolean cachingAccounts) {
        Ledger ledger = ledger(cachingAccounts);
        Account card = loadedCard(db, "KRW", 100);
        Account other = loadedCard(db, "KRW", 500);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer first = purchase(card, merchant, 40);
        Transfer second = purchase(card, merchant, 40);
        Transfer third = purchase(card, merchant, 40);
        Transfer otherAfterRefusal = purchase(other, merchant, 70);

        Map<Long, Balance> reported = tx(db, c -> {
            TransferGroup group = ledger.openGroup(c, List.of(card.id(), other.id(), merchant.id()));
            assertEquals(CREATED, group.add(first));
            assertEquals(60, group.balance(card.id()).available(), "the group counts its first transfer");
            assertEquals(CREATED, group.add(second));
            assertEquals(EXCEEDS_CREDITS, group.add(third), "only 20 left after the first two");
            assertEquals(CREATED, group.add(otherAfterRefusal), "a refusal does not stop the group");
            assertEquals(20, group.balance(card.id()).available(), "the refused one changed nothing");
            assertEquals(430, group.balance(other.id()).available());
            group.write();
            return Map.of(card.id(), group.balance(card.id()), other.id(), group.balance(other.id()));
        });

        assertEquals(new Balance(card.id(), "KRW", 80, 100, 0, 0), reported.get(card.id()));
        assertEquals(reported.get(card.id()), balance(db, card.id()));
        assertEquals(reported.get(other.id()), balance(db, other.id()));
        assertEquals(new Balance(merchant.id(), "KRW", 0, 150, 0, 0), balance(db, merchant.id()));
        assertTrue(stored(first.id()));
        assertTrue(stored(second.id()));
        assertFalse(stored(third.id()), "a refused transfer is not written");
        assertEquals(otherAfterRefusal, tx(db, c -> LEDGER.findTransfer(c, otherAfterRefusal.id())).orElseThrow().transfer());
        assertBalanced();
    }

    @ParameterizedTest(name = "caching accounts: {0}")
    @ValueSource(booleans = {false, true})
    void nothingIsWrittenBeforeWrite(boolean cachingAccounts) throws Exception {
        Ledger ledger = ledger(cachingAccounts);
        Account card = loadedCard(db, "KRW", 1_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Balance before = balance(db, card.id());
        Transfer pay = purchase(card, merchant, 300);
        Transfer hold = Transfer.pending(newId(), card.id(), merchant.id(), 200, TransferCode.AUTHORIZATION, "");
        try (Connection c = connection(db)) {
            TransferGroup group = ledger.openGroup(c, List.of(card.id()));
            assertEquals(CREATED, group.add(pay));
            assertEquals(CREATED, group.add(hold));
            assertEquals(500, group.balance(card.id()).available());
            // in the group's own transaction: neither the transfers nor the totals are there yet
            assertTrue(LEDGER.findTransfer(c, pay.id()).isEmpty());
            assertTrue(LEDGER.findTransfer(c, hold.id()).isEmpty());
            assertEquals(before, LEDGER.balance(c, card.id()));
            assertEquals(0, LEDGER.balance(c, merchant.id()).creditsPosted());
            c.rollback();
        }
        assertEquals(before, balance(db, card.id()));
        assertEquals(new Balance(merchant.id(), "KRW", 0, 0, 0, 0), balance(db, merchant.id()));
        assertFalse(stored(pay.id()));
        assertFalse(stored(hold.id()));
        assertBalanced();
    }

    @ParameterizedTest(name = "caching accounts: {0}")
    @ValueSource(booleans = {false, true})
    void aPendingTransferAddsToDebitsPending(boolean cachingAccounts) {
        Ledger ledger = ledger(cachingAccounts);
        Account card = loadedCard(db, "KRW", 1_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer hold = Transfer.pending(newId(), card.id(), merchant.id(), 300, TransferCode.AUTHORIZATION, "auth");

        Balance reported = tx(db, c -> {
            TransferGroup group = ledger.openGroup(c, List.of(card.id(), merchant.id()));
            assertEquals(CREATED, group.add(hold));
            assertEquals(EXCEEDS_CREDITS, group.add(purchase(card, merchant, 701)), "the hold counts against the guard");
            group.write();
            return group.balance(card.id());
        });

        assertEquals(new Balance(card.id(), "KRW", 0, 1_000, 300, 0), reported);
        assertEquals(700, reported.available());
        assertEquals(reported, balance(db, card.id()));
        assertEquals(new Balance(merchant.id(), "KRW", 0, 0, 0, 300), balance(db, merchant.id()));
        StoredTransfer stored = tx(db, c -> LEDGER.findTransfer(c, hold.id())).orElseThrow();
        assertEquals(hold, stored.transfer());
        assertEquals(PendingState.PENDING, stored.state());
        // a hold written by a group is an ordinary hold: it can be posted
        Transfer post = Transfer.postPending(newId(), hold.id(), card.id(), merchant.id(), 250, TransferCode.COMPLETION, "");
        assertEquals(CREATED, transfer(db, post));
        assertEquals(new Balance(card.id(), "KRW", 250, 1_000, 0, 0), balance(db, card.id()));
        assertBalanced();
    }

    @ParameterizedTest(name = "caching accounts: {0}")
    @ValueSource(booleans = {false, true})
    void theSameIdTwiceInAGroupIsExistsOrExistsWithDifferentFields(boolean cachingAccounts) {
        Ledger ledger = ledger(cachingAccounts);
        Account card = loadedCard(db, "KRW", 1_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer pay = purchase(card, merchant, 400);
        Transfer sameIdOtherAmount = Transfer.singlePhase(pay.id(), card.id(), merchant.id(), 401, TransferCode.PURCHASE, "group");
        Transfer sameIdOtherReference = Transfer.singlePhase(pay.id(), card.id(), merchant.id(), 400, TransferCode.PURCHASE, "other");

        Balance reported = tx(db, c -> {
            TransferGroup group = ledger.openGroup(c, List.of(card.id()));
            assertEquals(CREATED, group.add(pay));
            assertEquals(EXISTS, group.add(pay));
            assertEquals(EXISTS, group.add(new Transfer(pay.id(), pay.kind(), pay.debitAccountId(), pay.creditAccountId(),
                    pay.amount(), null, pay.code(), pay.reference())), "an equal transfer");
            assertEquals(EXISTS_WITH_DIFFERENT_FIELDS, group.add(sameIdOtherAmount));
            assertEquals(EXISTS_WITH_DIFFERENT_FIELDS, group.add(sameIdOtherReference));
            assertEquals(600, group.balance(card.id()).available(), "counted once");
            group.write();
            return group.balance(card.id());
        });

        assertEquals(600, reported.available());
        assertEquals(reported, balance(db, card.id()));
        assertEquals(400, balance(db, merchant.id()).posted());
        assertEquals(pay, tx(db, c -> LEDGER.findTransfer(c, pay.id())).orElseThrow().transfer());
        assertBalanced();
    }

    @ParameterizedTest(name = "caching accounts: {0}")
    @ValueSource(booleans = {false, true})
    void aStoredIdThatFailsTheGuardIsFoundAsExists(boolean cachingAccounts) {
        Ledger ledger = ledger(cachingAccounts);
        Account card = loadedCard(db, "KRW", 100);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer pay = purchase(card, merchant, 60);
        assertEquals(CREATED, transfer(db, pay));
        Transfer sameIdOtherAmount = Transfer.singlePhase(pay.id(), card.id(), merchant.id(), 70, TransferCode.PURCHASE, "group");
        Transfer fresh = purchase(card, merchant, 41);

        List<TransferResult> results = tx(db, c -> {
            TransferGroup group = ledger.openGroup(c, List.of(card.id(), merchant.id()));
            List<TransferResult> r = List.of(group.add(pay), group.add(sameIdOtherAmount), group.add(fresh));
            assertEquals(40, group.balance(card.id()).available(), "a replay moves nothing");
            group.write();
            return r;
        });

        assertEquals(List.of(EXISTS, EXISTS_WITH_DIFFERENT_FIELDS, EXCEEDS_CREDITS), results,
                "60 > 40 and 70 > 40 fail the guard: the look-up finds the stored one; 41 > 40 has none to find");
        assertEquals(new Balance(card.id(), "KRW", 60, 100, 0, 0), balance(db, card.id()));
        assertEquals(60, balance(db, merchant.id()).posted());
        assertFalse(stored(fresh.id()));
        assertBalanced();
    }

    @ParameterizedTest(name = "caching accounts: {0}")
    @ValueSource(booleans = {false, true})
    void aStoredIdThatPassesTheChecksMakesWriteFail(boolean cachingAccounts) throws Exception {
        Ledger ledger = ledger(cachingAccounts);
        Account card = loadedCard(db, "KRW", 100);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer pay = purchase(card, merchant, 30);
        assertEquals(CREATED, transfer(db, pay));
        Balance before = balance(db, card.id());
        Transfer fresh = purchase(card, merchant, 10);

        try (Connection c = connection(db)) {
            TransferGroup group = ledger.openGroup(c, List.of(card.id()));
            assertEquals(CREATED, group.add(fresh));
            assertEquals(CREATED, group.add(pay), "30 ≤ 60: the checks pass, so the stored id is not looked up");
            IllegalStateException e = assertThrows(IllegalStateException.class, group::write);
            SQLException cause = assertInstanceOf(SQLException.class, e.getCause());
            assertTrue(Sql.isDuplicateKey(cause), cause.toString());
            assertThrows(IllegalStateException.class, group::write, "a group is written once");
            assertThrows(IllegalArgumentException.class, () -> group.add(purchase(card, merchant, 1)), "nor added to after");
            c.rollback();
        }

        assertEquals(before, balance(db, card.id()));
        assertEquals(new Balance(card.id(), "KRW", 30, 100, 0, 0), before);
        assertEquals(30, balance(db, merchant.id()).posted());
        assertFalse(stored(fresh.id()), "the failed statement wrote no row");
        assertBalanced();
        // the caller's fallback: the transfers one by one tell which one exists
        assertEquals(EXISTS, transfer(db, pay));
        assertEquals(CREATED, transfer(db, fresh));
        assertEquals(60, balance(db, card.id()).available());
    }

    @ParameterizedTest(name = "caching accounts: {0}")
    @ValueSource(booleans = {false, true})
    void aPostInAGroupMovesWhatAPostOneByOneMoves(boolean cachingAccounts) {
        Ledger ledger = ledger(cachingAccounts);
        Account card = loadedCard(db, "KRW", 1_000);
        Account twin = loadedCard(db, "KRW", 1_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer hold = hold(card, merchant, 300);
        Transfer twinHold = hold(twin, merchant, 300);
        assertEquals(List.of(CREATED, CREATED), List.of(transfer(db, hold), transfer(db, twinHold)));
        assertEquals(CREATED, transfer(db, post(twinHold, 250)), "the twin's hold is posted one by one");
        Transfer post = post(hold, 250);

        Balance reported = tx(db, c -> {
            TransferGroup group = ledger.openGroup(c, List.of(card.id(), merchant.id()), List.of(hold.id()));
            assertEquals(700, group.balance(card.id()).available());
            assertEquals(CREATED, group.add(post));
            assertEquals(750, group.balance(card.id()).available(), "the 50 not posted are released");
            group.write();
            return group.balance(card.id());
        });

        assertEquals(new Balance(card.id(), "KRW", 250, 1_000, 0, 0), reported);
        assertEquals(reported, balance(db, card.id()));
        Balance oneByOne = balance(db, twin.id());
        assertEquals(new Balance(card.id(), "KRW", oneByOne.debitsPosted(), oneByOne.creditsPosted(), oneByOne.debitsPending(),
                oneByOne.creditsPending()), reported, "as the twin posted one by one");
        assertEquals(new Balance(merchant.id(), "KRW", 0, 500, 0, 0), balance(db, merchant.id()), "both posts, no hold left");
        assertEquals(PendingState.POSTED, state(hold.id()));
        assertEquals(post, tx(db, c -> LEDGER.findTransfer(c, post.id())).orElseThrow().transfer(), "stored with its pending id");
        assertBalanced();
    }

    @ParameterizedTest(name = "caching accounts: {0}")
    @ValueSource(booleans = {false, true})
    void aVoidInAGroupReleasesTheWholeHold(boolean cachingAccounts) {
        Ledger ledger = ledger(cachingAccounts);
        Account card = loadedCard(db, "KRW", 1_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer hold = hold(card, merchant, 300);
        assertEquals(CREATED, transfer(db, hold));
        Transfer release = release(hold);

        Balance reported = tx(db, c -> {
            TransferGroup group = ledger.openGroup(c, List.of(card.id()), List.of(hold.id()));
            assertEquals(CREATED, group.add(release), "the merchant is read when first named");
            assertEquals(1_000, group.balance(card.id()).available());
            group.write();
            return group.balance(card.id());
        });

        assertEquals(new Balance(card.id(), "KRW", 0, 1_000, 0, 0), reported);
        assertEquals(reported, balance(db, card.id()));
        assertEquals(new Balance(merchant.id(), "KRW", 0, 0, 0, 0), balance(db, merchant.id()));
        assertEquals(PendingState.VOIDED, state(hold.id()));
        assertEquals(release, tx(db, c -> LEDGER.findTransfer(c, release.id())).orElseThrow().transfer());
        assertBalanced();
    }

    @ParameterizedTest(name = "caching accounts: {0}")
    @ValueSource(booleans = {false, true})
    void aHoldIsPostedOrVoidedOnceInAGroup(boolean cachingAccounts) {
        Ledger ledger = ledger(cachingAccounts);
        Account card = loadedCard(db, "KRW", 1_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer posted = hold(card, merchant, 300);
        Transfer voided = hold(card, merchant, 200);
        assertEquals(List.of(CREATED, CREATED), List.of(transfer(db, posted), transfer(db, voided)));
        Transfer firstPost = post(posted, 250);
        Transfer secondPost = post(posted, 10);
        Transfer voidOfPosted = release(posted);
        Transfer firstVoid = release(voided);
        Transfer postOfVoided = post(voided, 200);
        Transfer secondVoid = release(voided);

        List<TransferResult> results = tx(db, c -> {
            TransferGroup group = ledger.openGroup(c, List.of(card.id(), merchant.id()), List.of(voided.id(), posted.id()));
            List<TransferResult> r = List.of(group.add(firstPost), group.add(secondPost), group.add(voidOfPosted),
                    group.add(firstVoid), group.add(postOfVoided), group.add(secondVoid), group.add(firstPost));
            assertEquals(750, group.balance(card.id()).available(), "each hold released once, 250 posted");
            assertEquals(PendingState.PENDING, group.pending(posted.id()).orElseThrow().state(), "as read at open");
            group.write();
            return r;
        });

        assertEquals(List.of(CREATED, PENDING_TRANSFER_ALREADY_POSTED, PENDING_TRANSFER_ALREADY_POSTED,
                CREATED, PENDING_TRANSFER_ALREADY_VOIDED, PENDING_TRANSFER_ALREADY_VOIDED, EXISTS), results,
                "the last: the same post twice in a group is counted once");
        assertEquals(new Balance(card.id(), "KRW", 250, 1_000, 0, 0), balance(db, card.id()));
        assertEquals(new Balance(merchant.id(), "KRW", 0, 250, 0, 0), balance(db, merchant.id()));
        assertEquals(PendingState.POSTED, state(posted.id()));
        assertEquals(PendingState.VOIDED, state(voided.id()));
        for (Transfer t : List.of(secondPost, voidOfPosted, postOfVoided, secondVoid)) assertFalse(stored(t.id()));
        assertBalanced();
    }

    @ParameterizedTest(name = "caching accounts: {0}")
    @ValueSource(booleans = {false, true})
    void aPostIsCheckedAgainstItsHoldAsApplyTransfersChecksIt(boolean cachingAccounts) {
        Ledger ledger = ledger(cachingAccounts);
        Account card = loadedCard(db, "KRW", 1_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Account otherMerchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer hold = hold(card, merchant, 300);
        Transfer purchase = purchase(card, merchant, 100);
        Transfer notNamed = hold(card, merchant, 50);
        assertEquals(List.of(CREATED, CREATED, CREATED), List.of(transfer(db, hold), transfer(db, purchase), transfer(db, notNamed)));
        TransferId missing = newId();
        Transfer tooMuch = post(hold, 301);
        Transfer toOtherMerchant = Transfer.postPending(newId(), hold.id(), card.id(), otherMerchant.id(), 300, TransferCode.COMPLETION, "");
        Transfer swapped = Transfer.voidPending(newId(), hold.id(), merchant.id(), card.id(), TransferCode.AUTHORIZATION_RELEASE, "");
        Transfer ofMissing = Transfer.postPending(newId(), missing, card.id(), merchant.id(), 1, TransferCode.COMPLETION, "");
        Transfer ofMissingFromNowhere = Transfer.postPending(newId(), missing, NO_ACCOUNT, merchant.id(), 1, TransferCode.COMPLETION, "");
        Transfer ofPurchase = post(purchase, 100);
        Transfer inFull = post(hold, 300);

        List<TransferResult> results = tx(db, c -> {
            TransferGroup group = ledger.openGroup(c, List.of(card.id(), merchant.id()), List.of(hold.id(), missing, purchase.id()));
            assertThrows(IllegalArgumentException.class, () -> group.add(post(notNamed, 50)), "a hold not named at open is not locked");
            assertThrows(IllegalArgumentException.class, () -> group.add(release(notNamed)));
            List<TransferResult> r = List.of(group.add(tooMuch), group.add(toOtherMerchant), group.add(swapped), group.add(ofMissing),
                    group.add(ofMissingFromNowhere), group.add(ofPurchase), group.add(inFull));
            group.write();
            return r;
        });

        assertEquals(List.of(EXCEEDS_PENDING_TRANSFER_AMOUNT, PENDING_TRANSFER_HAS_DIFFERENT_ACCOUNTS, PENDING_TRANSFER_HAS_DIFFERENT_ACCOUNTS,
                PENDING_TRANSFER_NOT_FOUND, DEBIT_ACCOUNT_NOT_FOUND, PENDING_TRANSFER_NOT_PENDING, CREATED), results,
                "accounts are checked before the hold; the refusals leave the hold to the post in full");
        assertEquals(new Balance(card.id(), "KRW", 400, 1_000, 50, 0), balance(db, card.id()));
        assertEquals(0, balance(db, otherMerchant.id()).creditsPosted());
        assertEquals(PendingState.POSTED, state(hold.id()));
        assertEquals(PendingState.PENDING, state(notNamed.id()));
        for (Transfer t : List.of(tooMuch, toOtherMerchant, swapped, ofMissing, ofMissingFromNowhere, ofPurchase)) assertFalse(stored(t.id()));
        assertBalanced();
    }

    @ParameterizedTest(name = "caching accounts: {0}")
    @ValueSource(booleans = {false, true})
    void aStoredPostReplayedInAGroupIsExists(boolean cachingAccounts) {
        Ledger ledger = ledger(cachingAccounts);
        Account card = loadedCard(db, "KRW", 1_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer hold = hold(card, merchant, 300);
        assertEquals(CREATED, transfer(db, hold));
        Transfer post = post(hold, 300);
        assertEquals(CREATED, transfer(db, post));
        Transfer sameIdOtherAmount = Transfer.postPending(post.id(), hold.id(), card.id(), merchant.id(), 200, TransferCode.COMPLETION, "post");
        Balance before = balance(db, card.id());

        List<TransferResult> results = tx(db, c -> {
            TransferGroup group = ledger.openGroup(c, List.of(card.id(), merchant.id()), List.of(hold.id()));
            assertEquals(PendingState.POSTED, group.pending(hold.id()).orElseThrow().state());
            List<TransferResult> r = List.of(group.add(post), group.add(sameIdOtherAmount));
            assertEquals(before, group.balance(card.id()), "a replay moves nothing");
            group.write();
            return r;
        });

        assertEquals(List.of(EXISTS, EXISTS_WITH_DIFFERENT_FIELDS), results, "the resolved hold refuses them: the look-up finds the post");
        assertEquals(new Balance(card.id(), "KRW", 300, 1_000, 0, 0), before);
        assertEquals(before, balance(db, card.id()));
        assertEquals(post, tx(db, c -> LEDGER.findTransfer(c, post.id())).orElseThrow().transfer());
        assertBalanced();
    }

    @ParameterizedTest(name = "caching accounts: {0}")
    @ValueSource(booleans = {false, true})
    void aPurchaseSpendsWhatAPostReleasedOnlyAfterThePost(boolean cachingAccounts) {
        Ledger ledger = ledger(cachingAccounts);
        Account card = loadedCard(db, "KRW", 1_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer hold = hold(card, merchant, 600);
        assertEquals(CREATED, transfer(db, hold));
        Transfer early = purchase(card, merchant, 500);
        Transfer post = post(hold, 100);
        Transfer late = purchase(card, merchant, 500);
        Transfer newHold = hold(card, merchant, 400);
        Transfer tooMuch = purchase(card, merchant, 1);

        List<TransferResult> results = tx(db, c -> {
            TransferGroup group = ledger.openGroup(c, List.of(card.id(), merchant.id()), List.of(hold.id()));
            List<TransferResult> r = List.of(group.add(early), group.add(post), group.add(late), group.add(newHold), group.add(tooMuch));
            group.write();
            return r;
        });

        assertEquals(List.of(EXCEEDS_CREDITS, CREATED, CREATED, CREATED, EXCEEDS_CREDITS), results,
                "400 available before the post, 900 after it");
        assertEquals(new Balance(card.id(), "KRW", 600, 1_000, 400, 0), balance(db, card.id()));
        assertEquals(new Balance(merchant.id(), "KRW", 0, 600, 0, 400), balance(db, merchant.id()));
        assertEquals(PendingState.POSTED, state(hold.id()));
        assertEquals(PendingState.PENDING, state(newHold.id()));
        assertFalse(stored(early.id()));
        assertFalse(stored(tooMuch.id()));
        assertTrue(stored(late.id()));
        assertBalanced();
    }

    @ParameterizedTest(name = "caching accounts: {0}")
    @ValueSource(booleans = {false, true})
    void pendingIsTheHoldAsLockedAtOpen(boolean cachingAccounts) {
        Ledger ledger = ledger(cachingAccounts);
        Account card = loadedCard(db, "KRW", 1_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer hold = hold(card, merchant, 300);
        Transfer other = hold(card, merchant, 20);
        Transfer notNamed = hold(card, merchant, 50);
        assertEquals(List.of(CREATED, CREATED, CREATED), List.of(transfer(db, hold), transfer(db, other), transfer(db, notNamed)));
        TransferId missing = newId();

        tx(db, c -> {
            TransferGroup group = ledger.openGroup(c, List.of(card.id()), List.of(missing, hold.id(), other.id(), hold.id()));
            StoredTransfer locked = group.pending(hold.id()).orElseThrow();
            assertEquals(hold, locked.transfer(), "its accounts and amount");
            assertEquals(PendingState.PENDING, locked.state());
            assertEquals(other, group.pending(other.id()).orElseThrow().transfer());
            assertTrue(group.pending(missing).isEmpty(), "named but not found");
            assertTrue(group.pending(notNamed.id()).isEmpty(), "stored but not named");
            assertEquals(PENDING_TRANSFER_NOT_FOUND,
                    group.add(Transfer.postPending(newId(), missing, card.id(), merchant.id(), 1, TransferCode.COMPLETION, "")));
            group.write();
            return null;
        });
        assertEquals(PendingState.PENDING, state(hold.id()), "named at open, not resolved: left as it was");
        assertEquals(new Balance(card.id(), "KRW", 0, 1_000, 370, 0), balance(db, card.id()));
    }

    @ParameterizedTest(name = "caching accounts: {0}")
    @ValueSource(booleans = {false, true})
    void aGroupLocksItsHoldsUntilCommit(boolean cachingAccounts) throws Exception {
        Ledger ledger = ledger(cachingAccounts);
        Account card = loadedCard(db, "KRW", 1_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Account funding = open(db, AccountKind.FUNDING_CLEARING, "KRW");
        Transfer hold = hold(card, merchant, 300);
        // between hot accounts: posting it one by one locks no card row, only the hold itself
        Transfer hotHold = Transfer.pending(newId(), funding.id(), merchant.id(), 70, TransferCode.ADJUSTMENT, "");
        Transfer notNamed = hold(card, merchant, 50);
        assertEquals(List.of(CREATED, CREATED, CREATED), List.of(transfer(db, hold), transfer(db, hotHold), transfer(db, notNamed)));
        try (Connection first = connection(db); Connection second = connection(db)) {
            try (Statement s = second.createStatement()) {
                s.execute("SET SESSION innodb_lock_wait_timeout = 1");
            }
            // named at open, no transfer added: the holds are locked all the same
            TransferGroup group = ledger.openGroup(first, List.of(card.id(), merchant.id()), List.of(hold.id(), hotHold.id()));

            SQLException waited = assertThrows(SQLException.class, () -> lockTransfer(second, hold.id()));
            assertTrue(waited.getMessage().toLowerCase(Locale.ROOT).contains("lock wait timeout"), waited.toString());
            IllegalStateException postWaited = assertThrows(IllegalStateException.class,
                    () -> LEDGER.applyTransfers(second, List.of(post(hotHold, 70))));
            assertTrue(postWaited.getCause().getMessage().toLowerCase(Locale.ROOT).contains("lock wait timeout"), postWaited.toString());
            lockTransfer(second, notNamed.id()); // not named: not locked
            second.rollback();

            assertEquals(CREATED, group.add(post(hold, 300)));
            group.write();
            first.commit();

            assertEquals(CREATED, LEDGER.applyTransfers(second, List.of(post(hotHold, 70))).results().getFirst(), "free once the group committed");
            assertEquals(PENDING_TRANSFER_ALREADY_POSTED, LEDGER.applyTransfers(second, List.of(release(hold))).results().getFirst(),
                    "and its post is seen");
            second.commit();
        }
        assertEquals(new Balance(card.id(), "KRW", 300, 1_000, 50, 0), balance(db, card.id()));
        assertEquals(PendingState.POSTED, state(hotHold.id()));
        assertBalanced();
    }

    @Test
    void aHoldResolvedBehindTheGroupsBackFailsWrite() throws Exception {
        Account card = loadedCard(db, "KRW", 1_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer hold = hold(card, merchant, 300);
        assertEquals(CREATED, transfer(db, hold));
        Balance before = balance(db, card.id());
        Transfer post = post(hold, 300);

        try (Connection c = connection(db)) {
            TransferGroup group = LEDGER.openGroup(c, List.of(card.id()), List.of(hold.id()));
            assertEquals(CREATED, group.add(post));
            // only this transaction can touch the locked hold: a bug of ours would look like this
            try (PreparedStatement s = c.prepareStatement("UPDATE ledger_transfer SET state = 'VOIDED' WHERE id = ?")) {
                s.setBytes(1, hold.id().bytes());
                assertEquals(1, s.executeUpdate());
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, group::write);
            assertInstanceOf(SQLException.class, e.getCause());
            assertTrue(e.getMessage().contains("resolved 0 pending transfers of 1"), e.toString());
            c.rollback();
        }

        assertEquals(before, balance(db, card.id()));
        assertEquals(PendingState.PENDING, state(hold.id()));
        assertFalse(stored(post.id()));
        assertBalanced();
    }

    @ParameterizedTest(name = "caching accounts: {0}")
    @ValueSource(booleans = {false, true})
    void aCardNotNamedAtOpenIsRejectedButAHotAccountIsFine(boolean cachingAccounts) {
        Ledger ledger = ledger(cachingAccounts);
        Account card = loadedCard(db, "KRW", 1_000);
        Account stranger = loadedCard(db, "KRW", 1_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer strangerPays = purchase(stranger, merchant, 100);
        Transfer refundToStranger = Transfer.singlePhase(newId(), merchant.id(), stranger.id(), 5, TransferCode.REFUND, "");
        Transfer cardPays = purchase(card, merchant, 100);
        // a caching ledger has read the stranger's account before (a group of its own): still no card of this group
        tx(db, c -> ledger.openGroup(c, List.of(stranger.id())));

        Balance reported = tx(db, c -> {
            TransferGroup group = ledger.openGroup(c, List.of(card.id()));
            assertThrows(IllegalArgumentException.class, () -> group.add(strangerPays), "its row is not locked");
            assertThrows(IllegalArgumentException.class, () -> group.add(refundToStranger), "as credit account neither");
            assertThrows(IllegalArgumentException.class, () -> group.balance(stranger.id()));
            assertThrows(IllegalArgumentException.class, () -> group.balance(merchant.id()), "a hot account has no totals here");
            assertEquals(CREATED, group.add(cardPays), "the merchant is read when first named");
            group.write();
            return group.balance(card.id());
        });

        assertEquals(900, reported.available());
        assertEquals(reported, balance(db, card.id()));
        assertEquals(new Balance(stranger.id(), "KRW", 0, 1_000, 0, 0), balance(db, stranger.id()));
        assertEquals(100, balance(db, merchant.id()).posted());
        assertFalse(stored(strangerPays.id()));
        assertFalse(stored(refundToStranger.id()));
        assertBalanced();
    }

    @ParameterizedTest(name = "caching accounts: {0}")
    @ValueSource(booleans = {false, true})
    void accountsAreCheckedAsApplyTransfersChecksThem(boolean cachingAccounts) {
        Ledger ledger = ledger(cachingAccounts);
        Account card = loadedCard(db, "KRW", 1_000);
        Account dollars = open(db, AccountKind.MERCHANT_PAYABLE, "USD");
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer toDollars = purchase(card, dollars, 100);
        Transfer fromNowhere = Transfer.singlePhase(newId(), NO_ACCOUNT, merchant.id(), 100, TransferCode.PURCHASE, "");
        Transfer fromNowhereNotNamed = Transfer.singlePhase(newId(), NO_ACCOUNT + 1, merchant.id(), 100, TransferCode.PURCHASE, "");
        Transfer toNowhere = Transfer.singlePhase(newId(), card.id(), NO_ACCOUNT, 100, TransferCode.PURCHASE, "");
        Transfer cardPays = purchase(card, merchant, 100);

        List<TransferResult> results = tx(db, c -> {
            TransferGroup group = ledger.openGroup(c, List.of(card.id(), dollars.id(), NO_ACCOUNT, merchant.id()));
            List<TransferResult> r = List.of(group.add(toDollars), group.add(fromNowhere), group.add(fromNowhereNotNamed),
                    group.add(toNowhere), group.add(cardPays));
            group.write();
            return r;
        });

        assertEquals(List.of(CURRENCIES_MUST_BE_EQUAL, DEBIT_ACCOUNT_NOT_FOUND, DEBIT_ACCOUNT_NOT_FOUND, CREDIT_ACCOUNT_NOT_FOUND, CREATED),
                results);
        assertEquals(900, balance(db, card.id()).available());
        assertEquals(0, balance(db, dollars.id()).creditsPosted());
        assertEquals(100, balance(db, merchant.id()).posted());
        for (Transfer t : List.of(toDollars, fromNowhere, fromNowhereNotNamed, toNowhere)) assertFalse(stored(t.id()));
        assertBalanced();
    }

    @Test
    void aGroupNeedsAnOpenTransactionAndAtLeastOneAccount() throws Exception {
        Account card = loadedCard(db, "KRW", 1_000);
        assertThrows(IllegalArgumentException.class, () -> tx(db, c -> LEDGER.openGroup(c, List.of())));
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(true);
            assertThrows(IllegalArgumentException.class, () -> LEDGER.openGroup(c, List.of(card.id())));
            c.setAutoCommit(false);
        }
    }

    @ParameterizedTest(name = "caching accounts: {0}")
    @ValueSource(booleans = {false, true})
    void aGroupLocksItsCardRowsButNoHotAccountUntilCommit(boolean cachingAccounts) throws Exception {
        Ledger ledger = ledger(cachingAccounts);
        Account card = loadedCard(db, "KRW", 1_000);
        Account untouched = loadedCard(db, "KRW", 1_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        try (Connection first = connection(db); Connection second = connection(db)) {
            try (Statement s = second.createStatement()) {
                s.execute("SET SESSION innodb_lock_wait_timeout = 1");
            }
            // named at open, no transfer added: the row is locked all the same
            TransferGroup group = ledger.openGroup(first, List.of(card.id(), untouched.id(), merchant.id()));

            IllegalStateException waited = assertThrows(IllegalStateException.class, () -> LEDGER.lockBalance(second, card.id()));
            assertTrue(waited.getCause().getMessage().toLowerCase(Locale.ROOT).contains("lock wait timeout"), waited.toString());
            assertThrows(IllegalStateException.class, () -> LEDGER.lockBalance(second, untouched.id()));
            AccountTest.lockNowait(second, merchant.id()); // hot: never locked
            second.rollback();

            assertEquals(CREATED, group.add(purchase(card, merchant, 250)));
            group.write();
            first.commit();

            assertEquals(new Balance(card.id(), "KRW", 250, 1_000, 0, 0), LEDGER.lockBalance(second, card.id()),
                    "free once the group committed, and its write is seen");
            assertEquals(1_000, LEDGER.lockBalance(second, untouched.id()).available());
            second.rollback();
        }
    }

    @ParameterizedTest(name = "caching accounts: {0}")
    @ValueSource(booleans = {false, true})
    void groupsOfManySizesLockAndWriteEveryCard(boolean cachingAccounts) throws Exception {
        Ledger ledger = ledger(cachingAccounts);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Account funding = open(db, AccountKind.FUNDING_CLEARING, "KRW");
        long paid = 0;
        for (int size : new int[] {1, 2, 3, 5, 9}) {
            List<Account> cards = new ArrayList<>();
            for (int i = 0; i < size; i++) cards.add(loadedCard(db, "KRW", 1_000));
            List<Long> ids = new ArrayList<>(cards.stream().map(Account::id).toList());
            java.util.Collections.reverse(ids); // any order: the group sorts them
            try (Connection c = connection(db); Connection other = connection(db)) {
                TransferGroup group = ledger.openGroup(c, ids);
                for (Account card : cards) {
                    assertThrows(SQLException.class, () -> AccountTest.lockNowait(other, card.id()),
                            "size " + size + ": card " + card.id() + " is locked");
                    other.rollback();
                }
                for (int i = 0; i < size; i++) {
                    Account card = cards.get(i);
                    assertEquals(CREATED, group.add(purchase(card, merchant, 10L * (i + 1))));
                    assertEquals(CREATED, group.add(Transfer.singlePhase(newId(), funding.id(), card.id(), i + 1, TransferCode.LOAD, "")));
                    paid += 10L * (i + 1);
                }
                assertEquals(CREATED, group.add(purchase(cards.getLast(), merchant, 1_000 - 10L * size + size)),
                        "the last card's second purchase empties it");
                assertEquals(EXCEEDS_CREDITS, group.add(purchase(cards.getLast(), merchant, 1)));
                paid += 1_000 - 10L * size + size;
                List<Balance> reported = new ArrayList<>();
                for (Account card : cards) reported.add(group.balance(card.id()));
                group.write();
                c.commit();

                for (int i = 0; i < size; i++) {
                    assertEquals(reported.get(i), balance(db, cards.get(i).id()), "size " + size + ", card " + i);
                    long spent = i == size - 1 ? 1_000 + size : 10L * (i + 1);
                    assertEquals(new Balance(cards.get(i).id(), "KRW", spent, 1_000 + i + 1, 0, 0), reported.get(i));
                }
                assertEquals(0, reported.getLast().available());
                AccountTest.lockNowait(other, cards.getFirst().id()); // released at commit
                other.rollback();
            }
            assertEquals(paid, balance(db, merchant.id()).posted(), "size " + size);
        }
        assertBalanced();
    }
}
