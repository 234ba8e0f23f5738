// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

import static org.anonpay.ledger.TransferResult.CREATED;
import static org.anonpay.ledger.TransferResult.EXCEEDS_CREDITS;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The transfers of many independent requests (a batch of authorizations), decided one after the
 * other in memory and written together: the batch-form of {@link Ledger#applyTransfers}.
 * <p>{@link Ledger#openGroup} locks the rows of every card account the group may touch with one
 * statement (ascending id, as every batch does); hot accounts (merchants, operator) are read when
 * a transfer first names them and never locked. {@link #add} then checks one transfer against the
 * locked totals as they stand after the transfers added before it, so a card's second transfer of
 * the group sees its first one; a refused transfer is only refused, it undoes nothing of the
 * others (unlike a batch, whose transfers are linked). {@link #write} appends every accepted
 * transfer with one multi-row statement and writes the changed card totals with one more. Nothing
 * is written before {@code write}; the caller commits or rolls back as with every ledger call.
 * <p>Only transfers that move new money (SINGLE_PHASE, PENDING) may be added: posting or voiding
 * a hold locks the hold, which {@link Ledger#applyTransfers} does. A transfer id that exists already
 * is found as it is by {@code applyTransfers} when a check refuses the transfer; one that passes the
 * checks but exists makes {@link #write} fail on the primary key (IllegalStateException): the caller
 * rolls back and applies its transfers one by one, which tells EXISTS. Not thread-safe: one caller.
 */
public final class TransferGroup {

    private final Connection c;
    /** Null: accounts are read from the database. */
    private final AccountCache cache;
    private final Map<Long, Account> accounts;
    /** The locked card totals, with every accepted transfer added. */
    private final Map<Long, Totals> cardTotals;
    private final Map<Long, Totals> changed = new HashMap<>();
    private final Map<TransferId, Transfer> accepted = new LinkedHashMap<>();
    private boolean written;

    private TransferGroup(Connection c, AccountCache cache, Map<Long, Account> accounts, Map<Long, Totals> cardTotals) {
        this.c = c;
        this.cache = cache;
        this.accounts = accounts;
        this.cardTotals = cardTotals;
    }

    static TransferGroup open(Connection c, AccountCache cache, Collection<Long> accountIds) throws SQLException {
        Sql.requireOpenTransaction(c);
        SortedSet<Long> ids = new TreeSet<>(accountIds);
        Map<Long, Account> accounts = cache == null ? AccountStore.findAll(c, ids) : cache.findAll(c, ids);
        SortedSet<Long> cardIds = new TreeSet<>();
        for (Account a : accounts.values()) if (a.kind().keepsBalanceRow()) cardIds.add(a.id());
        return new TransferGroup(c, cache, new HashMap<>(accounts), new HashMap<>(AccountStore.lockTotalsAll(c, cardIds)));
    }

    /**
     * Checks {@code t} against the totals as the transfers added so far left them and, if it
     * passes, counts it in: CREATED (written by {@link #write}), or why not.
     *
     * @throws IllegalArgumentException for a post or void, an account the group was not opened
     *         with, or a call after {@link #write} (programmer errors)
     */
    public TransferResult add(Transfer t) {
        requireAddable(t);
        Transfer earlier = accepted.get(t.id());
        if (earlier != null) return Batch.existsResult(earlier, t); // a request named twice in one group
        return Sql.run("TransferGroup.add", () -> {
            readAccounts(t);
            TransferResult result = check(t);
            if (result.ok()) {
                accept(t);
                return CREATED;
            }
            Optional<StoredTransfer> stored = TransferStore.find(c, t.id(), TransferStore.Lock.SHARED);
            return stored.isPresent() ? Batch.existsResult(stored.get(), t) : result;
        });
    }

    /** The balance of a card account of the group with the transfers added so far. */
    public Balance balance(long cardAccountId) {
        Totals totals = cardTotals.get(cardAccountId);
        if (totals == null) throw new IllegalArgumentException("ledger: account " + cardAccountId + " is no card account of this group");
        return totals.balance(cardAccountId, accounts.get(cardAccountId).currency());
    }

    /** Appends the accepted transfers (one statement) and writes the changed card totals (one more). */
    public void write() {
        if (written) throw new IllegalStateException("ledger: the group is written already");
        written = true;
        if (accepted.isEmpty()) return;
        Sql.run("TransferGroup.write", () -> {
            TransferStore.insertAll(c, List.copyOf(accepted.values()));
            AccountStore.writeTotalsAll(c, changed);
            return null;
        });
    }

    private void requireAddable(Transfer t) {
        if (written) throw new IllegalArgumentException("ledger: the group is written already");
        if (t.kind() != TransferKind.SINGLE_PHASE && t.kind() != TransferKind.PENDING) {
            throw new IllegalArgumentException("ledger: a group takes new transfers only, not " + t.kind());
        }
        Ledger.requireWellFormed(List.of(t));
    }

    /**
     * Hot accounts (merchants, operator) need not be named at open: they are never locked. A card
     * account must have been: locking it now could break the ascending order of the group's locks.
     */
    private void readAccounts(Transfer t) throws SQLException {
        List<Long> unknown = new ArrayList<>(2);
        for (long id : List.of(t.debitAccountId(), t.creditAccountId())) if (!accounts.containsKey(id)) unknown.add(id);
        if (unknown.isEmpty()) return;
        Map<Long, Account> read = cache == null ? AccountStore.findAll(c, unknown) : cache.findAll(c, unknown);
        for (Account a : read.values()) {
            if (a.kind().keepsBalanceRow()) {
                throw new IllegalArgumentException("ledger: card account " + a.id() + " was not named when the group was opened");
            }
            accounts.put(a.id(), a);
        }
    }

    private TransferResult check(Transfer t) {
        TransferResult invalid = Batch.invalidFields(t);
        if (invalid != null) return invalid;
        Account debit = accounts.get(t.debitAccountId());
        invalid = Batch.invalidAccounts(debit, accounts.get(t.creditAccountId()));
        if (invalid != null) return invalid;
        if (debit.kind().keepsBalanceRow() && t.amount() > cardTotals.get(debit.id()).available()) return EXCEEDS_CREDITS;
        return CREATED;
    }

    /** Both new totals are computed before either is kept: an overflow (ArithmeticException) changes nothing. */
    private void accept(Transfer t) {
        Map<Long, Totals> updated = new HashMap<>(2);
        addToRow(updated, t.debitAccountId(), Totals.debitDelta(t.kind(), t.amount(), 0));
        addToRow(updated, t.creditAccountId(), Totals.creditDelta(t.kind(), t.amount(), 0));
        cardTotals.putAll(updated);
        changed.putAll(updated);
        accepted.put(t.id(), t);
    }

    private void addToRow(Map<Long, Totals> updated, long accountId, Totals delta) {
        if (!accounts.get(accountId).kind().keepsBalanceRow()) return;
        Totals totals = cardTotals.get(accountId).plus(delta);
        assert totals.available() >= 0 : "balance guard broken on account " + accountId + ": " + totals;
        updated.put(accountId, totals);
    }
}
