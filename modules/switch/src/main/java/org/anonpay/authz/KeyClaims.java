// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import java.sql.PreparedStatement;
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

    public static Claim claim(Session session, MessageKey key, Kind kind) {
        return session.doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO authz_key_claim (acquirer_id, terminal_id, stan, transmission_time, "
                    + "mti_class, kind) VALUES (?, ?, ?, ?, ?, ?)")) {
                bind(ps, key);
                ps.setString(6, kind.name());
                ps.executeUpdate();
                return new Claim(null);
            } catch (SQLIntegrityConstraintViolationException taken) {
                try (PreparedStatement ps = c.prepareStatement("SELECT kind FROM authz_key_claim WHERE acquirer_id = ? AND terminal_id = ? "
                        + "AND stan = ? AND transmission_time = ? AND mti_class = ?")) {
                    bind(ps, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) throw new IllegalStateException("claim of " + key + " vanished");
                        return new Claim(Kind.valueOf(rs.getString(1)));
                    }
                }
            }
        });
    }

    private static void bind(PreparedStatement ps, MessageKey key) throws java.sql.SQLException {
        ps.setString(1, key.acquirerId());
        ps.setString(2, key.terminalId());
        ps.setString(3, key.stan());
        ps.setString(4, key.transmissionTime());
        ps.setString(5, key.mtiClass());
    }
}
