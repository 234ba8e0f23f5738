// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

import static org.anonpay.ledger.TransferResult.ACCOUNTS_MUST_BE_DIFFERENT;
import static org.anonpay.ledger.TransferResult.AMOUNT_MUST_NOT_BE_ZERO;
import static org.anonpay.ledger.TransferResult.CREATED;
import static org.anonpay.ledger.TransferResult.CREDIT_ACCOUNT_NOT_FOUND;
import static org.anonpay.ledger.TransferResult.CURRENCIES_MUST_BE_EQUAL;
import static org.anonpay.ledger.TransferResult.DEBIT_ACCOUNT_NOT_FOUND;
import static org.anonpay.ledger.TransferResult.EXCEEDS_CREDITS;
import static org.anonpay.ledger.TransferResult.EXCEEDS_PENDING_TRANSFER_AMOUNT;
import static org.anonpay.ledger.TransferResult.EXISTS;
import static org.anonpay.ledger.TransferResult.EXISTS_WITH_DIFFERENT_FIELDS;
import static org.anonpay.ledger.TransferResult.LINKED_EVENT_FAILED;
import static org.anonpay.ledger.TransferResult.PENDING_TRANSFER_ALREADY_POSTED;
import static org.anonpay.ledger.TransferResult.PENDING_TRANSFER_ALREADY_VOIDED;
import static org.anonpay.ledger.TransferResult.PENDING_TRANSFER_HAS_DIFFERENT_ACCOUNTS;
import static org.anonpay.ledger.TransferResult.PENDING_TRANSFER_NOT_FOUND;
import static org.anonpay.ledger.TransferResult.PENDING_TRANSFER_NOT_PENDING;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.anonpay.ledger.StoredTransfer.PendingState;
import org.anonpay.ledger.TransferStore.Lock;

/**
 * One call of {@link Ledger#createTransfers}: applies the transfers in order and stops at the
 * first that fails. The savepoint around it belongs to the Ledger; a Batch only writes.
 *
 * <p>Locks are taken before the first write, each kind in ascending order: the rows of the
 * batch's card accounts, then the PENDING transfers it posts or voids. Two batches that touch
 * the same cards or holds therefore wait for each other instead of deadlocking. Hot accounts are
 * read without a lock (their kind and currency never change) and never written.
 */
final class Batch {

    private final Connection c;
    /** Null: the accounts are read from the database. */
    private final AccountCache accountCache;
    private final List<Transfer> transfers;
    private Map<Long, Account> accounts = Map.of();
    /** The totals of the card rows this batch locked, kept up to date with what it wrote. */
    private final Map<Long, Totals> cardTotals = new HashMap<>();
    /** The PENDING transfers this batch locked and has not resolved yet, as read under the lock. */
    private final Map<TransferId, StoredTransfer> lockedPending = new HashMap<>();

    Batch(Connection c, AccountCache accountCache, List<Transfer> transfers) {
        this.c = c;
        this.accountCache = accountCache;
        this.transfers = transfers;
    }

    /** The result of every transfer, in order; if one is not ok, the caller must undo the batch. */
    List<TransferResult> apply() throws SQLException {
        accounts = accountCache == null ? AccountStore.findAll(c, accountIds()) : accountCache.findAll(c, accountIds());
        lockCardRows();
        lockPendingTransfers();
        List<TransferResult> results = new ArrayList<>(transfers.size());
        for (int i = 0; i < transfers.size(); i++) {
            TransferResult result = apply(transfers.get(i));
            if (!result.ok()) return failed(i, result);
            results.add(result);
        }
        return results;
    }

    /** The balances of the card rows this batch locked, with what it wrote. */
    Map<Long, Balance> cardBalances() {
        Map<Long, Balance> balances = new HashMap<>();
        cardTotals.forEach((id, totals) -> balances.put(id, totals.balance(id, accounts.get(id).currency())));
        return balances;
    }

    private SortedSet<Long> accountIds() {
        SortedSet<Long> ids = new TreeSet<>();
        for (Transfer t : transfers) {
            ids.add(t.debitAccountId());
            ids.add(t.creditAccountId());
        }
        return ids;
    }

    /** Ascending id, so that batches sharing cards lock them in one order. */
    private void lockCardRows() throws SQLException {
        for (long id : new TreeSet<>(accounts.keySet())) {
            if (accounts.get(id).kind().keepsBalanceRow()) cardTotals.put(id, AccountStore.lockTotals(c, id));
        }
    }

    /**
     * Ascending id (as the primary key orders them). A hold created by this batch does not exist
     * yet and is not locked here: its inserter owns it anyway.
     */
    private void lockPendingTransfers() throws SQLException {
        SortedSet<TransferId> ids = new TreeSet<>((a, b) -> Arrays.compareUnsigned(a.bytes(), b.bytes()));
        for (Transfer t : transfers) {
            if (t.pendingId() != null) ids.add(t.pendingId());
        }
        for (TransferId id : ids) TransferStore.find(c, id, Lock.EXCLUSIVE).ifPresent(p -> lockedPending.put(id, p));
    }

    /**
     * A transfer whose id is stored already is EXISTS (or EXISTS_WITH_DIFFERENT_FIELDS), whatever
     * the balances say now. That is looked up only when a check refuses the transfer (a replay of a
     * debit that emptied the card, of a post that resolved the hold…); a transfer that passes goes
     * straight to its insert, whose duplicate key tells the same. One statement fewer per transfer.
     */
    private TransferResult apply(Transfer t) throws SQLException {
        TransferResult invalid = invalidFields(t);
        if (invalid != null) return invalid;
        TransferResult result = check(t);
        if (result.ok()) return result;
        Optional<StoredTransfer> existing = TransferStore.find(c, t.id(), Lock.SHARED);
        return existing.isPresent() ? existsResult(existing.get(), t) : result;
    }

