// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The per-card arithmetic of the verification: each card's posted balance must be its funding
 * minus its net approved spending (purchases and completions approved, less purchases reversed),
 * and no hold may be left open (every authorization of the mix is completed or reversed).
 * Cards whose last message had an unknown outcome (a timeout that could not be resolved) are
 * counted apart: nothing can be expected of them.
 */
final class BalanceCheck {
    private static final int EXAMPLES = 5;

    private BalanceCheck() {}

    /** One card's ledger totals as read after the run. */
    record CardTotals(long creditsPosted, long debitsPosted, long debitsPending) {
        long posted() {
            return creditsPosted - debitsPosted;
        }
    }

    /** A card whose ledger disagrees with the driver's bookkeeping. */
    record Mismatch(int index, long expectedPosted, long actualPosted, long pending) {}

    record Result(int checked, int uncertain, int mismatchCount, List<Mismatch> examples) {
        boolean passed() {
            return mismatchCount == 0;
        }
    }

    /**
     * @param funding   per card index: what the card was loaded with
     * @param spending  per card index: net approved spending seen by the driver
     * @param uncertain per card index: outcome unknown (excluded)
     * @param totals    per card index: the ledger's totals, null when the card's account was not found
     */
    static Result check(long[] funding, long[] spending, boolean[] uncertain, CardTotals[] totals) {
        int checked = 0;
        int skipped = 0;
        int mismatches = 0;
        List<Mismatch> examples = new ArrayList<>();
        for (int i = 0; i < funding.length; i++) {
            if (uncertain[i]) {
                skipped++;
                continue;
            }
            checked++;
            Mismatch m = compare(i, funding[i] - spending[i], totals[i]);
            if (m == null) continue;
            mismatches++;
            if (examples.size() < EXAMPLES) examples.add(m);
        }
        return new Result(checked, skipped, mismatches, List.copyOf(examples));
    }

    private static Mismatch compare(int index, long expectedPosted, CardTotals t) {
        if (t == null) return new Mismatch(index, expectedPosted, Long.MIN_VALUE, 0);
        if (t.posted() == expectedPosted && t.debitsPending() == 0) return null;
        return new Mismatch(index, expectedPosted, t.posted(), t.debitsPending());
    }
}
