// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Optional;
import java.util.TimeZone;

/**
 * The card reads of the authorization path in plain JDBC. Every authorization reads and locks one
 * card; through Hibernate (a native entity query, then the member controls as a second entity)
 * that was a sixth of the host's CPU and two statements. Here it is one statement, card and
 * controls joined, and the card comes back detached: {@link CardIssuer#checkPin} writes the only
 * change an authorization makes to a card (its wrong-PIN count) with {@link #WRITE_PIN_TRIES}.
 * <p>Each SQL is one constant string: the pool caches prepared statements per SQL text.
 */
final class CardRows {

    /** created_at as Hibernate binds an Instant on MySQL/MariaDB: a timestamp in UTC, whatever the JVM's zone. */
    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    private static final String SELECT = "SELECT c.id, c.program_id, c.pan_hash, c.pan_encrypted, c.pan_first6, c.pan_last4,"
            + " c.expiry, c.state, c.pvv, c.pin_tries_wrong, c.card_name, c.holder_ref, c.ledger_account_id, c.created_at,"
            + " c.version, cc.card_id, cc.limit_per_transaction, cc.limit_daily, cc.allow_online, cc.allow_offline"
            + " FROM card c LEFT JOIN card_control cc ON cc.card_id = c.id";

    /** Locks the card row (and its controls row, if any: setControls locks the card first, so no deadlock). */
    static final String LOCK_BY_PAN_HASH = SELECT + " WHERE c.pan_hash = ? FOR UPDATE";
    static final String LOCK_BY_ID = SELECT + " WHERE c.id = ? FOR UPDATE";
    static final String READ_BY_ID = SELECT + " WHERE c.id = ?";

    /** A version step too: a session holding the card as an entity then sees it stale (CardIssuer.lock). */
    static final String WRITE_PIN_TRIES = "UPDATE card SET pin_tries_wrong = ?, version = version + 1 WHERE id = ?";

    private CardRows() {}

    static Optional<LockedCard> lockByPanHash(Connection c, byte[] panHash) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(LOCK_BY_PAN_HASH)) {
            s.setBytes(1, panHash);
            return one(s);
        }
    }

    /** Many cards by look-up hash (hex), locked as {@link #LOCK_BY_PAN_HASH} locks one. */
    static java.util.List<LockedCard> lockAllByPanHash(Connection c, java.util.Collection<String> panHashesHex) throws SQLException {
        java.util.List<byte[]> hashes = panHashesHex.stream().map(java.util.HexFormat.of()::parseHex).toList();
        return allIn(c, "c.pan_hash", " FOR UPDATE", hashes, PreparedStatement::setBytes);
    }

    /** Many cards by id, read without a lock as {@link #READ_BY_ID} reads one. */
    static java.util.List<LockedCard> readAllById(Connection c, java.util.Collection<Long> cardIds) throws SQLException {
        return allIn(c, "c.id", "", cardIds, PreparedStatement::setObject);
    }

    private interface Binder<T> {
        void bind(PreparedStatement s, int place, T value) throws SQLException;
    }

    /**
     * The cards whose {@code column} is one of {@code values}: the IN list padded
     * ({@link org.anonpay.db.SqlLists#padded}) so that a few statement texts serve every batch size.
     */
    private static <T> java.util.List<LockedCard> allIn(Connection c, String column, String suffix, java.util.Collection<T> values,
                                                       Binder<? super T> binder) throws SQLException {
        java.util.List<LockedCard> found = new java.util.ArrayList<>();
        if (values.isEmpty()) return found;
        java.util.List<T> places = org.anonpay.db.SqlLists.padded(values);
        try (PreparedStatement s = c.prepareStatement(SELECT + " WHERE " + column + " IN (" + org.anonpay.db.SqlLists.placeholders(places.size()) + ")" + suffix)) {
            int place = 1;
            for (T value : places) binder.bind(s, place++, value);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) found.add(new LockedCard(card(rs), controls(rs)));
            }
        }
        return found;
    }

    static Optional<LockedCard> byId(Connection c, String sql, long cardId) throws SQLException {
        assert sql.equals(LOCK_BY_ID) || sql.equals(READ_BY_ID);
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, cardId);
            return one(s);
        }
    }

    static void writePinTries(Connection c, Card card) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(WRITE_PIN_TRIES)) {
            s.setInt(1, card.pinTriesWrong());
            s.setLong(2, card.id());
            if (s.executeUpdate() != 1) throw new SQLException("card " + card.id() + " vanished while locked");
        }
    }

    private static Optional<LockedCard> one(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            if (!rs.next()) return Optional.empty();
            LockedCard found = new LockedCard(card(rs), controls(rs));
            assert !rs.next() : "id and pan_hash are unique";
            return Optional.of(found);
        }
    }

    private static Card card(ResultSet rs) throws SQLException {
        Long ledgerAccountId = nullableLong(rs, "ledger_account_id");
        return Card.stored(new Card.Row(rs.getLong("id"), rs.getString("program_id"), rs.getBytes("pan_hash"),
                rs.getBytes("pan_encrypted"), rs.getString("pan_first6"), rs.getString("pan_last4"), rs.getString("expiry"),
                CardState.valueOf(rs.getString("state")), rs.getString("pvv"), rs.getInt("pin_tries_wrong"),
                rs.getString("card_name"), rs.getString("holder_ref"), ledgerAccountId,
                rs.getTimestamp("created_at", Calendar.getInstance(UTC)).toInstant(), rs.getLong("version")));
    }

    /** No controls row: the defaults, as {@link CardIssuer#controls} answers. */
    private static CardControls controls(ResultSet rs) throws SQLException {
        rs.getLong("card_id");
        if (rs.wasNull()) return CardControls.DEFAULTS;
        return new CardControls(nullableLong(rs, "limit_per_transaction"), nullableLong(rs, "limit_daily"),
                rs.getBoolean("allow_online"), rs.getBoolean("allow_offline"));
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
