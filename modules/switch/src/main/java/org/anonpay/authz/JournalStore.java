// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Calendar;
import java.util.Optional;
import java.util.TimeZone;

/**
 * The authorization journal's hot-path SQL (issue 6), in plain JDBC on the caller's connection:
 * Hibernate's query parsing, entity loading and flushing cost more than the statements themselves.
 * Rows are read and written exactly as the {@link JournalEntry} mapping does, so entries written
 * here load with HQL (settlement, gateway, web) and the other way round.
 * <p>
 * Each SQL is one constant string: the pool caches server-prepared statements per SQL text.
 */
final class JournalStore {

    /** created_at as Hibernate binds an Instant on MySQL/MariaDB: a timestamp in UTC, whatever the JVM's zone. */
    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    static final String COLUMNS = "id, mti, mti_class, txn_type, processing_code, acquirer_id, terminal_id, merchant_id, merchant_name,"
            + " stan, transmission_time, rrn, request_fingerprint, card_id, pan_masked, amount, currency, business_date, response_code,"
            + " decline_reason, approval_code, additional_amounts, card_transfer_id, card_amount, shortfall_transfer_id, shortfall_amount,"
            + " original_id, reversed, completed_amount, duration_micros, created_at";

    /** By the unique message key (uk_authz_journal_message). */
    static final String FIND = "SELECT " + COLUMNS + " FROM authz_journal"
            + " WHERE acquirer_id = ? AND terminal_id = ? AND stan = ? AND transmission_time = ? AND mti_class = ?";

    static final String LOCK = FIND + " FOR UPDATE";

    static final String INSERT = "INSERT INTO authz_journal (mti, mti_class, txn_type, processing_code, acquirer_id, terminal_id,"
            + " merchant_id, merchant_name, stan, transmission_time, rrn, request_fingerprint, card_id, pan_masked, amount, currency,"
            + " business_date, response_code, decline_reason, approval_code, additional_amounts, card_transfer_id, card_amount,"
            + " shortfall_transfer_id, shortfall_amount, original_id, reversed, completed_amount, duration_micros, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    static final String MARK_REVERSED = "UPDATE authz_journal SET reversed = TRUE WHERE id = ?";

    static final String MARK_COMPLETED = "UPDATE authz_journal SET completed_amount = ? WHERE id = ?";

    private JournalStore() {}

    static Optional<JournalEntry> find(Connection c, MessageKey key) throws SQLException {
        return byKey(c, FIND, key);
    }

    /** The row by its key, locked until the transaction ends (read as last committed, as a refresh would). */
    static Optional<JournalEntry> lockOriginal(Connection c, MessageKey key) throws SQLException {
        return byKey(c, LOCK, key);
    }

    /** The condition on one message key, as {@link #FIND} has it; OR-ed for many (each a range on the unique key). */
    private static final String KEY_CONDITION =
            "(acquirer_id = ? AND terminal_id = ? AND stan = ? AND transmission_time = ? AND mti_class = ?)";

    /** {@link #KEY_CONDITION} OR-ed {@code count} times: bind each key with {@link MessageKey#bind}, in turn. */
    static String anyOfKeys(int count) {
        return "(" + String.join(" OR ", java.util.Collections.nCopies(count, KEY_CONDITION)) + ")";
    }

