// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Balances summed from {@code ledger_transfer}. Each is ONE statement, so that under READ
 * COMMITTED it reads one snapshot: two statements could each see a different set of commits and
 * report a total that never existed (and a trial balance that does not balance).
 */
final class Sums {

    /** A posting transfer's amount, or 0: what it added to the posted totals of its accounts. */
    private static final String POSTED = "CASE WHEN t.kind IN (" + Sql.POSTING_KINDS + ") THEN t.amount ELSE 0 END";
    /** A held PENDING transfer's amount, or 0. Posted or voided holds count no more. */
    private static final String HELD = "CASE WHEN t.kind = 'PENDING' AND t.state = 'PENDING' THEN t.amount ELSE 0 END";

    /** Each side is summed on its own (two rows to add up, not one per transfer). */
    private static final String ACCOUNT_SUMS =
            "SELECT SUM(dp), SUM(cp), SUM(dq), SUM(cq) FROM ("
            + " SELECT SUM(" + POSTED + ") AS dp, 0 AS cp, SUM(" + HELD + ") AS dq, 0 AS cq"
            + " FROM ledger_transfer t WHERE t.debit_account_id = ?"
            + " UNION ALL"
            + " SELECT 0, SUM(" + POSTED + "), 0, SUM(" + HELD + ")"
            + " FROM ledger_transfer t WHERE t.credit_account_id = ?"
            + ") sides";

    /**
     * Card accounts count with their row totals, hot accounts with the sums of their transfers
     * (both sides of a transfer between two cards come from the rows, between two hot accounts
     * from the transfer). The rows of hot accounts are all zeros (a CHECK constraint), so every
     * row can be added and every currency with an account gets a line. Because card totals and
     * transfers are two records of the same money, a bug that updates one without the other
     * shows up here as an imbalance instead of cancelling out.
     */
    private static final String TRIAL_BALANCE =
            "SELECT currency, SUM(dp), SUM(cp), SUM(dq), SUM(cq) FROM ("
            + " SELECT a.currency, SUM(a.debits_posted) AS dp, SUM(a.credits_posted) AS cp,"
            + " SUM(a.debits_pending) AS dq, SUM(a.credits_pending) AS cq"
            + " FROM ledger_account a GROUP BY a.currency"
            + " UNION ALL"
            + " SELECT a.currency, SUM(" + POSTED + "), 0, SUM(" + HELD + "), 0"
            + " FROM ledger_transfer t JOIN ledger_account a ON a.id = t.debit_account_id"
            + " WHERE a.kind IN (" + Sql.HOT_KINDS + ") GROUP BY a.currency"
            + " UNION ALL"
            + " SELECT a.currency, 0, SUM(" + POSTED + "), 0, SUM(" + HELD + ")"
            + " FROM ledger_transfer t JOIN ledger_account a ON a.id = t.credit_account_id"
            + " WHERE a.kind IN (" + Sql.HOT_KINDS + ") GROUP BY a.currency"
            + ") entries GROUP BY currency ORDER BY currency";

    private Sums() {}

    /** The totals of a hot account: an index-only scan of its entries on each side. */
    static Totals hotAccount(Connection c, long accountId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(ACCOUNT_SUMS)) {
            s.setLong(1, accountId);
            s.setLong(2, accountId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new Totals(
                        Sql.exactLong(rs.getBigDecimal(1)),
                        Sql.exactLong(rs.getBigDecimal(2)),
                        Sql.exactLong(rs.getBigDecimal(3)),
                        Sql.exactLong(rs.getBigDecimal(4)));
            }
        }
    }

    static List<TrialBalance> trialBalance(Connection c) throws SQLException {
        List<TrialBalance> lines = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(TRIAL_BALANCE); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                lines.add(new TrialBalance(rs.getString(1),
                        Sql.exactLong(rs.getBigDecimal(2)),
                        Sql.exactLong(rs.getBigDecimal(3)),
                        Sql.exactLong(rs.getBigDecimal(4)),
                        Sql.exactLong(rs.getBigDecimal(5))));
            }
        }
        return lines;
    }
}
