// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.settlement;

import java.time.Instant;
import org.anonpay.authz.TransactionType;

/**
 * One approved journal entry of a business date that concerns a merchant, with what it moved on
 * the merchant's payable: {@code ledgerAmount} as the ledger recorded it (its legs found by the ids
 * the switch derives from the message key), {@code journalAmount} as the journal's amounts say it
 * should be. Positive: credited to the merchant (a sale); negative: debited (a refund, a reversed sale).
 */
public record DayEntry(long journalId, Instant createdAt, TransactionType type, String panMasked, String rrn, String stan,
                       String approvalCode, MerchantKey merchant, long ledgerAmount, long journalAmount) {

    /** True when the entry moved money on the merchant's payable (and so is a row of the file). */
    boolean settles() {
        return ledgerAmount != 0 || journalAmount != 0;
    }
}
