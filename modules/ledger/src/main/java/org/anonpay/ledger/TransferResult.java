// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

/** The outcome of one transfer; every failure cause has a name of its own (as TigerBeetle). */
public enum TransferResult {
    CREATED,
    /** The same id with the same fields was created before: nothing moved this time. */
    EXISTS,
    EXISTS_WITH_DIFFERENT_FIELDS,
    /** Another transfer of the same batch failed, so this one was not applied. */
    LINKED_EVENT_FAILED,
    AMOUNT_MUST_NOT_BE_ZERO,
    ACCOUNTS_MUST_BE_DIFFERENT,
    DEBIT_ACCOUNT_NOT_FOUND,
    CREDIT_ACCOUNT_NOT_FOUND,
    CURRENCIES_MUST_BE_EQUAL,
    /** The balance guard: the card account's debits would exceed its credits. */
    EXCEEDS_CREDITS,
    PENDING_TRANSFER_NOT_FOUND,
    PENDING_TRANSFER_NOT_PENDING,
    PENDING_TRANSFER_ALREADY_POSTED,
    PENDING_TRANSFER_ALREADY_VOIDED,
    PENDING_TRANSFER_HAS_DIFFERENT_ACCOUNTS,
    EXCEEDS_PENDING_TRANSFER_AMOUNT;

    /** CREATED, or EXISTS for an idempotent replay. */
    public boolean ok() {
        return this == CREATED || this == EXISTS;
    }
}
