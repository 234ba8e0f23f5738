// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.statements;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The statement tables (V60) and the data a statement lists, read with plain JDBC from the
 * wallet's {@code member}, the issuer's {@code card}, the switch's {@code authz_journal} and the
 * gateway's {@code mall}. Every state change is its own short transaction, committed before the
 * job goes on, so a crash leaves each statement in the last state it reached.
 */
public final class StatementStore {

    /** The zone of the business date and of the times shown on a statement. */
    public static final ZoneId KOREA = ZoneId.of("Asia/Seoul");

    /**
     * What belongs on a statement: approved (00) entries that moved money on the card. Holds
     * (AUTHORIZATION) are left out, their completion is listed; balance inquiries move nothing;
     * declines are left out (nothing happened to the member's money). A reversal is listed when
     * what it reverses moved money (a reversed hold moved none).
     */
    static final String STATEMENT_ENTRY = "j.response_code = '00' AND (j.txn_type IN "
            + "('PURCHASE', 'COMPLETION', 'AUTHORIZATION_ADVICE', 'REFUND', 'LOAD') OR (j.txn_type = 'REVERSAL' AND o.txn_type IN "
            + "('PURCHASE', 'COMPLETION', 'AUTHORIZATION_ADVICE', 'REFUND', 'LOAD')))";

    private static final String CARD_DAY = " FROM member m"
            + " JOIN card c ON c.holder_ref = CONVERT(m.id USING utf8mb4) COLLATE utf8mb4_unicode_ci"
            + " JOIN authz_journal j ON j.card_id = c.id AND j.business_date = ?"
            + " LEFT JOIN authz_journal o ON o.id = j.original_id"
            + " WHERE " + STATEMENT_ENTRY;

    public enum State { PENDING, SENDING, SENT, FAILED }

    /** A statement row. */
    public record Row(long id, long memberRef, LocalDate businessDate, State state, String channel, int attempts,
                      Instant claimedAt, Instant sentAt, String lastError) {}

    /** A run's counts. */
    public record Counts(int total, int sent, int failed, int pending, int sending) {
        public int done() {
            return sent + failed;
        }
    }

    private final DataSource dataSource;
    private final Clock clock;

