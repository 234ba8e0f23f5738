// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.anonpay.db.SqlLists;
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

    /**
     * The totals of these rows under exclusive locks, in one statement: InnoDB locks them as it walks
     * the primary key, in ascending id, the order every batch locks in. Missing ids are absent.
     */
    static Map<Long, Totals> lockTotalsAll(Connection c, java.util.SortedSet<Long> ids) throws SQLException {
        Map<Long, Totals> found = new HashMap<>();
        if (ids.isEmpty()) return found;
        List<Long> places = SqlLists.padded(ids);
        String sql = "SELECT id, " + TOTALS + " FROM ledger_account WHERE id IN (" + SqlLists.placeholders(places.size()) + ") FOR UPDATE";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            for (long id : places) s.setLong(i++, id);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) found.put(rs.getLong(1), new Totals(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
            }
        }
        return found;
    }

    /** Writes the totals of locked rows, all in one statement (CASE by id). */
    static void writeTotalsAll(Connection c, Map<Long, Totals> totalsById) throws SQLException {
        if (totalsById.isEmpty()) return;
        List<Long> ids = new ArrayList<>(totalsById.keySet());
        String cases = "CASE id" + " WHEN ? THEN ?".repeat(ids.size()) + " END";
        String sql = "UPDATE ledger_account SET debits_posted = " + cases + ", credits_posted = " + cases + ", debits_pending = "
                + cases + ", credits_pending = " + cases + " WHERE id IN (" + SqlLists.placeholders(ids.size()) + ")";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            for (int column = 0; column < 4; column++) {
                for (long id : ids) {
                    Totals t = totalsById.get(id);
                    assert t.notNegative() : t;
                    s.setLong(i++, id);
                    s.setLong(i++, switch (column) {
                        case 0 -> t.debitsPosted();
                        case 1 -> t.creditsPosted();
                        case 2 -> t.debitsPending();
                        default -> t.creditsPending();
                    });
                }
            }
            for (long id : ids) s.setLong(i++, id);
            int updated = s.executeUpdate();
            // the driver counts matched rows: one per locked row, or a row vanished under our lock
            if (updated != ids.size()) throw new SQLException("updated " + updated + " accounts of " + ids.size());
        }
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
