// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The {@code ledger_account} table. kind, code and currency never change once an account is opened. */
final class AccountStore {

    private static final String COLUMNS = "id, kind, code, currency";
    private static final String TOTALS = "debits_posted, credits_posted, debits_pending, credits_pending";

    private AccountStore() {}

    static Optional<Account> findById(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM ledger_account WHERE id = ?")) {
            s.setLong(1, id);
            return one(s);
        }
    }

    /** {@code locking}: a shared-lock read, which sees a row another transaction just committed. */
    static Optional<Account> findByCode(Connection c, String code, boolean locking) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM ledger_account WHERE code = ?" + (locking ? " LOCK IN SHARE MODE" : "");
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, code);
            // PAD SPACE collations match "a " to "a": only the exact code is this account
            return one(s).filter(a -> a.code().equals(code));
        }
    }

    /**
     * The accounts among {@code ids}, read without locks: the columns read never change, and a
     * hot account must never be locked by a transfer.
     */
    static Map<Long, Account> findAll(Connection c, Collection<Long> ids) throws SQLException {
        Map<Long, Account> found = new HashMap<>();
        if (ids.isEmpty()) return found;
        String in = ids.stream().map(id -> "?").collect(Collectors.joining(","));
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM ledger_account WHERE id IN (" + in + ")")) {
            int i = 1;
            for (long id : ids) s.setLong(i++, id);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Account a = account(rs);
                    found.put(a.id(), a);
                }
            }
        }
        return found;
    }

    /** Inserts the account; empty if its code exists already (maybe just committed by another transaction). */
    static Optional<Account> insert(Connection c, AccountKind kind, String code, String currency) throws SQLException {
        String sql = "INSERT INTO ledger_account (kind, code, currency, created_at) VALUES (?, ?, ?, UTC_TIMESTAMP(6))";
        try (PreparedStatement s = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, kind.name());
            s.setString(2, code);
            s.setString(3, currency);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                if (!keys.next()) throw new IllegalStateException("ledger: no id generated for account " + code);
                return Optional.of(new Account(keys.getLong(1), kind, code, currency));
            }
        } catch (SQLException e) {
            if (Sql.isDuplicateKey(e)) return Optional.empty();
            throw e;
        }
    }

    /** The row's totals, read under an exclusive row lock held until the caller's transaction ends. */
    static Totals lockTotals(Connection c, long id) throws SQLException {
        return totals(c, id, " FOR UPDATE");
    }

    static Totals readTotals(Connection c, long id) throws SQLException {
        return totals(c, id, "");
    }

    /** Writes totals computed from the locked row: the caller holds the row lock. */
    static void writeTotals(Connection c, long id, Totals t) throws SQLException {
        assert t.notNegative() : t;
        String sql = "UPDATE ledger_account SET debits_posted = ?, credits_posted = ?, debits_pending = ?, credits_pending = ? WHERE id = ?";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, t.debitsPosted());
            s.setLong(2, t.creditsPosted());
            s.setLong(3, t.debitsPending());
            s.setLong(4, t.creditsPending());
            s.setLong(5, id);
            int updated = s.executeUpdate();
            assert updated == 1 : "account " + id + " vanished";
        }
    }

    private static Totals totals(Connection c, long id, String lock) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + TOTALS + " FROM ledger_account WHERE id = ?" + lock)) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) throw new IllegalArgumentException("ledger: no account " + id);
                return new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
            }
        }
    }

    private static Optional<Account> one(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            return rs.next() ? Optional.of(account(rs)) : Optional.empty();
        }
    }

    private static Account account(ResultSet rs) throws SQLException {
        return new Account(rs.getLong("id"), AccountKind.valueOf(rs.getString("kind")),
                rs.getString("code"), rs.getString("currency"));
    }
}
