// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The double-entry ledger: accounts, and transfers between them in the style of TigerBeetle
 * (caller-chosen 128-bit ids, pending transfers posted or voided once, every failure a named
 * {@link TransferResult}). Stateless and thread-safe: all state is in the database (a Ledger made by
 * {@link #cachingAccounts} only keeps the fixed columns of the accounts it has read), every method
 * works inside the caller's transaction on the caller's connection and never commits or rolls it
 * back (a refused batch leaves nothing behind), so that the switch can write ledger,
 * journal and card in one transaction per authorization.
 *
 * <h2>Hot path: why no authorization waits on a merchant</h2>
 * Only accounts whose balance must be guarded keep running totals in their {@code ledger_account}
 * row: {@link AccountKind#CARD_PREPAID}. A transfer locks those rows with SELECT … FOR UPDATE,
 * checks the guard (debits posted + debits pending + amount ≤ credits posted) on the locked
 * totals, appends to {@code ledger_transfer} and writes the new totals. Debits of one card are
 * thereby serialized, and a card can never be spent twice.
 * <p>Every other kind (merchant payable, funding clearing, settlement, suspense, recovery) is a
 * <em>hot</em> account: many terminals pay into one merchant at once, and all loads come from one
 * funding account. Those rows are never locked or updated by a transfer (not even by a foreign key
 * check: {@code ledger_transfer} has none). A transfer to a hot account is only an appended row,
 * and a hot account's balance is summed from its entries through the covering indexes
 * {@code (debit_account_id, kind, state, amount)} and {@code (credit_account_id, kind, state, amount)}.
 * Eight terminals paying at one merchant therefore contend only on their own cards' rows. The price
 * is that {@link #balance} of a hot account reads all of its entries; hot accounts need no guard,
 * so nothing on the authorization path asks for it.
 *
 * <h2>Locks and deadlocks</h2>
 * {@link #createTransfers} takes all its locks before its first write and in a fixed order: the
 * card rows of the batch in ascending id, then the PENDING transfers it resolves in ascending id;
 * {@link #openGroup} locks its card rows and holds in the same order, one statement for each kind.
 * Two batches (or groups) sharing cards wait for each other instead of deadlocking. A caller that
 * locks card rows itself (e.g. {@link #lockBalance}) before calling the ledger should also lock in
 * ascending id. The ledger expects READ COMMITTED (as {@code org.anonpay.db.Database} configures its
 * pool): under REPEATABLE READ InnoDB would add gap locks to the reads of not-yet-existing transfer
 * ids.
 *
 * <h2>Idempotency</h2>
 * The transfer id is the primary key of {@code ledger_transfer}. A transfer is first looked up
 * with a locking read, which waits for a concurrent uncommitted insert of the same id and then sees
 * it; if two transactions still both get past that check, the second insert waits for the first
 * and gets a duplicate key once it commits. Either way the second one ends EXISTS (or
 * EXISTS_WITH_DIFFERENT_FIELDS) and the money moves once.
 *
 * <h2>Errors</h2>
 * A transfer that cannot be applied is a {@link TransferResult}, never an exception. Programmer
 * errors (null arguments, autocommit on, malformed codes, unknown account ids given to
 * {@link #balance}) throw IllegalArgumentException. A database failure (including a deadlock
 * or lock wait timeout) throws IllegalStateException with the SQLException as cause, and a total
 * past {@code Long.MAX_VALUE} throws ArithmeticException rather than wrapping around. A batch of
 * two or more transfers has then been undone; a batch of one (which takes no savepoint, see
 * {@link #applyTransfers}) may have left part of its writes. Either way the caller must roll its
 * transaction back (after a deadlock InnoDB already has) and may retry it.
 */
public final class Ledger {

    /** ISO 4217 alpha codes: three upper-case letters. */
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    /** The width of {@code ledger_account.code}. */
    private static final int CODE_LENGTH_MAX = 128;
    /** The width of {@code ledger_transfer.reference}. */
    private static final int REFERENCE_LENGTH_MAX = 255;

    /** The accounts' fixed columns, read once ({@link AccountCache}); null: read by every transfer. */
    private final AccountCache accountCache;

    public Ledger() {
        this(null);
    }

    private Ledger(AccountCache accountCache) {
        this.accountCache = accountCache;
    }

    /**
     * A ledger that remembers the kind, code and currency of every account it has read (they never
     * change), so that a transfer between known accounts reads only the card totals it locks: one
     * statement fewer per transfer batch. Use one such Ledger per database, never one across
     * databases (the cache is keyed by account id alone).
     */
    public static Ledger cachingAccounts() {
        return new Ledger(new AccountCache());
    }

    /**
     * Opens the account with this unique code, or returns the existing one (idempotent; kind/currency
     * must match, else IllegalArgumentException). currency: ISO 4217 alpha code, e.g. "KRW", "USD".
     * Two transactions opening the same code at once both get the one account.
     */
    public Account openAccount(Connection c, AccountKind kind, String code, String currency) {
        Objects.requireNonNull(kind, "kind");
        requireCode(code);
        requireCurrency(currency);
        Account account = Sql.run("openAccount", () -> findOrInsert(c, kind, code, currency));
        if (account.kind() != kind || !account.currency().equals(currency)) {
            throw new IllegalArgumentException("ledger: account " + code + " exists as " + account.kind()
                    + " in " + account.currency() + ", not " + kind + " in " + currency);
        }
        return account;
    }

    public Optional<Account> findAccount(Connection c, String code) {
        Objects.requireNonNull(code, "code");
        return Sql.run("findAccount", () -> AccountStore.findByCode(c, code, false));
    }

    public Optional<Account> findAccount(Connection c, long accountId) {
        return Sql.run("findAccount", () -> AccountStore.findById(c, accountId));
    }

    /**
     * Applies the batch atomically inside the caller's open transaction (the caller commits): either
     * every transfer is CREATED/EXISTS, or nothing of the batch is applied and the failing one has
     * its cause while the others are LINKED_EVENT_FAILED. Results are in the batch's order.
     * <p>A savepoint makes the batch all-or-nothing without touching the rest of the caller's
     * transaction. Row locks taken by a batch that failed stay until the caller's transaction ends
     * (InnoDB keeps them across a rollback to a savepoint).
     */
    public List<TransferResult> createTransfers(Connection c, List<Transfer> transfers) {
        return applyTransfers(c, transfers).results();
    }

    /**
     * What {@link #applyTransfers} did: the result of every transfer, and, when all were applied,
     * the balance after the batch of every card account it touched (so that the caller need not
     * read them again); empty when the batch was not applied.
     */
    public record Applied(List<TransferResult> results, java.util.Map<Long, Balance> cardBalances) {
        public Applied {
            results = List.copyOf(results);
            cardBalances = java.util.Map.copyOf(cardBalances);
        }
    }

    /**
     * As {@link #createTransfers}, and also returns the card balances after the batch.
     * <p>A batch of one transfer takes no savepoint: every refusal of a single transfer is found
     * before it writes anything, so there is nothing to undo; only a database failure in the middle
     * of its writes could leave part of it, and after that the caller rolls back anyway (see the
     * class comment). Two round trips fewer on every authorization.
     */
    public Applied applyTransfers(Connection c, List<Transfer> transfers) {
        Objects.requireNonNull(c, "connection");
        requireWellFormed(transfers);
        if (transfers.isEmpty()) return new Applied(List.of(), java.util.Map.of());
        return Sql.run("createTransfers", () -> {
            Sql.requireOpenTransaction(c);
            if (transfers.size() == 1) return applyOne(c, transfers);
            Savepoint savepoint = c.setSavepoint();
            Applied applied = applyOrUndo(c, savepoint, transfers);
            c.releaseSavepoint(savepoint);
            return applied;
        });
    }

    private Applied applyOne(Connection c, List<Transfer> transfers) throws SQLException {
        Batch batch = new Batch(c, accountCache, transfers);
        List<TransferResult> results = batch.apply();
        return new Applied(results, results.getFirst().ok() ? batch.cardBalances() : java.util.Map.of());
    }

    /**
     * Opens a {@link TransferGroup} over these accounts inside the caller's open transaction: the
     * card rows among them are locked now (one statement, ascending id) until the transaction ends.
     * For many independent requests decided together (the switch's batch of authorizations). A
     * group opened so posts or voids no hold: name them with
     * {@link #openGroup(Connection, java.util.Collection, java.util.Collection)}.
     */
    public TransferGroup openGroup(Connection c, java.util.Collection<Long> accountIds) {
        return openGroup(c, accountIds, List.of());
    }

    /**
     * As {@link #openGroup(Connection, java.util.Collection)}, and the group may post or void the
     * holds (PENDING transfers) named by {@code pendingIds}: after the card rows, they are locked
     * too (one more statement, ascending id; none if the list is empty) until the transaction ends,
     * the order in which {@link #createTransfers} locks them, so groups and batches never deadlock.
     * An id not found locks nothing; its post or void is PENDING_TRANSFER_NOT_FOUND. The card
     * accounts of the holds must be among {@code accountIds} as for every transfer of the group.
     * A posted transfer may be named too (locked the same way, read by {@link TransferGroup#pending}):
     * a reversal reads the accounts and amount of the transfer it mirrors.
     */
    public TransferGroup openGroup(Connection c, java.util.Collection<Long> accountIds, java.util.Collection<TransferId> pendingIds) {
        Objects.requireNonNull(c, "connection");
        if (accountIds.isEmpty()) throw new IllegalArgumentException("ledger: a group names at least one account");
        for (TransferId id : pendingIds) Objects.requireNonNull(id, "pending id");
        return Sql.run("openGroup", () -> TransferGroup.open(c, accountCache, accountIds, pendingIds));
    }

    /** Current balance of any account (summed for hot accounts). */
    public Balance balance(Connection c, long accountId) {
        return Sql.run("balance", () -> {
            Account account = requireAccount(c, accountId);
            Totals totals = account.kind().keepsBalanceRow()
                    ? AccountStore.readTotals(c, accountId)
                    : Sums.hotAccount(c, accountId);
            return totals.balance(accountId, account.currency());
        });
    }

    /**
     * Locks a CARD_PREPAID account row (SELECT ... FOR UPDATE) until the caller's transaction ends
     * and returns its balance; callers use it e.g. to compute how much of a stand-in advice the card
     * can cover. Hot accounts have no row to lock: IllegalArgumentException.
     */
    public Balance lockBalance(Connection c, long accountId) {
        return Sql.run("lockBalance", () -> {
            Sql.requireOpenTransaction(c);
            Account account = requireAccount(c, accountId);
            if (!account.kind().keepsBalanceRow()) {
                throw new IllegalArgumentException("ledger: " + account.kind() + " account " + accountId
                        + " is hot: it keeps no balance row to lock");
            }
            return AccountStore.lockTotals(c, accountId).balance(accountId, account.currency());
        });
    }

    public Optional<StoredTransfer> findTransfer(Connection c, TransferId id) {
        Objects.requireNonNull(id, "id");
        return Sql.run("findTransfer", () -> TransferStore.find(c, id, TransferStore.Lock.NONE));
    }

    /**
     * Sums over ALL accounts per currency, ordered by currency: debits posted, credits posted,
     * debits pending, credits pending. The invariant checked by tests and ops: debitsPosted ==
     * creditsPosted and debitsPending == creditsPending, for every currency.
     * <p>Card accounts count with their row totals, hot accounts with sums of their transfers, all
     * in one statement (one snapshot): exact, and a disagreement between card rows and the
     * transfers shows as an imbalance. It reads every transfer: an ops query, not for the hot path.
     */
    public List<TrialBalance> trialBalance(Connection c) {
        return Sql.run("trialBalance", () -> Sums.trialBalance(c));
    }

    private static Account findOrInsert(Connection c, AccountKind kind, String code, String currency) throws SQLException {
        Optional<Account> existing = AccountStore.findByCode(c, code, false);
        if (existing.isPresent()) return existing.get();
        Optional<Account> inserted = AccountStore.insert(c, kind, code, currency);
        if (inserted.isPresent()) return inserted.get();
        // opened by a transaction that committed after our first look: a locking read sees it
        return AccountStore.findByCode(c, code, true).orElseThrow(
                () -> new IllegalStateException("ledger: account " + code + " is a duplicate but cannot be read"));
    }

    /** Applies the batch; on a failed transfer or an exception, undoes it back to {@code savepoint}. */
    private Applied applyOrUndo(Connection c, Savepoint savepoint, List<Transfer> transfers)
            throws SQLException {
        try {
            Batch batch = new Batch(c, accountCache, transfers);
            List<TransferResult> results = batch.apply();
            if (results.stream().allMatch(TransferResult::ok)) return new Applied(results, batch.cardBalances());
            c.rollback(savepoint);
            return new Applied(results, java.util.Map.of());
        } catch (SQLException | RuntimeException | Error e) {
            undoQuietly(c, savepoint, e);
            throw e;
        }
    }

    /**
     * After a deadlock InnoDB has already rolled back the whole transaction and the savepoint is
     * gone; the original exception is what the caller must see.
     */
    private static void undoQuietly(Connection c, Savepoint savepoint, Throwable cause) {
        try {
            c.rollback(savepoint);
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static Account requireAccount(Connection c, long accountId) throws SQLException {
        return AccountStore.findById(c, accountId)
                .orElseThrow(() -> new IllegalArgumentException("ledger: no account " + accountId));
    }

    private static void requireCode(String code) {
        Objects.requireNonNull(code, "code");
        if (code.isBlank() || code.codePointCount(0, code.length()) > CODE_LENGTH_MAX) {
            throw new IllegalArgumentException("ledger: account code must be 1.." + CODE_LENGTH_MAX + " characters: " + code);
        }
        // MySQL's collations ignore trailing spaces when comparing: "a " would find the account "a"
        if (!code.strip().equals(code)) {
            throw new IllegalArgumentException("ledger: account code must not start or end with white space: '" + code + "'");
        }
    }

    private static void requireCurrency(String currency) {
        Objects.requireNonNull(currency, "currency");
        if (!CURRENCY.matcher(currency).matches()) {
            throw new IllegalArgumentException("ledger: currency must be an ISO 4217 alpha code: " + currency);
        }
    }

    /** Checked before the first write, so that a malformed batch changes nothing. */
    static void requireWellFormed(List<Transfer> transfers) {
        Objects.requireNonNull(transfers, "transfers");
        for (Transfer t : transfers) {
            Objects.requireNonNull(t, "transfer");
            String reference = t.reference();
            if (reference.codePointCount(0, reference.length()) > REFERENCE_LENGTH_MAX) {
                throw new IllegalArgumentException("ledger: reference longer than " + REFERENCE_LENGTH_MAX + " characters: " + t.id());
            }
        }
    }
}
