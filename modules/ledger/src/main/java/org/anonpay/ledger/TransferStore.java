// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import org.anonpay.db.SqlLists;
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

    /** Ascending transfer ids as the primary key (BINARY(16)) orders them: unsigned bytes. */
    static final Comparator<TransferId> ID_ORDER = (a, b) -> Arrays.compareUnsigned(a.bytes(), b.bytes());

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
     * Locks the transfers with these ids (FOR UPDATE) with one statement, in ascending id: the order
     * in which {@link Batch} locks the holds it resolves one by one. An id not found is absent from
     * the map (under READ COMMITTED it locks nothing).
     */
    static Map<TransferId, StoredTransfer> lockAll(Connection c, SortedSet<TransferId> ids) throws SQLException {
        Map<TransferId, StoredTransfer> found = new HashMap<>();
        if (ids.isEmpty()) return found;
        List<TransferId> places = SqlLists.padded(ids);
        String sql = "SELECT " + COLUMNS + " FROM ledger_transfer WHERE id IN (" + SqlLists.placeholders(places.size()) + ") ORDER BY id FOR UPDATE";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            for (TransferId id : places) s.setBytes(i++, id.bytes());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    StoredTransfer t = stored(rs);
                    found.put(t.id(), t);
                }
            }
        }
        return found;
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
     * Appends transfers of every kind with one multi-row statement. An id that exists fails the
     * whole statement on the primary key (a SQLException; nothing of it is written). The holds that
     * posts and voids among them resolve are moved by {@link #resolveAll}, not here.
     */
    static void insertAll(Connection c, List<Transfer> transfers) throws SQLException {
        String sql = "INSERT INTO ledger_transfer (" + COLUMNS + ") VALUES "
                + String.join(", ", Collections.nCopies(transfers.size(), "(?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))"));
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            for (Transfer t : transfers) {
                s.setBytes(i++, t.id().bytes());
                s.setString(i++, t.kind().name());
                s.setLong(i++, t.debitAccountId());
                s.setLong(i++, t.creditAccountId());
                s.setLong(i++, t.amount());
                if (t.pendingId() == null) s.setNull(i++, Types.BINARY); else s.setBytes(i++, t.pendingId().bytes());
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

    /**
     * Moves PENDING transfers, locked by the caller, to POSTED or VOIDED, all in one statement (CASE
     * by id). A hold that is not PENDING any more (or gone) under our lock is a bug: SQLException.
     */
    static void resolveAll(Connection c, Map<TransferId, PendingState> states) throws SQLException {
        if (states.isEmpty()) return;
        List<TransferId> ids = new ArrayList<>(states.keySet());
        String sql = "UPDATE ledger_transfer SET state = CASE id" + " WHEN ? THEN ?".repeat(ids.size())
                + " END WHERE id IN (" + SqlLists.placeholders(ids.size()) + ") AND state = 'PENDING'";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            for (TransferId id : ids) {
                PendingState state = states.get(id);
                assert state != PendingState.PENDING;
                s.setBytes(i++, id.bytes());
                s.setString(i++, state.name());
            }
            for (TransferId id : ids) s.setBytes(i++, id.bytes());
            int updated = s.executeUpdate();
            if (updated != ids.size()) throw new SQLException("resolved " + updated + " pending transfers of " + ids.size());
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