    private TransferResult check(Transfer t) throws SQLException {
        Account debit = accounts.get(t.debitAccountId());
        Account credit = accounts.get(t.creditAccountId());
        TransferResult invalid = invalidAccounts(debit, credit);
        if (invalid != null) return invalid;
        return switch (t.kind()) {
            case SINGLE_PHASE, PENDING -> applyNew(t, debit);
            case POST_PENDING, VOID_PENDING -> applyResolution(t);
        };
    }

    /** Null if a transfer may move money between these accounts (null: not found). */
    static TransferResult invalidAccounts(Account debit, Account credit) {
        if (debit == null) return DEBIT_ACCOUNT_NOT_FOUND;
        if (credit == null) return CREDIT_ACCOUNT_NOT_FOUND;
        if (!debit.currency().equals(credit.currency())) return CURRENCIES_MUST_BE_EQUAL;
        return null;
    }

    /** Checks that need no database; null if there is nothing wrong. */
    static TransferResult invalidFields(Transfer t) {
        if (t.debitAccountId() == t.creditAccountId()) return ACCOUNTS_MUST_BE_DIFFERENT;
        boolean moves = t.kind() == TransferKind.SINGLE_PHASE || t.kind() == TransferKind.PENDING;
        // a POST_PENDING of 0 is allowed: it releases the whole hold and records that nothing was posted
        if (moves && t.amount() == 0) return AMOUNT_MUST_NOT_BE_ZERO;
        return null;
    }

    /** The balance guard applies to new debits only; posting or voiding a hold never adds to debits. */
    private TransferResult applyNew(Transfer t, Account debit) throws SQLException {
        if (debit.kind().keepsBalanceRow() && t.amount() > cardTotals.get(debit.id()).available()) {
            return EXCEEDS_CREDITS;
        }
        return append(t, 0);
    }

    private TransferResult applyResolution(Transfer t) throws SQLException {
        // as locked above (nobody else can have changed it since); a hold this batch created or resolved
        // already is read again, with our own writes
        StoredTransfer locked = lockedPending.remove(t.pendingId());
        Optional<StoredTransfer> pending = locked != null ? Optional.of(locked) : TransferStore.find(c, t.pendingId(), Lock.EXCLUSIVE);
        if (pending.isEmpty()) return PENDING_TRANSFER_NOT_FOUND;
        TransferResult invalid = invalidResolution(t, pending.get());
        if (invalid != null) return invalid;
        TransferResult result = append(t, pending.get().amount());
        if (result == CREATED) {
            PendingState state = t.kind() == TransferKind.POST_PENDING ? PendingState.POSTED : PendingState.VOIDED;
            TransferStore.resolve(c, t.pendingId(), state);
        }
        return result;
    }

    /**
     * Null if {@code t} may post or void {@code pending}. A void's amount is not used (it releases
     * the whole hold) but, as a post's, may not exceed the hold.
     */
    static TransferResult invalidResolution(Transfer t, StoredTransfer pending) {
        if (pending.kind() != TransferKind.PENDING) return PENDING_TRANSFER_NOT_PENDING;
        if (pending.debitAccountId() != t.debitAccountId() || pending.creditAccountId() != t.creditAccountId()) {
            return PENDING_TRANSFER_HAS_DIFFERENT_ACCOUNTS;
        }
        if (pending.state() == PendingState.POSTED) return PENDING_TRANSFER_ALREADY_POSTED;
        if (pending.state() == PendingState.VOIDED) return PENDING_TRANSFER_ALREADY_VOIDED;
        if (t.amount() > pending.amount()) return EXCEEDS_PENDING_TRANSFER_AMOUNT;
        return null;
    }

    /** Appends {@code t} and adds it to its card rows; {@code heldAmount} is the hold it resolves. */
    private TransferResult append(Transfer t, long heldAmount) throws SQLException {
        if (!TransferStore.insert(c, t)) {
            // another transaction committed this id after our check: it is the one that moved the money
            return existsResult(TransferStore.find(c, t.id(), Lock.SHARED).orElseThrow(), t);
        }
        addToRow(t.debitAccountId(), Totals.debitDelta(t.kind(), t.amount(), heldAmount));
        addToRow(t.creditAccountId(), Totals.creditDelta(t.kind(), t.amount(), heldAmount));
        return CREATED;
    }

    /** Hot accounts are skipped: the appended transfer is their only record. */
    private void addToRow(long accountId, Totals delta) throws SQLException {
        if (!accounts.get(accountId).kind().keepsBalanceRow()) return;
        Totals updated = cardTotals.get(accountId).plus(delta);
        assert updated.available() >= 0 : "balance guard broken on account " + accountId + ": " + updated;
        AccountStore.writeTotals(c, accountId, updated);
        cardTotals.put(accountId, updated);
    }

    static TransferResult existsResult(StoredTransfer stored, Transfer t) {
        return existsResult(stored.transfer(), t);
    }

    static TransferResult existsResult(Transfer stored, Transfer t) {
        return stored.equals(t) ? EXISTS : EXISTS_WITH_DIFFERENT_FIELDS;
    }

    /** The failing transfer keeps its cause; every other one of the batch was not applied. */
    private List<TransferResult> failed(int index, TransferResult cause) {
        List<TransferResult> results = new ArrayList<>(Collections.nCopies(transfers.size(), LINKED_EVENT_FAILED));
        results.set(index, cause);
        return results;
    }
}
