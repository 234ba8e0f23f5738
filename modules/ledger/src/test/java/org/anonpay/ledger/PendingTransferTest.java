// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

import static org.anonpay.ledger.LedgerFixture.LEDGER;
import static org.anonpay.ledger.LedgerFixture.balance;
import static org.anonpay.ledger.LedgerFixture.batch;
import static org.anonpay.ledger.LedgerFixture.loadedCard;
import static org.anonpay.ledger.LedgerFixture.newId;
import static org.anonpay.ledger.LedgerFixture.open;
import static org.anonpay.ledger.LedgerFixture.transfer;
import static org.anonpay.ledger.LedgerFixture.tx;
import static org.anonpay.ledger.TransferResult.CREATED;
import static org.anonpay.ledger.TransferResult.EXCEEDS_PENDING_TRANSFER_AMOUNT;
import static org.anonpay.ledger.TransferResult.EXISTS;
import static org.anonpay.ledger.TransferResult.LINKED_EVENT_FAILED;
import static org.anonpay.ledger.TransferResult.PENDING_TRANSFER_ALREADY_POSTED;
import static org.anonpay.ledger.TransferResult.PENDING_TRANSFER_ALREADY_VOIDED;
import static org.anonpay.ledger.TransferResult.PENDING_TRANSFER_HAS_DIFFERENT_ACCOUNTS;
import static org.anonpay.ledger.TransferResult.PENDING_TRANSFER_NOT_FOUND;
import static org.anonpay.ledger.TransferResult.PENDING_TRANSFER_NOT_PENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.anonpay.ledger.StoredTransfer.PendingState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two-phase transfers: a hold, then one post (in full or in part) or one void. */
class PendingTransferTest {

    private static final long LOADED = 10_000;
    private static Database db;
    private Account card;
    private Account merchant;

    @BeforeAll
    static void openDatabase() {
        db = TestMariaDb.freshDatabase("ledger");
    }

    @AfterAll
    static void closeDatabase() {
        db.close();
    }

    @BeforeEach
    void accounts() {
        card = loadedCard(db, "KRW", LOADED);
        merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
    }

    private Transfer hold(long amount) {
        return Transfer.pending(newId(), card.id(), merchant.id(), amount, TransferCode.AUTHORIZATION, "auth");
    }

    private Transfer post(Transfer hold, long amount) {
        return Transfer.postPending(newId(), hold.id(), card.id(), merchant.id(), amount, TransferCode.COMPLETION, "completion");
    }

    private Transfer release(Transfer hold) {
        return Transfer.voidPending(newId(), hold.id(), card.id(), merchant.id(), TransferCode.AUTHORIZATION_RELEASE, "reversal");
    }

    private PendingState state(Transfer t) {
        return tx(db, c -> LEDGER.findTransfer(c, t.id())).orElseThrow().state();
    }

    @Test
    void holdLowersAvailableButNotPosted() {
        Transfer hold = hold(3_000);
        assertEquals(CREATED, transfer(db, hold));

        Balance b = balance(db, card.id());
        assertEquals(new Balance(card.id(), "KRW", 0, LOADED, 3_000, 0), b);
        assertEquals(LOADED, b.posted());
        assertEquals(7_000, b.available());
        assertEquals(new Balance(merchant.id(), "KRW", 0, 0, 0, 3_000), balance(db, merchant.id()), "the merchant's side, summed from transfers");
        assertEquals(PendingState.PENDING, state(hold));
    }

    @Test
    void postInFullMovesTheHoldToPosted() {
        Transfer hold = hold(3_000);
        assertEquals(CREATED, transfer(db, hold));

        assertEquals(CREATED, transfer(db, post(hold, 3_000)));

        assertEquals(new Balance(card.id(), "KRW", 3_000, LOADED, 0, 0), balance(db, card.id()));
        assertEquals(new Balance(merchant.id(), "KRW", 0, 3_000, 0, 0), balance(db, merchant.id()));
        assertEquals(PendingState.POSTED, state(hold));
    }

    @Test
    void postInPartReleasesTheRest() {
        Transfer hold = hold(3_000);
        assertEquals(CREATED, transfer(db, hold));

        assertEquals(CREATED, transfer(db, post(hold, 1_200)));

        Balance b = balance(db, card.id());
        assertEquals(new Balance(card.id(), "KRW", 1_200, LOADED, 0, 0), b);
        assertEquals(LOADED - 1_200, b.available(), "the 1,800 not posted are available again");
        assertEquals(new Balance(merchant.id(), "KRW", 0, 1_200, 0, 0), balance(db, merchant.id()));
    }

