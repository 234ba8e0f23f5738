// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import jakarta.persistence.LockModeType;
import java.time.LocalDate;
import java.util.Optional;
import org.hibernate.Session;

/** Queries over the authorization journal, inside the caller's transaction. */
public final class Journal {
    private Journal() {}

    public static Optional<JournalEntry> find(Session session, MessageKey key) {
        return session.createSelectionQuery(
                        "from JournalEntry where acquirerId = :acq and terminalId = :tid and stan = :stan"
                                + " and transmissionTime = :time and mtiClass = :cls", JournalEntry.class)
                .setParameter("acq", key.acquirerId())
                .setParameter("tid", key.terminalId())
                .setParameter("stan", key.stan())
                .setParameter("time", key.transmissionTime())
                .setParameter("cls", key.mtiClass())
                .uniqueResultOptional();
    }

    /** The original a completion or reversal names, locked so two reversals cannot both undo it. */
    public static Optional<JournalEntry> lockOriginal(Session session, MessageKey key) {
        return find(session, key).map(e -> {
            session.lock(e, LockModeType.PESSIMISTIC_WRITE);
            session.refresh(e);
            return e;
        });
    }

    /**
     * Approved, unreversed spending on a card for one business date (for the daily limit). An
     * authorization counts with its held amount until a completion fixes the final amount.
     */
    public static long spentOn(Session session, long cardId, LocalDate businessDate) {
        Long sum = session.createSelectionQuery(
                        "select coalesce(sum(coalesce(completedAmount, cardAmount)), 0) from JournalEntry where cardId = :card and businessDate = :day"
                                + " and responseCode = '00' and reversed = false and type in (:types)", Long.class)
                .setParameter("card", cardId)
                .setParameter("day", businessDate)
                .setParameterList("types", java.util.List.of(TransactionType.PURCHASE, TransactionType.AUTHORIZATION,
                        TransactionType.AUTHORIZATION_ADVICE))
                .getSingleResult();
        return sum == null ? 0 : sum;
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
