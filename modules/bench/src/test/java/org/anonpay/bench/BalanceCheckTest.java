// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.anonpay.bench.BalanceCheck.CardTotals;
import org.junit.jupiter.api.Test;

class BalanceCheckTest {

    private static final long FUNDING = 2_000_000;

    @Test
    void aCardMatchesWhenPostedIsFundingLessNetSpendingAndNoHoldIsOpen() {
        // funded 2,000,000; bought 300, completed 150 of a 200 hold, a 100 purchase reversed: net 450
        Spending spending = new Spending(1);
        spending.spent(0, 300);
        spending.spent(0, 150);
        spending.spent(0, 100);
        spending.refunded(0, 100);
        CardTotals ledger = new CardTotals(FUNDING + 100, 100 + 450, 0);
        BalanceCheck.Result r = check(spending, ledger);
        assertTrue(r.passed());
        assertEquals(1, r.checked());
    }

    @Test
    void aDifferentPostedBalanceIsAMismatch() {
        Spending spending = new Spending(1);
        spending.spent(0, 300);
        BalanceCheck.Result r = check(spending, new CardTotals(FUNDING, 301, 0));
        assertFalse(r.passed());
        assertEquals(1, r.mismatchCount());
        assertEquals(FUNDING - 300, r.examples().getFirst().expectedPosted());
        assertEquals(FUNDING - 301, r.examples().getFirst().actualPosted());
    }

    @Test
    void anOpenHoldIsAMismatchEvenWhenPostedAgrees() {
        BalanceCheck.Result r = check(new Spending(1), new CardTotals(FUNDING, 0, 200));
        assertEquals(1, r.mismatchCount());
        assertEquals(200, r.examples().getFirst().pending());
    }

    @Test
    void aMissingAccountIsAMismatch() {
        BalanceCheck.Result r = check(new Spending(1), null);
        assertEquals(1, r.mismatchCount());
    }

    @Test
    void cardsWithAnUnknownOutcomeAreCountedApartAndNotChecked() {
        Spending spending = new Spending(2);
        spending.spent(1, 500);
        spending.unknownOutcome(1);
        CardTotals[] totals = {new CardTotals(FUNDING, 0, 0), new CardTotals(FUNDING, 0, 500)};
        BalanceCheck.Result r = BalanceCheck.check(new long[] {FUNDING, FUNDING}, spending.netSnapshot(), spending.uncertainSnapshot(), totals);
        assertTrue(r.passed());
        assertEquals(1, r.checked());
        assertEquals(1, r.uncertain());
    }

    @Test
    void keepsOnlyAFewExamplesButCountsAll() {
        int cards = 20;
        long[] funding = new long[cards];
        CardTotals[] totals = new CardTotals[cards];
        for (int i = 0; i < cards; i++) {
            funding[i] = FUNDING;
            totals[i] = new CardTotals(FUNDING, 1, 0);
        }
        BalanceCheck.Result r = BalanceCheck.check(funding, new long[cards], new boolean[cards], totals);
        assertEquals(20, r.mismatchCount());
        assertEquals(5, r.examples().size());
    }

    @Test
    void cpuTicksAreReadAfterTheCommandName() {
        String stat = "1234 (java (x) y) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0";
        assertEquals(300, CpuMeter.parseTicks(stat));
    }

    private static BalanceCheck.Result check(Spending spending, CardTotals ledger) {
        return BalanceCheck.check(new long[] {FUNDING}, spending.netSnapshot(), spending.uncertainSnapshot(), new CardTotals[] {ledger});
    }
}
