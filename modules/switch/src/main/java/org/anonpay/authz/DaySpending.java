// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import org.anonpay.db.SqlLists;

/**
 * Each card's approved, unreversed spending per business day (for the daily limits), as a running
 * total in card_day_spending (V34): the limits read one row per card instead of summing the card's
 * journal of the day, thousands of rows for a card used all day. The total changes with the
 * journal, in the same transaction: a new approved purchase or authorization adds its card amount,
 * a completion replaces the held amount with the completed one, a reversal takes the amount off
 * the original's own business day. Every writer that raises a card's total holds the card's row
 * lock, as the limits' reads do; a completion or reversal only lowers it.
 * <p>
 * An instance collects the changes of one transaction (a message or a batch) and writes them
 * with one statement, in (card, day) order: two transactions lock the rows in the same order.
 */
public final class DaySpending {
    /** The journal's types a day's spending counts. */
    static final Set<TransactionType> SPENDING = EnumSet.of(TransactionType.PURCHASE, TransactionType.AUTHORIZATION,
            TransactionType.AUTHORIZATION_ADVICE);

    private static final String READ = "SELECT card_id, spent FROM card_day_spending WHERE business_date = ? AND card_id IN (";
    private static final String ADD = "INSERT INTO card_day_spending (card_id, business_date, spent) VALUES ";
    private static final String ADD_ON_DUPLICATE = " ON DUPLICATE KEY UPDATE spent = spent + VALUES(spent)";
    private static final int ADD_COLUMNS = 3;

    private record CardDay(long cardId, LocalDate businessDate) implements Comparable<CardDay> {
        @Override
        public int compareTo(CardDay o) {
            int byCard = Long.compare(cardId, o.cardId);
            return byCard != 0 ? byCard : businessDate.compareTo(o.businessDate);
        }
    }

    private final TreeMap<CardDay, Long> changes = new TreeMap<>();

    /**
     * What the entry counts in its card's day as it stands: its completed amount, else its card
     * amount, when it is an approved, unreversed purchase or authorization of a card on a business
     * day; else 0 (the old sum over the journal never matched a row without a day either).
     */
    public static long counted(JournalEntry e) {
        if (e.cardId() == null || e.businessDate() == null || !e.approved() || e.reversed() || !SPENDING.contains(e.type())) return 0;
        return e.completedAmount() != null ? e.completedAmount() : e.cardAmount();
    }

    /** A new entry, about to be journaled in this transaction. */
    public void entered(JournalEntry e) {
        add(e, counted(e));
    }

    /**
     * Runs {@code change} on a journaled entry's object (marks it completed or reversed) and records
     * what that changes in its card's day, which it returns. The caller writes the same change to
     * the entry's row.
     */
    public long changed(JournalEntry e, Runnable change) {
        long before = counted(e);
        change.run();
        long delta = counted(e) - before;
        add(e, delta);
        return delta;
    }

    private void add(JournalEntry e, long delta) {
        if (delta == 0) return;
        changes.merge(new CardDay(e.cardId(), e.businessDate()), delta, Math::addExact);
    }

    /** Writes what was recorded (one statement, nothing when nothing changed) and forgets it. */
    void write(Connection c) throws SQLException {
        List<Map.Entry<CardDay, Long>> rows = changes.entrySet().stream().filter(e -> e.getValue() != 0).toList();
        changes.clear();
        if (rows.isEmpty()) return;
        String sql = ADD + SqlLists.rows(rows.size(), ADD_COLUMNS) + ADD_ON_DUPLICATE;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int place = 1;
            for (Map.Entry<CardDay, Long> row : rows) {
                ps.setLong(place++, row.getKey().cardId());
                ps.setObject(place++, row.getKey().businessDate(), Types.DATE);
                ps.setLong(place++, row.getValue());
            }
            ps.executeUpdate();
        }
    }

    /**
     * Deletes the rows of cards {@code firstCardId} (inclusive) to {@code endCardId} (exclusive)
     * for business dates before {@code firstKept}; the number deleted. A range of card ids, not a
     * date: the primary key begins with the card, so this reads only those cards' rows.
     */
    static int purge(Connection c, long firstCardId, long endCardId, LocalDate firstKept) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM card_day_spending WHERE card_id >= ? AND card_id < ? AND business_date < ?")) {
            ps.setLong(1, firstCardId);
            ps.setLong(2, endCardId);
            ps.setObject(3, firstKept, Types.DATE);
            return ps.executeUpdate();
        }
    }

    /** The highest card id with a row, 0 when none. */
    static long lastCardId(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(card_id), 0) FROM card_day_spending");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The day's spending of each card of {@code cardIds}, by card id: 0 for a card with none. One statement. */
    static Map<Long, Long> read(Connection c, SortedSet<Long> cardIds, LocalDate businessDate) throws SQLException {
        Map<Long, Long> spent = new HashMap<>();
        if (cardIds.isEmpty()) return spent;
        List<Long> places = SqlLists.padded(cardIds);
        try (PreparedStatement ps = c.prepareStatement(READ + SqlLists.placeholders(places.size()) + ")")) {
            ps.setObject(1, businessDate, Types.DATE);
            int place = 2;
            for (long id : places) ps.setLong(place++, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) spent.put(rs.getLong(1), rs.getLong(2));
            }
        }
        for (long id : cardIds) spent.putIfAbsent(id, 0L);
        return spent;
    }
}
