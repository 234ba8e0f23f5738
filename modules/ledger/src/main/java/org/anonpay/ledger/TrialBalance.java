// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

/**
 * The sums over all accounts of one currency, in minor units. Every transfer debits one account
 * and credits another by the same amount, so a ledger that lost or doubled nothing is
 * {@link #balanced()}: anything else is a bug to stop for.
 */
public record TrialBalance(String currency, long debitsPosted, long creditsPosted,
                           long debitsPending, long creditsPending) {

    /** debits posted == credits posted and debits pending == credits pending. */
    public boolean balanced() {
        return debitsPosted == creditsPosted && debitsPending == creditsPending;
    }
}
