// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

/**
 * An account's totals in minor units. For a credit-normal (card) account:
 * posted = credits posted − debits posted; available = posted − debits pending.
 */
public record Balance(long accountId, String currency, long debitsPosted, long creditsPosted,
                      long debitsPending, long creditsPending) {

    /** credits posted − debits posted. */
    public long posted() {
        return creditsPosted - debitsPosted;
    }

    /** posted − debits pending: what a card can still spend. */
    public long available() {
        return posted() - debitsPending;
    }
}
