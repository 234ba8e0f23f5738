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
import static org.anonpay.ledger.TransferResult.ACCOUNTS_MUST_BE_DIFFERENT;
import static org.anonpay.ledger.TransferResult.AMOUNT_MUST_NOT_BE_ZERO;
import static org.anonpay.ledger.TransferResult.CREATED;
import static org.anonpay.ledger.TransferResult.CREDIT_ACCOUNT_NOT_FOUND;
import static org.anonpay.ledger.TransferResult.CURRENCIES_MUST_BE_EQUAL;
import static org.anonpay.ledger.TransferResult.DEBIT_ACCOUNT_NOT_FOUND;
import static org.anonpay.ledger.TransferResult.EXCEEDS_CREDITS;
import static org.anonpay.ledger.TransferResult.EXISTS;
import static org.anonpay.ledger.TransferResult.EXISTS_WITH_DIFFERENT_FIELDS;
import static org.anonpay.ledger.TransferResult.LINKED_EVENT_FAILED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Single-phase transfers, the balance guard, idempotency and batch atomicity. */
class TransferTest {

    private static Database db;

    @BeforeAll
    static void openDatabase() {
        db = TestMariaDb.freshDatabase("ledger");
    }

    @AfterAll
    static void closeDatabase() {
        db.close();
    }

