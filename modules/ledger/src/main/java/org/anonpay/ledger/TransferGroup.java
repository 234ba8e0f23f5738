// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

import static org.anonpay.ledger.TransferResult.CREATED;
import static org.anonpay.ledger.TransferResult.EXCEEDS_CREDITS;
import static org.anonpay.ledger.TransferResult.PENDING_TRANSFER_NOT_FOUND;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.anonpay.ledger.StoredTransfer.PendingState;

/**
 * The transfers of many independent requests (a batch of authorizations), decided one after the
 * other in memory and written together: the batch-form of {@link Ledger#applyTransfers}.
 * <p>{@link Ledger#openGroup} locks the rows of every card account the group may touch with one
 * statement (ascending id, as every batch does), then the holds (PENDING transfers) it may post or
 * void with one more (ascending id, after the card rows: a batch's order, so that groups and batches
 * wait for each other instead of deadlocking); hot accounts (merchants, operator) are read when a
 * transfer first names them and never locked. {@link #add} then checks one transfer against the
 * locked totals and holds as they stand after the transfers added before it, so a card's second
 * transfer of the group sees its first one, and a purchase added after the post of a hold can spend
 * what the post released; a refused transfer is only refused, it undoes nothing of the others
 * (unlike a batch, whose transfers are linked). {@link #write} appends every accepted transfer with
 * one multi-row statement, writes the changed card totals with one more, and moves the holds posted
 * or voided in the group to POSTED or VOIDED with a third. Nothing is written before {@code write};
 * the caller commits or rolls back as with every ledger call.
 * <p>A post or void (POST_PENDING, VOID_PENDING) must name a hold named at open; it is checked
 * against the hold as locked then ({@link #pending}) and as the group's own posts and voids left it,
 * so the second post or void of one hold in a group is refused as the second one by one would be.
 * A hold that was not stored at open (one added to the same group, too) is PENDING_TRANSFER_NOT_FOUND:
 * it is posted in a later group or one by one. A transfer id that exists already is found as it is by
 * {@code applyTransfers} when a check refuses the transfer (a replayed post is refused by its resolved
 * hold); one that passes the checks but exists makes {@link #write} fail on the primary key
 * (IllegalStateException): the caller rolls back and applies its transfers one by one, which tells
 * EXISTS. Not thread-safe: one caller.
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
    /** The hold ids named at open: only these may be posted or voided (the others are not locked). */
    private final Set<TransferId> pendingIds;
    /** The named holds that were found, as read under their lock at open. */
    private final Map<TransferId, StoredTransfer> lockedPending;
    /** The holds posted or voided by accepted transfers, and their new state. */
    private final Map<TransferId, PendingState> resolved = new LinkedHashMap<>();
    private boolean written;

    private TransferGroup(Connection c, AccountCache cache, Map<Long, Account> accounts, Map<Long, Totals> cardTotals,
                          Set<TransferId> pendingIds, Map<TransferId, StoredTransfer> lockedPending) {
        this.c = c;
        this.cache = cache;
        this.accounts = accounts;
        this.cardTotals = cardTotals;
        this.pendingIds = pendingIds;
        this.lockedPending = lockedPending;
    }

    /** Card rows first, then holds, each kind in ascending id: the order of {@link Batch}. */
    static TransferGroup open(Connection c, AccountCache cache, Collection<Long> accountIds, Collection<TransferId> pendingIds)
            throws SQLException {
        Sql.requireOpenTransaction(c);
        SortedSet<Long> ids = new TreeSet<>(accountIds);
        Map<Long, Account> accounts = cache == null ? AccountStore.findAll(c, ids) : cache.findAll(c, ids);
        SortedSet<Long> cardIds = new TreeSet<>();
        for (Account a : accounts.values()) if (a.kind().keepsBalanceRow()) cardIds.add(a.id());
        Map<Long, Totals> cardTotals = new HashMap<>(AccountStore.lockTotalsAll(c, cardIds));
        SortedSet<TransferId> holds = new TreeSet<>(TransferStore.ID_ORDER);
        holds.addAll(pendingIds);
        return new TransferGroup(c, cache, new HashMap<>(accounts), cardTotals, Set.copyOf(holds), TransferStore.lockAll(c, holds));
    }

    /**
     * Checks {@code t} against the totals as the transfers added so far left them and, if it
     * passes, counts it in: CREATED (written by {@link #write}), or why not.
     *
     * @throws IllegalArgumentException for a card account or a hold the group was not opened with,
     *         or a call after {@link #write} (programmer errors)
     */
    public TransferResult add(Transfer t) {
        requireAddable(t);
        Transfer earlier = accepted.get(t.id());
        if (earlier != null) return Batch.existsResult(earlier, t); // a request named twice in one group
        return Sql.run("TransferGroup.add", () -> {
            readAccounts(t);
            TransferResult result = check(t);
            if (result.ok()) {
                accept(t, t.pendingId() == null ? 0 : lockedPending.get(t.pendingId()).amount());
                return CREATED;
            }
            Optional<StoredTransfer> stored = TransferStore.find(c, t.id(), TransferStore.Lock.SHARED);
            return stored.isPresent() ? Batch.existsResult(stored.get(), t) : result;
        });
    }

    /**
     * A transfer named at open, as read under its lock then (a post or void added since does not
     * change it): a hold's accounts and amount, to build its post or void, or a posted transfer's,
     * to build its mirror. Empty if it was not named or not found.
     */
    public Optional<StoredTransfer> pending(TransferId id) {
        return Optional.ofNullable(lockedPending.get(id));
    }

    /** The balance of a card account of the group with the transfers added so far. */
    public Balance balance(long cardAccountId) {
        Totals totals = cardTotals.get(cardAccountId);
        if (totals == null) throw new IllegalArgumentException("ledger: account " + cardAccountId + " is no card account of this group");
        return totals.balance(cardAccountId, accounts.get(cardAccountId).currency());
    }

    /**
     * Appends the accepted transfers (one statement), writes the changed card totals (one more) and
     * moves the holds posted or voided to POSTED or VOIDED (one more, if any).
     */
    public void write() {
        if (written) throw new IllegalStateException("ledger: the group is written already");
        written = true;
        if (accepted.isEmpty()) return;
        Sql.run("TransferGroup.write", () -> {
            TransferStore.insertAll(c, List.copyOf(accepted.values()));
            AccountStore.writeTotalsAll(c, changed);
            TransferStore.resolveAll(c, resolved);
            return null;
        });
    }

    /** A hold not named at open is not locked: resolving it now could break the order of the group's locks. */
    private void requireAddable(Transfer t) {
        if (written) throw new IllegalArgumentException("ledger: the group is written already");
        if (t.pendingId() != null && !pendingIds.contains(t.pendingId())) {
            throw new IllegalArgumentException("ledger: pending transfer " + t.pendingId() + " was not named when the group was opened");
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
        return switch (t.kind()) {
            case SINGLE_PHASE, PENDING -> checkNew(t, debit);
            case POST_PENDING, VOID_PENDING -> checkResolution(t);
        };
    }

    /** The balance guard applies to new debits only; posting or voiding a hold never adds to debits. */
    private TransferResult checkNew(Transfer t, Account debit) {
        if (debit.kind().keepsBalanceRow() && t.amount() > cardTotals.get(debit.id()).available()) return EXCEEDS_CREDITS;
        return CREATED;
    }

    private TransferResult checkResolution(Transfer t) {
        StoredTransfer pending = lockedPending.get(t.pendingId());
        if (pending == null) return PENDING_TRANSFER_NOT_FOUND;
        TransferResult invalid = Batch.invalidResolution(t, asResolvedHere(pending));
        return invalid != null ? invalid : CREATED;
    }

    /** The hold as this group left it: POSTED or VOIDED once a post or void of it was accepted. */
    private StoredTransfer asResolvedHere(StoredTransfer p) {
        PendingState state = resolved.get(p.id());
        if (state == null) return p;
        return new StoredTransfer(p.id(), p.kind(), p.debitAccountId(), p.creditAccountId(), p.amount(), p.pendingId(),
                p.code(), p.reference(), state, p.createdAt());
    }

    /**
     * {@code heldAmount} is the hold a post or void resolves (0 for new money): its release is what
     * the totals lose. Both new totals are computed before either is kept: an overflow
     * (ArithmeticException) changes nothing.
     */
    private void accept(Transfer t, long heldAmount) {
        Map<Long, Totals> updated = new HashMap<>(2);
        addToRow(updated, t.debitAccountId(), Totals.debitDelta(t.kind(), t.amount(), heldAmount));
        addToRow(updated, t.creditAccountId(), Totals.creditDelta(t.kind(), t.amount(), heldAmount));
        cardTotals.putAll(updated);
        changed.putAll(updated);
        accepted.put(t.id(), t);
        if (t.kind() == TransferKind.POST_PENDING) resolved.put(t.pendingId(), PendingState.POSTED);
        if (t.kind() == TransferKind.VOID_PENDING) resolved.put(t.pendingId(), PendingState.VOIDED);
    }

    private void addToRow(Map<Long, Totals> updated, long accountId, Totals delta) {
        if (!accounts.get(accountId).kind().keepsBalanceRow()) return;
        Totals totals = cardTotals.get(accountId).plus(delta);
        assert totals.available() >= 0 : "balance guard broken on account " + accountId + ": " + totals;
        updated.put(accountId, totals);
    }
}
