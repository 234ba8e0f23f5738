// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.settlement;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * A merchant's totals for one business date, in minor units of its currency.
 *
 * @param gross credits to the payable (purchases, completions, advices, reversed refunds)
 * @param refunds debits of the payable (refunds, reversed purchases and completions), positive
 * @param fee the operator's fee: (gross − refunds) × bps / 10 000, rounded half-even to the minor unit; 0 if gross ≤ refunds
 * @param net gross − refunds − fee: what is paid out (negative: what the merchant owes)
 */
public record MerchantTotals(MerchantKey merchant, int count, long gross, long refunds, long fee, long net) {

    static MerchantTotals of(MerchantKey merchant, List<DayEntry> rows, BigDecimal feeBps) {
        long gross = 0;
        long refunds = 0;
        for (DayEntry e : rows) {
            if (e.ledgerAmount() > 0) gross = Math.addExact(gross, e.ledgerAmount());
            else refunds = Math.addExact(refunds, -e.ledgerAmount());
        }
        long sales = gross - refunds;
        long fee = fee(sales, feeBps);
        return new MerchantTotals(merchant, rows.size(), gross, refunds, fee, sales - fee);
    }

    /** The fee on {@code sales} minor units: half-even to a whole minor unit, never negative. */
    static long fee(long sales, BigDecimal bps) {
        if (sales <= 0) return 0;
        return BigDecimal.valueOf(sales).multiply(bps).divide(BigDecimal.valueOf(10_000), 0, RoundingMode.HALF_EVEN).longValueExact();
    }
}