    @Test
    void singlePhaseTransferMovesPostedMoneyOnBothSides() {
        Account card = loadedCard(db, "KRW", 10_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");

        TransferId id = newId();
        assertEquals(CREATED, transfer(db, Transfer.singlePhase(id, card.id(), merchant.id(), 3_500, TransferCode.PURCHASE, "journal:1")));

        assertEquals(new Balance(card.id(), "KRW", 3_500, 10_000, 0, 0), balance(db, card.id()));
        assertEquals(new Balance(merchant.id(), "KRW", 0, 3_500, 0, 0), balance(db, merchant.id()));
        assertEquals(6_500, balance(db, card.id()).available());
        StoredTransfer stored = tx(db, c -> LEDGER.findTransfer(c, id)).orElseThrow();
        assertEquals(Transfer.singlePhase(id, card.id(), merchant.id(), 3_500, TransferCode.PURCHASE, "journal:1"), stored.transfer());
        assertEquals(null, stored.state());
        assertTrue(Duration.between(stored.createdAt(), Instant.now()).abs().toMinutes() < 1, "created now, in UTC: " + stored.createdAt());
    }

    @Test
    void appliedTransfersReturnTheCardBalancesAfterThemAndNoneWhenRefused() {
        Account card = loadedCard(db, "KRW", 10_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Ledger.Applied one = tx(db, c -> LEDGER.applyTransfers(c, List.of(
                Transfer.singlePhase(newId(), card.id(), merchant.id(), 2_000, TransferCode.PURCHASE, ""))));
        assertEquals(List.of(CREATED), one.results());
        assertEquals(java.util.Map.of(card.id(), balance(db, card.id())), one.cardBalances(), "only the card: the merchant keeps no row");
        assertEquals(8_000, one.cardBalances().get(card.id()).available());

        Ledger.Applied two = tx(db, c -> LEDGER.applyTransfers(c, List.of(
                Transfer.singlePhase(newId(), card.id(), merchant.id(), 1_000, TransferCode.PURCHASE, ""),
                Transfer.singlePhase(newId(), card.id(), merchant.id(), 500, TransferCode.PURCHASE, ""))));
        assertEquals(6_500, two.cardBalances().get(card.id()).available());
        assertEquals(balance(db, card.id()), two.cardBalances().get(card.id()));

        Ledger.Applied refused = tx(db, c -> LEDGER.applyTransfers(c, List.of(
                Transfer.singlePhase(newId(), card.id(), merchant.id(), 6_501, TransferCode.PURCHASE, ""))));
        assertEquals(List.of(EXCEEDS_CREDITS), refused.results());
        assertTrue(refused.cardBalances().isEmpty());
        assertEquals(6_500, balance(db, card.id()).available());
    }

    @Test
    void guardRejectsADebitPastTheCreditsAndAppliesNothing() {
        Account card = loadedCard(db, "KRW", 1_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        TransferId id = newId();

        assertEquals(EXCEEDS_CREDITS, transfer(db, Transfer.singlePhase(id, card.id(), merchant.id(), 1_001, TransferCode.PURCHASE, "")));

        assertEquals(new Balance(card.id(), "KRW", 0, 1_000, 0, 0), balance(db, card.id()));
        assertEquals(0, balance(db, merchant.id()).creditsPosted());
        assertTrue(tx(db, c -> LEDGER.findTransfer(c, id)).isEmpty(), "a failed transfer is not stored");
        // exactly the balance is allowed: the guard is debits ≤ credits, not <
        assertEquals(CREATED, transfer(db, Transfer.singlePhase(newId(), card.id(), merchant.id(), 1_000, TransferCode.PURCHASE, "")));
        assertEquals(0, balance(db, card.id()).available());
    }

    @Test
    void guardCountsHeldMoney() {
        Account card = loadedCard(db, "KRW", 1_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        assertEquals(CREATED, transfer(db, Transfer.pending(newId(), card.id(), merchant.id(), 600, TransferCode.AUTHORIZATION, "")));

        assertEquals(EXCEEDS_CREDITS, transfer(db, Transfer.singlePhase(newId(), card.id(), merchant.id(), 401, TransferCode.PURCHASE, "")));
        assertEquals(EXCEEDS_CREDITS, transfer(db, Transfer.pending(newId(), card.id(), merchant.id(), 401, TransferCode.AUTHORIZATION, "")));
        assertEquals(CREATED, transfer(db, Transfer.singlePhase(newId(), card.id(), merchant.id(), 400, TransferCode.PURCHASE, "")));
    }

    @Test
    void replayIsExistsAndMovesNothing() {
        Account card = loadedCard(db, "KRW", 10_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer purchase = Transfer.singlePhase(newId(), card.id(), merchant.id(), 2_000, TransferCode.PURCHASE, "stan 1");

        assertEquals(CREATED, transfer(db, purchase));
        assertEquals(EXISTS, transfer(db, purchase));
        assertEquals(EXISTS, transfer(db, purchase));

        assertEquals(8_000, balance(db, card.id()).available());
        assertEquals(2_000, balance(db, merchant.id()).posted());
    }

    @Test
    void replayIsExistsEvenWhenTheCardCouldNotPayItNow() {
        Account card = loadedCard(db, "KRW", 2_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer purchase = Transfer.singlePhase(newId(), card.id(), merchant.id(), 2_000, TransferCode.PURCHASE, "");
        assertEquals(CREATED, transfer(db, purchase));

        assertEquals(EXISTS, transfer(db, purchase), "a retried request must get its first answer, not EXCEEDS_CREDITS");
        assertEquals(0, balance(db, card.id()).available());
    }

    @Test
    void sameIdWithOtherFieldsIsRejectedAndMovesNothing() {
        Account card = loadedCard(db, "KRW", 10_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        TransferId id = newId();
        assertEquals(CREATED, transfer(db, Transfer.singlePhase(id, card.id(), merchant.id(), 2_000, TransferCode.PURCHASE, "a")));

        assertEquals(EXISTS_WITH_DIFFERENT_FIELDS, transfer(db, Transfer.singlePhase(id, card.id(), merchant.id(), 2_001, TransferCode.PURCHASE, "a")));
        assertEquals(EXISTS_WITH_DIFFERENT_FIELDS, transfer(db, Transfer.singlePhase(id, card.id(), merchant.id(), 2_000, TransferCode.PURCHASE, "b")));
        assertEquals(EXISTS_WITH_DIFFERENT_FIELDS, transfer(db, Transfer.pending(id, card.id(), merchant.id(), 2_000, TransferCode.PURCHASE, "a")));

        assertEquals(8_000, balance(db, card.id()).available());
    }

    @Test
    void malformedTransfersHaveTheirOwnCause() {
        Account card = loadedCard(db, "KRW", 10_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Account dollars = open(db, AccountKind.MERCHANT_PAYABLE, "USD");
        long missing = Long.MAX_VALUE;

        assertEquals(AMOUNT_MUST_NOT_BE_ZERO, transfer(db, Transfer.singlePhase(newId(), card.id(), merchant.id(), 0, TransferCode.PURCHASE, "")));
        assertEquals(AMOUNT_MUST_NOT_BE_ZERO, transfer(db, Transfer.pending(newId(), card.id(), merchant.id(), 0, TransferCode.AUTHORIZATION, "")));
        assertEquals(ACCOUNTS_MUST_BE_DIFFERENT, transfer(db, Transfer.singlePhase(newId(), card.id(), card.id(), 1, TransferCode.ADJUSTMENT, "")));
        assertEquals(DEBIT_ACCOUNT_NOT_FOUND, transfer(db, Transfer.singlePhase(newId(), missing, merchant.id(), 1, TransferCode.PURCHASE, "")));
        assertEquals(CREDIT_ACCOUNT_NOT_FOUND, transfer(db, Transfer.singlePhase(newId(), card.id(), missing, 1, TransferCode.PURCHASE, "")));
        assertEquals(CURRENCIES_MUST_BE_EQUAL, transfer(db, Transfer.singlePhase(newId(), card.id(), dollars.id(), 1, TransferCode.PURCHASE, "")));

        assertEquals(10_000, balance(db, card.id()).available());
    }

    @Test
    void hotAccountsAreNotGuarded() {
        Account funding = open(db, AccountKind.FUNDING_CLEARING, "USD");
        Account card = open(db, AccountKind.CARD_PREPAID, "USD");

        assertEquals(CREATED, transfer(db, Transfer.singlePhase(newId(), funding.id(), card.id(), 5_00, TransferCode.LOAD, "")));

        assertEquals(-5_00, balance(db, funding.id()).posted(), "funding clearing is debited past zero by every load");
        assertEquals(5_00, balance(db, card.id()).posted());
    }

    @Test
    void batchIsAppliedWholeWithResultsInOrder() {
        Account card = loadedCard(db, "KRW", 10_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Account recovery = open(db, AccountKind.RECOVERY, "KRW");
        Transfer first = Transfer.singlePhase(newId(), card.id(), merchant.id(), 10_000, TransferCode.ADVICE, "");
        Transfer second = Transfer.singlePhase(newId(), recovery.id(), merchant.id(), 2_500, TransferCode.ADVICE_SHORTFALL, "");

        assertEquals(List.of(CREATED, CREATED), batch(db, first, second));
        assertEquals(List.of(EXISTS, EXISTS), batch(db, first, second));

        assertEquals(12_500, balance(db, merchant.id()).posted());
        assertEquals(0, balance(db, card.id()).available());
    }

    @Test
    void failingTransferUndoesTheWholeBatch() {
        Account card = loadedCard(db, "KRW", 10_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer first = Transfer.singlePhase(newId(), card.id(), merchant.id(), 6_000, TransferCode.PURCHASE, "");
        Transfer second = Transfer.singlePhase(newId(), card.id(), merchant.id(), 6_000, TransferCode.PURCHASE, "");
        Transfer third = Transfer.singlePhase(newId(), card.id(), merchant.id(), 1, TransferCode.PURCHASE, "");

        assertEquals(List.of(LINKED_EVENT_FAILED, EXCEEDS_CREDITS, LINKED_EVENT_FAILED), batch(db, first, second, third));

        assertEquals(new Balance(card.id(), "KRW", 0, 10_000, 0, 0), balance(db, card.id()));
        assertEquals(0, balance(db, merchant.id()).creditsPosted());
        assertTrue(tx(db, c -> LEDGER.findTransfer(c, first.id())).isEmpty(), "the first transfer was undone");
        // the undone transfer's id is free: it can be submitted again
        assertEquals(CREATED, transfer(db, first));
    }

    @Test
    void failedBatchLeavesTheCallersTransactionAndEarlierBatchesAlone() {
        Account card = loadedCard(db, "KRW", 10_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer earlier = Transfer.singlePhase(newId(), card.id(), merchant.id(), 4_000, TransferCode.PURCHASE, "");
        Transfer tooMuch = Transfer.singlePhase(newId(), card.id(), merchant.id(), 7_000, TransferCode.PURCHASE, "");

        List<TransferResult> second = tx(db, c -> {
            assertEquals(List.of(CREATED), LEDGER.createTransfers(c, List.of(earlier)));
            List<TransferResult> results = LEDGER.createTransfers(c, List.of(tooMuch));
            assertFalse(c.getAutoCommit());
            assertEquals(6_000, LEDGER.balance(c, card.id()).available(), "the earlier batch is still there, in the same transaction");
            return results;
        });

        assertEquals(List.of(EXCEEDS_CREDITS), second);
        assertEquals(6_000, balance(db, card.id()).available(), "the caller committed the earlier batch");
        assertEquals(4_000, balance(db, merchant.id()).posted());
    }

    @Test
    void repeatedIdInOneBatchIsExists() {
        Account card = loadedCard(db, "KRW", 10_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer purchase = Transfer.singlePhase(newId(), card.id(), merchant.id(), 1_000, TransferCode.PURCHASE, "");

        assertEquals(List.of(CREATED, EXISTS), batch(db, purchase, purchase));
        assertEquals(9_000, balance(db, card.id()).available());
    }

    @Test
    void transfersBetweenTwoCardsGuardTheDebitedCard() {
        Account from = loadedCard(db, "KRW", 1_000);
        Account to = loadedCard(db, "KRW", 1);

        assertEquals(EXCEEDS_CREDITS, transfer(db, Transfer.singlePhase(newId(), from.id(), to.id(), 1_001, TransferCode.ADJUSTMENT, "")));
        assertEquals(CREATED, transfer(db, Transfer.singlePhase(newId(), from.id(), to.id(), 1_000, TransferCode.ADJUSTMENT, "")));
        assertEquals(0, balance(db, from.id()).available());
        assertEquals(1_001, balance(db, to.id()).available());
    }

    @Test
    void overflowThrowsAndUndoesTheBatch() throws Exception {
        long nearlyAll = Long.MAX_VALUE - 10;
        Account card = loadedCard(db, "USD", nearlyAll);
        Account funding = open(db, AccountKind.FUNDING_CLEARING, "USD");
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "USD");
        Transfer purchase = Transfer.singlePhase(newId(), card.id(), merchant.id(), 5, TransferCode.PURCHASE, "");
        Transfer load = Transfer.singlePhase(newId(), funding.id(), card.id(), 100, TransferCode.LOAD, "");

        try (Connection c = LedgerFixture.connection(db)) {
            assertThrows(ArithmeticException.class, () -> LEDGER.createTransfers(c, List.of(purchase, load)));
            assertEquals(nearlyAll, LEDGER.balance(c, card.id()).available(), "the purchase was undone with the batch");
            assertTrue(LEDGER.findTransfer(c, purchase.id()).isEmpty());
            assertTrue(LEDGER.findTransfer(c, load.id()).isEmpty());
            c.commit();
        }
        assertEquals(0, balance(db, merchant.id()).posted());
    }

    @Test
    void programmerErrorsThrow() throws Exception {
        Account card = loadedCard(db, "KRW", 1_000);
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        Transfer t = Transfer.singlePhase(newId(), card.id(), merchant.id(), 1, TransferCode.PURCHASE, "x".repeat(256));
        assertThrows(IllegalArgumentException.class, () -> tx(db, c -> LEDGER.createTransfers(c, List.of(t))));
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(true);
            Transfer ok = Transfer.singlePhase(newId(), card.id(), merchant.id(), 1, TransferCode.PURCHASE, "");
            assertThrows(IllegalArgumentException.class, () -> LEDGER.createTransfers(c, List.of(ok)),
                    "without a caller's transaction there is nothing to be atomic in");
            c.setAutoCommit(false);
        }
        assertThrows(IllegalArgumentException.class, () -> tx(db, c -> LEDGER.balance(c, Long.MAX_VALUE)));
        assertEquals(List.of(), tx(db, c -> LEDGER.createTransfers(c, List.of())));
        assertEquals(1_000, balance(db, card.id()).available());
    }
}
