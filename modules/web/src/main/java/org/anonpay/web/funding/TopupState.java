// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.funding;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a top-up stands. Money moves in two steps, funding (charge the credit card / debit the
 * account) and load (credit the prepaid card through the transaction manager), and each state
 * says which of them stand:
 * <pre>
 *   PENDING ──charged/debited──▶ FUNDED ──load approved──▶ LOADED
 *      │                            └──load declined──▶ (funding given back) FAILED | REFUND_PENDING ─▶ FAILED
 *      ├──refused──▶ DECLINED            (nothing moved)
 *      ├──not sent──▶ UNAVAILABLE        (nothing moved)
 *      └──no answer──▶ (reversed) REVERSED | REVERSAL_PENDING ─▶ REVERSED
 * </pre>
 */
public enum TopupState {
    /** Row written, funding asked or about to be: its outcome is unknown until the state moves. */
    PENDING,
    /** The funding source was charged or debited; the load is due. */
    FUNDED,
    /** The prepaid card was loaded. Final. */
    LOADED,
    /** The issuer or bank refused the funding; nothing moved. Final. */
    DECLINED,
    /** The funding was not sent (link down); nothing moved. Final. */
    UNAVAILABLE,
    /** The funding's outcome was unknown and it was undone (reversal acknowledged, refund made). Final. */
    REVERSED,
    /** The funding must be undone and its undoing was not yet acknowledged: the recovery repeats it. */
    REVERSAL_PENDING,
    /** The load was refused and the funding given back. Final. */
    FAILED,
    /** The load was refused and the funding is still to be given back: the recovery repeats it. */
    REFUND_PENDING;

    /** States the recovery works on. */
    public static final Set<TopupState> UNFINISHED = EnumSet.of(PENDING, FUNDED, REVERSAL_PENDING, REFUND_PENDING);

    public boolean finished() {
        return !UNFINISHED.contains(this);
    }
}