    /**
     * The batch form of {@link #lockOriginal}: the rows of these keys, locked, by key; a key with no
     * row is absent. The list is padded to {@link org.anonpay.db.SqlLists#slots} keys (the last one
     * repeated) so that a few statement texts serve every batch size. InnoDB locks the rows in the
     * order of the unique key, the same for every batch.
     */
    static java.util.Map<MessageKey, JournalEntry> lockOriginals(Connection c, java.util.Collection<MessageKey> keys) throws SQLException {
        java.util.Map<MessageKey, JournalEntry> found = new java.util.HashMap<>();
        if (keys.isEmpty()) return found;
        java.util.List<MessageKey> places = org.anonpay.db.SqlLists.padded(keys);
        String sql = "SELECT " + COLUMNS + " FROM authz_journal WHERE " + anyOfKeys(places.size()) + " FOR UPDATE";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int place = 1;
            for (MessageKey key : places) place = key.bind(ps, place);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JournalEntry entry = JournalEntry.fromRow(rs);
                    found.put(entry.key(), entry);
                }
            }
        }
        return found;
    }

    /** A journal row's id, message key and time, as {@link #keysAfter} walks them. */
    record JournaledKey(long id, MessageKey key, java.time.Instant createdAt) {}

    /** The keys of the first {@code limit} rows after id {@code afterId}, in id order (the primary key). */
    static java.util.List<JournaledKey> keysAfter(Connection c, long afterId, int limit) throws SQLException {
        java.util.List<JournaledKey> rows = new java.util.ArrayList<>(limit);
        try (PreparedStatement ps = c.prepareStatement("SELECT id, acquirer_id, terminal_id, stan, transmission_time, mti_class, created_at"
                + " FROM authz_journal WHERE id > ? ORDER BY id LIMIT ?")) {
            ps.setLong(1, afterId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    MessageKey key = new MessageKey(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6));
                    rows.add(new JournaledKey(rs.getLong(1), key, rs.getTimestamp(7, utcCalendar()).toInstant()));
                }
            }
        }
        return rows;
    }

    private static Optional<JournalEntry> byKey(Connection c, String sql, MessageKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            key.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(JournalEntry.fromRow(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Inserts the entry and gives it its generated id. A second entry with the same message key
     * (a racing repeat) fails with SQLIntegrityConstraintViolationException on the unique key.
     */
    static void insert(Connection c, JournalEntry e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS)) {
            bindInsert(ps, e);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) throw new SQLException("no id generated for the journal entry of " + e.key());
                e.assignId(keys.getLong(1));
            }
        }
    }

    /** The places of one row of {@link #INSERT}, for its multi-row form. */
    private static final int INSERT_COLUMNS = (int) INSERT.chars().filter(ch -> ch == '?').count();

    /**
     * Inserts the entries with one multi-row statement and gives each its generated id (InnoDB
     * gives the rows of one simple multi-row insert consecutive ids, and the driver reports them in
     * order). A taken message key fails the whole statement (SQLIntegrityConstraintViolationException).
     */
    static void insertAll(Connection c, java.util.List<JournalEntry> entries) throws SQLException {
        String sql = INSERT.substring(0, INSERT.indexOf(" VALUES ")) + " VALUES " + org.anonpay.db.SqlLists.rows(entries.size(), INSERT_COLUMNS);
        try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < entries.size(); i++) bindInsert(ps, i * INSERT_COLUMNS, entries.get(i));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                for (JournalEntry e : entries) {
                    if (!keys.next()) throw new SQLException("no id generated for the journal entry of " + e.key());
                    e.assignId(keys.getLong(1));
                }
            }
        }
    }

    private static void bindInsert(PreparedStatement ps, JournalEntry e) throws SQLException {
        bindInsert(ps, 0, e);
    }

    /** Binds {@code e} to the 30 places after {@code offset}. */
    private static void bindInsert(PreparedStatement statement, int offset, JournalEntry e) throws SQLException {
        MessageKey key = e.key();
        Binder ps = new Binder(statement, offset);
        ps.setString(1, e.mti());
        ps.setString(2, key.mtiClass());
        ps.setString(3, e.type().name());
        ps.setString(4, e.processingCode());
        ps.setString(5, key.acquirerId());
        ps.setString(6, key.terminalId());
        ps.setString(7, e.merchantId());
        ps.setString(8, e.merchantName());
        ps.setString(9, key.stan());
        ps.setString(10, key.transmissionTime());
        ps.setString(11, e.rrn());
        ps.setBytes(12, e.requestFingerprint());
        setLong(ps, 13, e.cardId());
        ps.setString(14, e.panMasked());
        ps.setLong(15, e.amount());
        ps.setString(16, e.currency());
        ps.setObject(17, e.businessDate(), Types.DATE);
        ps.setString(18, e.responseCode());
        ps.setString(19, e.declineReason() == null ? null : e.declineReason().name());
        ps.setString(20, e.approvalCode());
        ps.setString(21, e.additionalAmounts());
        ps.setBytes(22, e.cardTransferId());
        ps.setLong(23, e.cardAmount());
        ps.setBytes(24, e.shortfallTransferId());
        ps.setLong(25, e.shortfallAmount());
        setLong(ps, 26, e.originalId());
        ps.setBoolean(27, e.reversed());
        setLong(ps, 28, e.completedAmount());
        ps.setLong(29, e.durationMicros());
        ps.setTimestamp(30, Timestamp.from(e.createdAt()), utcCalendar());
    }

    private static void setLong(Binder ps, int index, Long value) throws SQLException {
        if (value == null) ps.setNull(index, Types.BIGINT);
        else ps.setLong(index, value);
    }

    /** A statement's places shifted by {@code offset}: the row of a multi-row insert binds as the single-row one does. */
    private record Binder(PreparedStatement ps, int offset) {
        void setString(int i, String v) throws SQLException { ps.setString(offset + i, v); }
        void setBytes(int i, byte[] v) throws SQLException { ps.setBytes(offset + i, v); }
        void setLong(int i, long v) throws SQLException { ps.setLong(offset + i, v); }
        void setBoolean(int i, boolean v) throws SQLException { ps.setBoolean(offset + i, v); }
        void setNull(int i, int type) throws SQLException { ps.setNull(offset + i, type); }
        void setObject(int i, Object v, int type) throws SQLException { ps.setObject(offset + i, v, type); }
        void setTimestamp(int i, Timestamp v, Calendar cal) throws SQLException { ps.setTimestamp(offset + i, v, cal); }
    }

    static void markReversed(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(MARK_REVERSED)) {
            ps.setLong(1, id);
            requireOneRow(ps.executeUpdate(), id);
        }
    }

    static void markCompleted(Connection c, long id, long amount) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(MARK_COMPLETED)) {
            ps.setLong(1, amount);
            ps.setLong(2, id);
            requireOneRow(ps.executeUpdate(), id);
        }
    }

    /**
     * The batch form of {@link #markCompleted}: completed_amount of every entry of {@code amountById}
     * (entry id to amount), with one statement. Every row is locked by the caller: a row count that
     * differs is a bug (IllegalStateException).
     */
    static void markCompletedAll(Connection c, java.util.Map<Long, Long> amountById) throws SQLException {
        if (amountById.isEmpty()) return;
        int n = amountById.size();
        String sql = "UPDATE authz_journal SET completed_amount = CASE id" + " WHEN ? THEN ?".repeat(n)
                + " END WHERE id IN (" + org.anonpay.db.SqlLists.placeholders(n) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int place = 1;
            for (java.util.Map.Entry<Long, Long> e : amountById.entrySet()) {
                ps.setLong(place++, e.getKey());
                ps.setLong(place++, e.getValue());
            }
            for (long id : amountById.keySet()) ps.setLong(place++, id);
            int updated = ps.executeUpdate();
            if (updated != n) throw new IllegalStateException("marked " + updated + " journal entries completed of " + n);
        }
    }

    /** The batch form of {@link #markReversed}: every entry of {@code ids}, one statement; a row count that differs is a bug. */
    static void markReversedAll(Connection c, java.util.List<Long> ids) throws SQLException {
        if (ids.isEmpty()) return;
        String sql = "UPDATE authz_journal SET reversed = TRUE WHERE id IN (" + org.anonpay.db.SqlLists.placeholders(ids.size()) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < ids.size(); i++) ps.setLong(i + 1, ids.get(i));
            int updated = ps.executeUpdate();
            if (updated != ids.size()) throw new IllegalStateException("marked " + updated + " journal entries reversed of " + ids.size());
        }
    }

    /** As Hibernate's update of a vanished row: an error, never a silent no-op (the row is locked, so never expected). */
    private static void requireOneRow(int updated, long id) {
        if (updated != 1) throw new IllegalStateException("journal entry " + id + " not found for update (" + updated + " rows)");
    }

    /** A Calendar is mutable: one per statement, never shared between threads. */
    static Calendar utcCalendar() {
        return Calendar.getInstance(UTC);
    }
}