    @Test
    void voidReleasesTheWholeHold() {
        Transfer hold = hold(3_000);
        assertEquals(CREATED, transfer(db, hold));

        assertEquals(CREATED, transfer(db, release(hold)));

        assertEquals(new Balance(card.id(), "KRW", 0, LOADED, 0, 0), balance(db, card.id()));
        assertEquals(new Balance(merchant.id(), "KRW", 0, 0, 0, 0), balance(db, merchant.id()));
        assertEquals(PendingState.VOIDED, state(hold));
    }

    @Test
    void holdIsPostedOrVoidedOnlyOnce() {
        Transfer posted = hold(1_000);
        Transfer voided = hold(2_000);
        assertEquals(List.of(CREATED, CREATED), batch(db, posted, voided));
        Transfer firstPost = post(posted, 1_000);
        assertEquals(CREATED, transfer(db, firstPost));
        assertEquals(CREATED, transfer(db, release(voided)));

        assertEquals(PENDING_TRANSFER_ALREADY_POSTED, transfer(db, post(posted, 1_000)));
        assertEquals(PENDING_TRANSFER_ALREADY_POSTED, transfer(db, release(posted)));
        assertEquals(PENDING_TRANSFER_ALREADY_VOIDED, transfer(db, post(voided, 2_000)));
        assertEquals(PENDING_TRANSFER_ALREADY_VOIDED, transfer(db, release(voided)));
        assertEquals(EXISTS, transfer(db, firstPost), "a retried completion is a replay, not a second post");

        assertEquals(new Balance(card.id(), "KRW", 1_000, LOADED, 0, 0), balance(db, card.id()));
    }

    @Test
    void postMoreThanHeldIsRejected() {
        Transfer hold = hold(3_000);
        assertEquals(CREATED, transfer(db, hold));

        assertEquals(EXCEEDS_PENDING_TRANSFER_AMOUNT, transfer(db, post(hold, 3_001)));

        assertEquals(new Balance(card.id(), "KRW", 0, LOADED, 3_000, 0), balance(db, card.id()));
        assertEquals(PendingState.PENDING, state(hold));
    }

    @Test
    void postNeedsAHoldWithTheSameAccounts() {
        Transfer hold = hold(3_000);
        Transfer purchase = Transfer.singlePhase(newId(), card.id(), merchant.id(), 100, TransferCode.PURCHASE, "");
        assertEquals(List.of(CREATED, CREATED), batch(db, hold, purchase));
        Account otherMerchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");

        assertEquals(PENDING_TRANSFER_NOT_FOUND, transfer(db, Transfer.postPending(newId(), newId(), card.id(), merchant.id(), 1, TransferCode.COMPLETION, "")));
        assertEquals(PENDING_TRANSFER_NOT_PENDING, transfer(db, post(purchase, 100)));
        assertEquals(PENDING_TRANSFER_HAS_DIFFERENT_ACCOUNTS,
                transfer(db, Transfer.postPending(newId(), hold.id(), card.id(), otherMerchant.id(), 3_000, TransferCode.COMPLETION, "")));
        assertEquals(PENDING_TRANSFER_HAS_DIFFERENT_ACCOUNTS,
                transfer(db, Transfer.voidPending(newId(), hold.id(), merchant.id(), card.id(), TransferCode.AUTHORIZATION_RELEASE, "")));

        assertEquals(PendingState.PENDING, state(hold));
        assertEquals(LOADED - 3_100, balance(db, card.id()).available());
    }

    @Test
    void holdAndPostInOneBatch() {
        Transfer hold = hold(4_000);

        assertEquals(List.of(CREATED, CREATED), batch(db, hold, post(hold, 2_500)));

        assertEquals(new Balance(card.id(), "KRW", 2_500, LOADED, 0, 0), balance(db, card.id()));
        assertEquals(PendingState.POSTED, state(hold));
    }

    @Test
    void failedBatchLeavesTheHoldPending() {
        Transfer hold = hold(4_000);
        assertEquals(CREATED, transfer(db, hold));
        Transfer tooMuch = Transfer.singlePhase(newId(), card.id(), merchant.id(), LOADED, TransferCode.PURCHASE, "");

        // the post releases 4,000 first, but then the purchase needs 10,000 + 4,000
        assertEquals(List.of(LINKED_EVENT_FAILED, TransferResult.EXCEEDS_CREDITS), batch(db, post(hold, 4_000), tooMuch));

        assertEquals(PendingState.PENDING, state(hold), "the post was undone with the batch");
        assertEquals(new Balance(card.id(), "KRW", 0, LOADED, 4_000, 0), balance(db, card.id()));
    }
}
