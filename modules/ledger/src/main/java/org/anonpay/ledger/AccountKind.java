// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

/**
 * What an account stands for. Balances are kept from the issuer's side: a card's prepaid balance
 * is money the issuer owes the cardholder, so card accounts are credit-normal and their
 * available balance is credits posted − debits posted − debits pending.
 */
public enum AccountKind {
    /** One per card: the prepaid balance. Guarded: debits may never exceed credits. Locked row. */
    CARD_PREPAID(true),
    /** One per merchant (card acceptor): what the issuer owes the merchant. Hot: append-only. */
    MERCHANT_PAYABLE(false),
    /** Operator: the counterpart of every load (cash, transfer, credit card). Hot: append-only. */
    FUNDING_CLEARING(false),
    /** Operator: money paid out to merchants at settlement. Append-only. */
    SETTLEMENT(false),
    /** Operator: amounts that could not be placed yet. Append-only. */
    SUSPENSE(false),
    /** Operator: stand-in (0120 advice) spending past a card's balance, to be recovered. Append-only. */
    RECOVERY(false);

    private final boolean balanceRow;

    AccountKind(boolean balanceRow) {
        this.balanceRow = balanceRow;
    }

    /**
     * True when the account keeps running totals in its own row (locked per transfer, needed for
     * the balance guard). False for hot accounts: their transfers are appended and their balance
     * is summed, so no authorization waits on another merchant's row lock.
     */
    public boolean keepsBalanceRow() {
        return balanceRow;
    }
}
