// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.settlement;

/**
 * One disagreement found by {@link Reconciliation}: which records disagree ({@code kind}), where,
 * and how.
 */
public record Break(Kind kind, String where, String what) {

    public enum Kind {
        /** A journal entry and its ledger transfers disagree. */
        JOURNAL_LEDGER,
        /** A settlement batch, its ledger transfers and the day's entries disagree. */
        LEDGER_SETTLEMENT,
        /** A settlement file and the day's entries or batches disagree. */
        FILE,
        /** The ledger's trial balance does not balance. */
        TRIAL_BALANCE
    }

    @Override
    public String toString() {
        return "BREAK " + kind + " " + where + ": " + what;
    }
}
