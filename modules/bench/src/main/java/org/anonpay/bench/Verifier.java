// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.anonpay.db.Database;
import org.anonpay.ledger.Ledger;
import org.anonpay.ledger.TrialBalance;

/**
 * After the drive, with no message in flight: the ledger's trial balance (per currency, debits
 * equal credits, posted and pending) and every card's balance against the driver's bookkeeping
 * ({@link BalanceCheck}). The card totals are read in one query of ledger_account rather than
 * one {@link Ledger#balance} per card: the same row totals, without 100,000 round trips.
 */
final class Verifier {
    private static final String CARD_TOTALS = "SELECT id, credits_posted, debits_posted, debits_pending FROM ledger_account WHERE kind = 'CARD_PREPAID'";

    /** The whole verification; passed when the ledger balances and no card disagrees. */
    record Verification(List<TrialBalance> trialBalances, BalanceCheck.Result cards) {
        boolean ledgerBalanced() {
            return !trialBalances.isEmpty() && trialBalances.stream().allMatch(TrialBalance::balanced);
        }

        boolean passed() {
            return ledgerBalanced() && cards.passed();
        }
    }

    private Verifier() {}

    static Verification verify(Database db, Seeder.Population population, Spending spending) {
        List<TrialBalance> trial = db.inJdbcTransaction(c -> new Ledger().trialBalance(c));
        Map<Long, BalanceCheck.CardTotals> byAccount = db.inJdbcTransaction(Verifier::cardTotals);
        long[] accounts = population.accountIds();
        BalanceCheck.CardTotals[] totals = new BalanceCheck.CardTotals[accounts.length];
        for (int i = 0; i < accounts.length; i++) totals[i] = byAccount.get(accounts[i]);
        BalanceCheck.Result cards = BalanceCheck.check(population.funding(), spending.netSnapshot(), spending.uncertainSnapshot(), totals);
        return new Verification(trial, cards);
    }

    private static Map<Long, BalanceCheck.CardTotals> cardTotals(Connection c) throws java.sql.SQLException {
        Map<Long, BalanceCheck.CardTotals> totals = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(CARD_TOTALS); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) totals.put(rs.getLong(1), new BalanceCheck.CardTotals(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
        }
        return totals;
    }
}
