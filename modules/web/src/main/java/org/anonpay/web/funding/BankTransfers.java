// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.funding;

/**
 * Debits a member's bank account for a top-up, and gives it back. anonpay has no bank link yet:
 * production needs a firm-banking (CMS / 펌뱅킹) link implementing this; development uses
 * {@link SimulatedBank}.
 *
 * <p>Both calls are idempotent by {@code transferId}: a debit repeated with the same id debits
 * once (and answers as the first time); a refund of a transfer that was never debited, or was
 * refunded already, succeeds without moving money. That makes "the bank did not answer" safe to
 * resolve by refunding.
 */
public interface BankTransfers {

    enum DebitStatus {
        /** The money is taken. */
        DEBITED,
        /** The account does not hold enough. */
        INSUFFICIENT_FUNDS,
        /** The bank refused for another reason (closed account, wrong holder, ...). */
        REFUSED,
        /** No answer: the outcome is unknown, so the caller must refund to be sure. */
        UNAVAILABLE
    }

    /** @param code the bank's reason code, when it gave one (e.g. "51") */
    record Debit(DebitStatus status, String reference, String code) {
        public boolean debited() {
            return status == DebitStatus.DEBITED;
        }
    }

    enum RefundStatus { REFUNDED, UNAVAILABLE }

    Debit debit(String transferId, String bankCode, String accountNumber, long amountMinor, String currency);

    RefundStatus refund(String transferId, String bankCode, String accountNumber, long amountMinor, String currency);
}
