// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.Optional;
import org.anonpay.ledger.StoredTransfer.PendingState;

/**
 * The {@code ledger_transfer} table: append-only, except that a PENDING transfer's state moves
 * once from PENDING to POSTED or VOIDED.
 */
final class TransferStore {

    /** How a read locks the transfer row it finds. Under READ COMMITTED a missing row locks nothing. */
    enum Lock {
        /** A consistent read: no lock, may miss a row that is being inserted right now. */
        NONE(""),
        /** Waits for a concurrent uncommitted insert of the same id to end, then sees it if it committed. */
        SHARED(" LOCK IN SHARE MODE"),
        /** As SHARED, and keeps others from posting or voiding the same PENDING transfer meanwhile. */
        EXCLUSIVE(" FOR UPDATE");

        private final String sql;

        Lock(String sql) {
            this.sql = sql;
        }
    }

    private static final String COLUMNS =
            "id, kind, debit_account_id, credit_account_id, amount, pending_id, code, reference, state, created_at";

    private TransferStore() {}

    static Optional<StoredTransfer> find(Connection c, TransferId id, Lock lock) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM ledger_transfer WHERE id = ?" + lock.sql)) {
            s.setBytes(1, id.bytes());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(stored(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Appends {@code t}; false if its id exists already. The primary key is the last word on
     * idempotency: of two transactions inserting one id, the second waits for the first and gets
     * a duplicate key once it commits, so the money moves once.
     */
    static boolean insert(Connection c, Transfer t) throws SQLException {
        String sql = "INSERT INTO ledger_transfer (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setBytes(1, t.id().bytes());
            s.setString(2, t.kind().name());
            s.setLong(3, t.debitAccountId());
            s.setLong(4, t.creditAccountId());
            s.setLong(5, t.amount());
            if (t.pendingId() == null) s.setNull(6, Types.BINARY); else s.setBytes(6, t.pendingId().bytes());
            s.setString(7, t.code().name());
            s.setString(8, t.reference());
            if (t.kind() == TransferKind.PENDING) s.setString(9, PendingState.PENDING.name()); else s.setNull(9, Types.VARCHAR);
            s.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (Sql.isDuplicateKey(e)) return false;
            throw e;
        }
    }

    /**
     * Appends new SINGLE_PHASE and PENDING transfers with one multi-row statement. An id that exists
     * fails the whole statement on the primary key (a SQLException; nothing of it is written).
     */
    static void insertAll(Connection c, java.util.List<Transfer> transfers) throws SQLException {
        String sql = "INSERT INTO ledger_transfer (" + COLUMNS + ") VALUES "
                + String.join(", ", java.util.Collections.nCopies(transfers.size(), "(?, ?, ?, ?, ?, NULL, ?, ?, ?, UTC_TIMESTAMP(6))"));
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            for (Transfer t : transfers) {
                assert t.pendingId() == null : "only new money in a multi-row insert";
                s.setBytes(i++, t.id().bytes());
                s.setString(i++, t.kind().name());
                s.setLong(i++, t.debitAccountId());
                s.setLong(i++, t.creditAccountId());
                s.setLong(i++, t.amount());
                s.setString(i++, t.code().name());
                s.setString(i++, t.reference());
                if (t.kind() == TransferKind.PENDING) s.setString(i++, PendingState.PENDING.name()); else s.setNull(i++, Types.VARCHAR);
            }
            int inserted = s.executeUpdate();
            if (inserted != transfers.size()) throw new SQLException("inserted " + inserted + " transfers of " + transfers.size());
        }
    }

    /** Moves a PENDING transfer, locked by the caller, to POSTED or VOIDED. */
    static void resolve(Connection c, TransferId pendingId, PendingState state) throws SQLException {
        assert state != PendingState.PENDING;
        try (PreparedStatement s = c.prepareStatement("UPDATE ledger_transfer SET state = ? WHERE id = ? AND state = 'PENDING'")) {
            s.setString(1, state.name());
            s.setBytes(2, pendingId.bytes());
            int updated = s.executeUpdate();
            assert updated == 1 : "pending transfer " + pendingId + " was resolved under our lock";
        }
    }

    private static StoredTransfer stored(ResultSet rs) throws SQLException {
        byte[] pendingId = rs.getBytes("pending_id");
        String state = rs.getString("state");
        return new StoredTransfer(
                new TransferId(rs.getBytes("id")),
                TransferKind.valueOf(rs.getString("kind")),
                rs.getLong("debit_account_id"),
                rs.getLong("credit_account_id"),
                rs.getLong("amount"),
                pendingId == null ? null : new TransferId(pendingId),
                TransferCode.valueOf(rs.getString("code")),
                rs.getString("reference"),
                state == null ? null : PendingState.valueOf(state),
                Sql.utc(rs.getObject("created_at", LocalDateTime.class)));
    }
}
