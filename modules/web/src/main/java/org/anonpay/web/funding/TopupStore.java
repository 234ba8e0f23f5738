// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.funding;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.anonpay.db.Database;

/** The topup table (V44): rows, conditional state changes, leases. */
final class TopupStore {

    /** One top-up row. {@code fundingCode}: the issuer's or bank's answer; {@code loadCode}: field 39 of the load. */
    record Topup(long id, long memberRef, String requestId, long cardId, long sourceId, FundingKind sourceKind, long amountMinor,
                 String currency, TopupState state, String fundingCode, String fundingRef, String loadCode,
                 LocalDateTime createdAt, LocalDateTime updatedAt) {

        /** The funding's id at the issuer or bank: one per top-up, so a repeated charge or debit is recognised. */
        String fundingId() {
            return "anonpay-topup-" + id;
        }

        boolean sameRequest(long otherCardId, long otherSourceId, long otherAmountMinor) {
            return cardId == otherCardId && sourceId == otherSourceId && amountMinor == otherAmountMinor;
        }
    }

    /** A change of state: only applied if the row is still in {@code from}. Null fields keep their value. */
    record Change(TopupState from, TopupState to, String fundingCode, String fundingRef, String loadCode) {
        static Change to(TopupState from, TopupState to) {
            return new Change(from, to, null, null, null);
        }

        Change funding(String code, String ref) {
            return new Change(from, to, code, ref, loadCode);
        }

        Change load(String code) {
            return new Change(from, to, fundingCode, fundingRef, code);
        }
    }

    private static final String COLUMNS = "id, member_ref, request_id, card_id, source_id, source_kind, amount_minor, currency, state, "
            + "funding_code, funding_ref, load_code, created_at, updated_at";

    private final Database db;
    private final Clock clock;

    TopupStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    Optional<Topup> byRequest(long memberRef, String requestId) {
        return db.inJdbcTransaction(c -> one(c, "SELECT " + COLUMNS + " FROM topup WHERE member_ref = ? AND request_id = ?", memberRef, requestId));
    }

    Optional<Topup> byId(long id) {
        return db.inJdbcTransaction(c -> one(c, "SELECT " + COLUMNS + " FROM topup WHERE id = ?", id));
    }

    /** Newest first. */
    List<Topup> ofCard(long memberRef, long cardId) {
        return db.inJdbcTransaction(c -> many(c, "SELECT " + COLUMNS + " FROM topup WHERE member_ref = ? AND card_id = ? ORDER BY id DESC", memberRef, cardId));
    }

    /** Unfinished rows whose lease has run out (or that never had one). */
    List<Topup> unfinishedWithoutLease() {
        LocalDateTime now = now();
        return db.inJdbcTransaction(c -> many(c, "SELECT " + COLUMNS + " FROM topup WHERE state IN ('PENDING', 'FUNDED', 'REVERSAL_PENDING', 'REFUND_PENDING') "
                + "AND (lease_until IS NULL OR lease_until < ?) ORDER BY id", Timestamp.valueOf(now)));
    }

    /**
     * A new PENDING row, leased to the caller for {@code lease}. Empty when the member already has a
     * row with this requestId (a retry racing its original).
     */
    Optional<Long> insert(long memberRef, String requestId, long cardId, long sourceId, FundingKind kind, long amountMinor,
                          String currency, Duration lease) {
        try {
            return Optional.of(db.inJdbcTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO topup (member_ref, request_id, card_id, source_id, source_kind, amount_minor, "
                        + "currency, state, created_at, updated_at, lease_until) VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                    LocalDateTime now = now();
                    ps.setLong(1, memberRef);
                    ps.setString(2, requestId);
                    ps.setLong(3, cardId);
                    ps.setLong(4, sourceId);
                    ps.setString(5, kind.name());
                    ps.setLong(6, amountMinor);
                    ps.setString(7, currency);
                    ps.setTimestamp(8, Timestamp.valueOf(now));
                    ps.setTimestamp(9, Timestamp.valueOf(now));
                    ps.setTimestamp(10, Timestamp.valueOf(now.plus(lease)));
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        return keys.getLong(1);
                    }
                }
            }));
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLIntegrityConstraintViolationException) return Optional.empty();
            throw e;
        }
    }

    /** Takes the row for {@code lease} if nobody holds it; false when another worker does. */
    boolean claim(long id, Duration lease) {
        LocalDateTime now = now();
        return db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE topup SET lease_until = ? WHERE id = ? AND (lease_until IS NULL OR lease_until < ?)")) {
                ps.setTimestamp(1, Timestamp.valueOf(now.plus(lease)));
                ps.setLong(2, id);
                ps.setTimestamp(3, Timestamp.valueOf(now));
                return ps.executeUpdate() == 1;
            }
        });
    }

    void release(long id) {
        db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE topup SET lease_until = NULL WHERE id = ?")) {
                ps.setLong(1, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Applies {@code change} if the row is still in its {@code from} state; false if it moved on meanwhile. */
    boolean change(long id, Change change) {
        return db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE topup SET state = ?, funding_code = COALESCE(?, funding_code), "
                    + "funding_ref = COALESCE(?, funding_ref), load_code = COALESCE(?, load_code), updated_at = ? WHERE id = ? AND state = ?")) {
                ps.setString(1, change.to().name());
                ps.setString(2, change.fundingCode());
                ps.setString(3, change.fundingRef());
                ps.setString(4, change.loadCode());
                ps.setTimestamp(5, Timestamp.valueOf(now()));
                ps.setLong(6, id);
                ps.setString(7, change.from().name());
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static Optional<Topup> one(Connection c, String sql, Object... params) throws SQLException {
        List<Topup> rows = many(c, sql, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    private static List<Topup> many(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                List<Topup> rows = new ArrayList<>();
                while (rs.next()) rows.add(row(rs));
                return rows;
            }
        }
    }

    private static Topup row(ResultSet rs) throws SQLException {
        return new Topup(rs.getLong("id"), rs.getLong("member_ref"), rs.getString("request_id"), rs.getLong("card_id"),
                rs.getLong("source_id"), FundingKind.valueOf(rs.getString("source_kind")), rs.getLong("amount_minor"),
                rs.getString("currency"), TopupState.valueOf(rs.getString("state")), rs.getString("funding_code"),
                rs.getString("funding_ref"), rs.getString("load_code"), rs.getTimestamp("created_at").toLocalDateTime(),
                rs.getTimestamp("updated_at").toLocalDateTime());
    }

    private LocalDateTime now() {
        return LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
