// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

/** The outcome of {@link CardIssuer#changeState}; only CHANGED changed anything. */
public enum StateChange {
    CHANGED,
    /** The card is already in the asked state: nothing to do (not an error for a retried request). */
    ALREADY_IN_STATE,
    CARD_NOT_FOUND,
    /** CLOSED is final. */
    CARD_CLOSED,
    /** A LOST or STOLEN card can only be CLOSED (a found card is replaced, not revived). */
    REPORTED_CARD_ONLY_CLOSES,
    /** EXPIRED is set from the expiry date ({@link CardIssuer#expireCards}), not by request. */
    EXPIRY_IS_BY_DATE,
    /** Any other refused change, e.g. EXPIRED → ACTIVE. */
    NOT_ALLOWED;

    public boolean ok() {
        return this == CHANGED || this == ALREADY_IN_STATE;
    }
}
