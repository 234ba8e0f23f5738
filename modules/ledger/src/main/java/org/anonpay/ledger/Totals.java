// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

/**
 * The four running totals of one account, or the change a transfer makes to them (then the
 * pending parts may be negative: posting or voiding releases a hold).
 */
record Totals(long debitsPosted, long creditsPosted, long debitsPending, long creditsPending) {

    static final Totals ZERO = new Totals(0, 0, 0, 0);

    /** Overflow throws instead of wrapping: a wrapped total would be money created from nothing. */
    Totals plus(Totals delta) {
        return new Totals(
                Math.addExact(debitsPosted, delta.debitsPosted),
                Math.addExact(creditsPosted, delta.creditsPosted),
                Math.addExact(debitsPending, delta.debitsPending),
                Math.addExact(creditsPending, delta.creditsPending));
    }

    boolean notNegative() {
        return debitsPosted >= 0 && creditsPosted >= 0 && debitsPending >= 0 && creditsPending >= 0;
    }

    /**
     * What a guarded (card) account can still spend. Cannot overflow while the guard holds:
     * all totals are non-negative and debits posted + debits pending ≤ credits posted.
     */
    long available() {
        assert notNegative() : this;
        return creditsPosted - debitsPosted - debitsPending;
    }

    Balance balance(long accountId, String currency) {
        return new Balance(accountId, currency, debitsPosted, creditsPosted, debitsPending, creditsPending);
    }

    /** The change {@code kind} makes to the debit account; {@code heldAmount} is the PENDING's amount. */
    static Totals debitDelta(TransferKind kind, long amount, long heldAmount) {
        return switch (kind) {
            case SINGLE_PHASE -> new Totals(amount, 0, 0, 0);
            case PENDING -> new Totals(0, 0, amount, 0);
            case POST_PENDING -> new Totals(amount, 0, -heldAmount, 0);
            case VOID_PENDING -> new Totals(0, 0, -heldAmount, 0);
        };
    }

    /** The change {@code kind} makes to the credit account; the mirror of {@link #debitDelta}. */
    static Totals creditDelta(TransferKind kind, long amount, long heldAmount) {
        return switch (kind) {
            case SINGLE_PHASE -> new Totals(0, amount, 0, 0);
            case PENDING -> new Totals(0, 0, 0, amount);
            case POST_PENDING -> new Totals(0, amount, 0, -heldAmount);
            case VOID_PENDING -> new Totals(0, 0, 0, -heldAmount);
        };
    }
}
