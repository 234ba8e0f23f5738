// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import java.time.LocalDate;
import java.util.Optional;
import org.hibernate.Session;

/** Queries over the authorization journal, inside the caller's transaction. */
public final class Journal {
    private Journal() {}

    /**
     * The entry of a message key, as a plain object: the journal's hot path is JDBC (issue 6), on
     * the session's connection, so inside the caller's transaction.
     */
    public static Optional<JournalEntry> find(Session session, MessageKey key) {
        return session.doReturningWork(c -> JournalStore.find(c, key));
    }

    /** The original a completion or reversal names, locked so two reversals cannot both undo it. */
    public static Optional<JournalEntry> lockOriginal(Session session, MessageKey key) {
        return session.doReturningWork(c -> JournalStore.lockOriginal(c, key));
    }

    /**
     * The batch form of {@link #lockOriginal}, on the batch's connection: the originals of these
     * keys, locked, by key (a key not journaled is absent); one statement.
     */
    public static java.util.Map<MessageKey, JournalEntry> lockOriginals(java.sql.Connection c, java.util.Collection<MessageKey> keys) {
        return batchCall("cannot lock the originals of " + keys.size() + " messages", () -> JournalStore.lockOriginals(c, keys));
    }

    /**
     * Journals a new entry and gives it its id. A racing repeat fails here, on the unique message
     * key, with a RuntimeException (Hibernate's ConstraintViolationException, as a flush did).
     */
    public static void write(Session session, JournalEntry entry) {
        session.doWork(c -> {
            JournalStore.insert(c, entry);
            writeDaySpending(c, day -> day.entered(entry));
        });
    }

    /**
     * The batch form of {@link #write}, on the batch's connection, and its last write to the journal:
     * one statement for all entries, each given its id, then {@code daySpending} with the entries'
     * spending added (the batch's completions and reversals recorded there already), one statement.
     * A taken message key fails all of them (a RuntimeException).
     */
    public static void writeAll(java.sql.Connection c, java.util.List<JournalEntry> entries, DaySpending daySpending) {
        batchCall("cannot journal a batch of " + entries.size(), () -> {
            if (!entries.isEmpty()) JournalStore.insertAll(c, entries);
            entries.forEach(daySpending::entered);
            daySpending.write(c);
            return null;
        });
    }

    /** The batch form of {@link #spentOn}: by card id, every card of {@code cardIds} (0 when nothing was spent). */
    public static java.util.Map<Long, Long> spentOnAll(java.sql.Connection c, java.util.SortedSet<Long> cardIds, LocalDate businessDate) {
        return batchCall("cannot read the day's spending of " + cardIds.size() + " cards", () -> DaySpending.read(c, cardIds, businessDate));
    }

    /** Marks an entry found here reversed, in the database and in the object, and takes it off its card's day's spending. */
    public static void markReversed(Session session, JournalEntry entry) {
        session.doWork(c -> {
            JournalStore.markReversed(c, entry.id());
            writeDaySpending(c, day -> day.changed(entry, entry::markReversed));
        });
    }

    /**
     * Marks an authorization found here completed for {@code amount}, in the database and in the
     * object; its card's day's spending counts {@code amount} instead of the hold from now on.
     */
    public static void markCompleted(Session session, JournalEntry entry, long amount) {
        session.doWork(c -> {
            JournalStore.markCompleted(c, entry.id(), amount);
            writeDaySpending(c, day -> day.changed(entry, () -> entry.markCompleted(amount)));
        });
    }

    /** One message's change to its card's day's spending, recorded by {@code record} and written at once. */
    private static void writeDaySpending(java.sql.Connection c, java.util.function.Consumer<DaySpending> record) throws java.sql.SQLException {
        DaySpending day = new DaySpending();
        record.accept(day);
        day.write(c);
    }

    /**
     * The batch form of {@link #markCompleted}: each authorization locked by {@link #lockOriginals}
     * (and already marked in its object through {@link DaySpending#changed} of the DaySpending the
     * batch then hands to {@link #writeAll}) completed for its amount, by entry id; one statement.
     */
    public static void markCompletedAll(java.sql.Connection c, java.util.Map<Long, Long> amountByEntryId) {
        batchCall("cannot mark " + amountByEntryId.size() + " authorizations completed", () -> {
            JournalStore.markCompletedAll(c, amountByEntryId);
            return null;
        });
    }

    /**
     * The batch form of {@link #markReversed}: each original locked by {@link #lockOriginals} (and
     * marked in its object through {@link DaySpending#changed}, as for {@link #markCompletedAll}); one statement.
     */
    public static void markReversedAll(java.sql.Connection c, java.util.List<Long> entryIds) {
        batchCall("cannot mark " + entryIds.size() + " originals reversed", () -> {
            JournalStore.markReversedAll(c, entryIds);
            return null;
        });
    }

    private interface BatchCall<T> {
        T run() throws java.sql.SQLException;
    }

    /**
     * A batch form's JDBC call on the batch's connection: a failure becomes an IllegalStateException
     * that says what failed (counts only: the SQLException names keys and ids, never card data), and
     * the batch falls back.
     */
    private static <T> T batchCall(String failure, BatchCall<T> call) {
        try {
            return call.run();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(failure, e);
        }
    }

    /**
     * Approved, unreversed spending on a card for one business date (for the daily limit). An
     * authorization counts with its held amount until a completion fixes the final amount.
     */
    public static long spentOn(Session session, long cardId, LocalDate businessDate) {
        return session.doReturningWork(c -> DaySpending.read(c, new java.util.TreeSet<>(java.util.Set.of(cardId)), businessDate).get(cardId));
    }

    /** The types a cardholder sees in the card's history: everything that moved or held money on it. */
    static final java.util.List<TransactionType> HISTORY_TYPES = java.util.List.of(TransactionType.AUTHORIZATION,
            TransactionType.AUTHORIZATION_ADVICE, TransactionType.PURCHASE, TransactionType.REFUND, TransactionType.LOAD,
            TransactionType.COMPLETION, TransactionType.REVERSAL);

    /**
     * The card's last {@code limit} journaled messages, approved and declined, newest first (for the
     * cardholder's history in the wallet). Balance inquiries are left out: they move nothing.
     */
    public static java.util.List<JournalEntry> history(Session session, long cardId, int limit) {
        if (limit < 1) throw new IllegalArgumentException("limit must be positive: " + limit);
        return session.createSelectionQuery("from JournalEntry where cardId = :card and type in (:types) order by id desc", JournalEntry.class)
                .setParameter("card", cardId)
                .setParameterList("types", HISTORY_TYPES)
                .setMaxResults(limit)
                .getResultList();
    }
}
