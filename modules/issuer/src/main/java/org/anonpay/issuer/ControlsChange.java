// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

/** The outcome of {@link CardIssuer#setControls}; only CHANGED changed anything. */
public enum ControlsChange {
    CHANGED,
    CARD_NOT_FOUND,
    /** LOST, STOLEN, CLOSED and EXPIRED cards are never authorized again: nothing to control. */
    CARD_NOT_CHANGEABLE,
    /** The card's program is no longer configured, so its limits are unknown. */
    PROGRAM_UNKNOWN,
    /** A member limit below 1 minor unit. */
    LIMIT_NOT_POSITIVE,
    /** The member's per-transaction limit is above the program's. */
    TRANSACTION_LIMIT_ABOVE_PROGRAM,
    /** The member's daily limit is above the program's. */
    DAILY_LIMIT_ABOVE_PROGRAM,
    /** The member's per-transaction limit is above the member's own daily limit. */
    TRANSACTION_LIMIT_ABOVE_DAILY
}