    public StatementStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    /**
     * Creates the run of {@code date} (if new) and a PENDING statement for every member with a
     * statement entry that day who has none yet (INSERT IGNORE on the unique (member, date) key: a
     * second call adds only members whose first entry arrived since). Returns the number of members.
     */
    public int prepareRun(LocalDate date) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement run = c.prepareStatement(
                    "INSERT IGNORE INTO statement_run (business_date, state, members_total, started_at) VALUES (?, 'RUNNING', 0, ?)");
                 PreparedStatement rows = c.prepareStatement(
                         "INSERT IGNORE INTO statement (member_ref, business_date, state, channel, attempts, entries, created_at)"
                                 + " SELECT DISTINCT m.id, ?, 'PENDING', m.statement_channel, 0, 0, ?" + CARD_DAY);
                 PreparedStatement total = c.prepareStatement(
                         "UPDATE statement_run SET members_total = (SELECT COUNT(*) FROM statement WHERE business_date = ?)"
                                 + " WHERE business_date = ?")) {
                run.setObject(1, date);
                run.setTimestamp(2, now());
                run.executeUpdate();
                rows.setObject(1, date);
                rows.setTimestamp(2, now());
                rows.setObject(3, date);
                rows.executeUpdate();
                total.setObject(1, date);
                total.setObject(2, date);
                total.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
        return counts(date).total();
    }

    /**
     * Statements SENDING since before {@code staleBefore}: their send was interrupted (a crash
     * between the send and the mark). They go back to PENDING and are sent again: the one case where
     * a member may receive a statement twice (see README). Returns them, for the log.
     */
    public List<Row> releaseStale(LocalDate date, Instant staleBefore) throws SQLException {
        List<Row> stale = rows(date, State.SENDING).stream()
                .filter(r -> r.claimedAt() == null || r.claimedAt().isBefore(staleBefore)).toList();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE statement SET state = 'PENDING', last_error = ? WHERE id = ? AND state = 'SENDING' AND claimed_at = ?")) {
            List<Row> released = new ArrayList<>();
            for (Row r : stale) {
                ps.setString(1, "interrupted while SENDING since " + r.claimedAt() + "; may have been delivered");
                ps.setLong(2, r.id());
                ps.setTimestamp(3, r.claimedAt() == null ? null : Timestamp.from(r.claimedAt()));
                if (ps.executeUpdate() == 1) released.add(r);
            }
            c.commit();
            return released;
        }
    }

    public List<Row> rows(LocalDate date, State state) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT id, member_ref, business_date, state, channel, attempts, claimed_at, sent_at, last_error"
                             + " FROM statement WHERE business_date = ? AND (? IS NULL OR state = ?) ORDER BY id")) {
            ps.setObject(1, date);
            ps.setString(2, state == null ? null : state.name());
            ps.setString(3, state == null ? null : state.name());
            List<Row> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp claimed = rs.getTimestamp(7);
                    Timestamp sent = rs.getTimestamp(8);
                    out.add(new Row(rs.getLong(1), rs.getLong(2), rs.getObject(3, LocalDate.class), State.valueOf(rs.getString(4)),
                            rs.getString(5), rs.getInt(6), claimed == null ? null : claimed.toInstant(),
                            sent == null ? null : sent.toInstant(), rs.getString(9)));
                }
            }
            c.commit();
            return out;
        }
    }

    /**
     * Claims a PENDING statement for one send: PENDING → SENDING, one more attempt, the member's
     * channel as it is now. False when another job took it (or it is no longer PENDING).
     */
    public boolean claim(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE statement s JOIN member m ON m.id = s.member_ref"
                             + " SET s.state = 'SENDING', s.attempts = s.attempts + 1, s.claimed_at = ?, s.channel = m.statement_channel"
                             + " WHERE s.id = ? AND s.state = 'PENDING'")) {
            ps.setTimestamp(1, now());
            ps.setLong(2, id);
            boolean claimed = ps.executeUpdate() == 1;
            c.commit();
            return claimed;
        }
    }

    /** SENDING → SENT, right after the server accepted the message. */
    public void markSent(long id, int entries, String messageRef) throws SQLException {
        update("UPDATE statement SET state = 'SENT', sent_at = ?, entries = ?, message_ref = ?, last_error = NULL"
                + " WHERE id = ? AND state = 'SENDING'", now(), entries, truncate(messageRef, 100), id);
    }

    /** SENDING → PENDING after a failed attempt (another attempt follows). */
    public void markRetry(long id, String error) throws SQLException {
        update("UPDATE statement SET state = 'PENDING', last_error = ? WHERE id = ? AND state = 'SENDING'", truncate(error, 500), id);
    }

    /** SENDING → FAILED: the attempts are spent. Reported; ops can reset it with {@link #resetFailed}. */
    public void markFailed(long id, String error) throws SQLException {
        update("UPDATE statement SET state = 'FAILED', last_error = ? WHERE id = ? AND state = 'SENDING'", truncate(error, 500), id);
    }

    /**
     * One member's statement of a date, SENT or FAILED, back to PENDING (ops: "re-send the
     * statement"; the member then gets it again, on purpose). Returns false when the member has no
     * statement that day or it is being sent right now.
     */
    public boolean resetMember(String memberId, LocalDate date) throws SQLException {
        return update("UPDATE statement s JOIN member m ON m.id = s.member_ref SET s.state = 'PENDING', s.attempts = 0"
                + " WHERE m.member_id_key = ? AND s.business_date = ? AND s.state IN ('SENT', 'FAILED')", memberId.toLowerCase(java.util.Locale.ROOT), date) == 1;
    }

    /** FAILED → PENDING with a fresh count of attempts (ops: re-send the failed statements of a date). */
    public int resetFailed(LocalDate date) throws SQLException {
        return update("UPDATE statement SET state = 'PENDING', attempts = 0 WHERE business_date = ? AND state = 'FAILED'", date);
    }

    /** The run is COMPLETE when no statement of the date is PENDING or SENDING. */
    public boolean completeRunIfDone(LocalDate date) throws SQLException {
        return update("UPDATE statement_run SET state = 'COMPLETE', completed_at = ? WHERE business_date = ? AND state = 'RUNNING'"
                + " AND NOT EXISTS (SELECT 1 FROM statement WHERE business_date = ? AND state IN ('PENDING', 'SENDING'))",
                now(), date, date) == 1;
    }

    /** The run's state, empty when the date has no run yet. */
    public Optional<String> runState(LocalDate date) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT state FROM statement_run WHERE business_date = ?")) {
            ps.setObject(1, date);
            try (ResultSet rs = ps.executeQuery()) {
                Optional<String> state = rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                c.commit();
                return state;
            }
        }
    }

    public Counts counts(LocalDate date) throws SQLException {
        int sent = 0, failed = 0, pending = 0, sending = 0;
        for (Row r : rows(date, null)) {
            switch (r.state()) {
                case SENT -> sent++;
                case FAILED -> failed++;
                case PENDING -> pending++;
                case SENDING -> sending++;
            }
        }
        return new Counts(sent + failed + pending + sending, sent, failed, pending, sending);
    }

    /** The statement of row {@code id}: recipient, the channel it was claimed for, and the day's entries. */
    public Statement load(long id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Statement head;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT s.id, s.member_ref, m.member_id, m.name, m.email, m.mobile, s.channel, s.business_date"
                            + " FROM statement s JOIN member m ON m.id = s.member_ref WHERE s.id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw new IllegalArgumentException("no statement " + id);
                    head = new Statement(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), Statement.Channel.valueOf(rs.getString(7)), rs.getObject(8, LocalDate.class), List.of());
                }
            }
            List<StatementEntry> entries = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT j.id, j.created_at, j.txn_type, o.txn_type, TRIM(j.merchant_id), j.merchant_name, ml.name, j.pan_masked,"
                            + " j.amount, j.currency"
                            + CARD_DAY.replace(" LEFT JOIN authz_journal o", " LEFT JOIN mall ml ON ml.mall_id = CONVERT(TRIM(j.merchant_id) USING utf8mb4) COLLATE utf8mb4_unicode_ci"
                                    + " LEFT JOIN authz_journal o")
                            + " AND m.id = ? ORDER BY j.created_at, j.id")) {
                ps.setObject(1, head.businessDate());
                ps.setLong(2, head.memberRef());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String type = rs.getString(3);
                        String originalType = rs.getString(4);
                        boolean credit = switch (type) {
                            case "REFUND", "LOAD" -> true;
                            case "REVERSAL" -> !("REFUND".equals(originalType) || "LOAD".equals(originalType));
                            default -> false;
                        };
                        String merchant = firstNonBlank(rs.getString(7), rs.getString(6), rs.getString(5));
                        LocalDateTime time = LocalDateTime.ofInstant(rs.getTimestamp(2).toInstant(), KOREA);
                        entries.add(new StatementEntry(rs.getLong(1), time, type, merchant, rs.getString(8),
                                rs.getLong(9), rs.getString(10), credit));
                    }
                }
            }
            c.commit();
            return new Statement(head.id(), head.memberRef(), head.memberId(), head.name(), head.email(), head.mobile(),
                    head.channel(), head.businessDate(), List.copyOf(entries));
        }
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) return v.trim();
        }
        return "";
    }

    private int update(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            int n = ps.executeUpdate();
            c.commit();
            return n;
        }
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
