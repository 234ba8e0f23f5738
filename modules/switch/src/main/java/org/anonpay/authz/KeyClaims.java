// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.anonpay.db.SqlLists;
import java.sql.ResultSet;
import java.sql.SQLIntegrityConstraintViolationException;
import org.hibernate.Session;

/**
 * Claims of message keys (table {@code authz_key_claim}, see its migration): who got to a key
 * first, the message itself or a reversal of it. Inserting a key another transaction has claimed
 * but not yet committed waits for that transaction, which is the point.
 */
public final class KeyClaims {

    public enum Kind { ORIGINAL, EARLY_REVERSAL }

    /** @param earlier the kind of the claim that was there first, null when this one was first */
    public record Claim(Kind earlier) {
        public boolean first() {
            return earlier == null;
        }
    }

    private KeyClaims() {}

    private static final java.util.Comparator<MessageKey> KEY_ORDER = java.util.Comparator.comparing(MessageKey::acquirerId)
            .thenComparing(MessageKey::terminalId).thenComparing(MessageKey::stan).thenComparing(MessageKey::transmissionTime)
            .thenComparing(MessageKey::mtiClass);

    public static Claim claim(Session session, MessageKey key, Kind kind) {
        return session.doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO authz_key_claim (acquirer_id, terminal_id, stan, transmission_time, "
                    + "mti_class, kind) VALUES (?, ?, ?, ?, ?, ?)")) {
                key.bind(ps, 1);
                ps.setString(6, kind.name());
                ps.executeUpdate();
                return new Claim(null);
            } catch (SQLIntegrityConstraintViolationException taken) {
                try (PreparedStatement ps = c.prepareStatement("SELECT kind FROM authz_key_claim WHERE acquirer_id = ? AND terminal_id = ? "
                        + "AND stan = ? AND transmission_time = ? AND mti_class = ?")) {
                    key.bind(ps, 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) throw new IllegalStateException("claim of " + key + " vanished");
                        return new Claim(Kind.valueOf(rs.getString(1)));
                    }
                }
            }
        });
    }

    /**
     * The batch form of {@link #claim}: claims every key as ORIGINAL with one multi-row statement.
     * True when all were claimed; false when any was taken (the statement then claimed none), and
     * the caller decides its messages one by one, where {@link #claim} tells who was first.
     */
    public static boolean claimAll(Connection c, List<MessageKey> keys) throws SQLException {
        if (keys.isEmpty()) throw new IllegalArgumentException("no keys to claim");
        // InnoDB checks the unique key row by row: every batch inserts in one order, so two batches
        // with a key in common wait for each other instead of deadlocking
        List<MessageKey> ordered = keys.stream().sorted(KEY_ORDER).toList();
        String sql = "INSERT INTO authz_key_claim (acquirer_id, terminal_id, stan, transmission_time, mti_class, kind) VALUES "
                + SqlLists.rows(keys.size(), 6);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int next = 1;
            for (MessageKey key : ordered) {
                next = key.bind(ps, next);
                ps.setString(next++, Kind.ORIGINAL.name());
            }
            ps.executeUpdate();
            return true;
        } catch (SQLIntegrityConstraintViolationException taken) {
            return false;
        }
    }

    /**
     * Deletes the ORIGINAL claims of {@code keys} (AuthorizationRetention); an EARLY_REVERSAL claim
     * stays whatever its age: it is what declines an original arriving after its reversal. The
     * number deleted.
     */
    static int purgeOriginals(Connection c, List<MessageKey> keys) throws SQLException {
        if (keys.isEmpty()) return 0;
        String sql = "DELETE FROM authz_key_claim WHERE kind = 'ORIGINAL' AND " + JournalStore.anyOfKeys(keys.size());
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int place = 1;
            for (MessageKey key : keys) place = key.bind(ps, place);
            return ps.executeUpdate();
        }
    }
}
