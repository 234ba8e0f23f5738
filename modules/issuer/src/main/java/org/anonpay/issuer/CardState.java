// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import java.util.EnumSet;
import java.util.Set;

/**
 * Life cycle of a card. Only an ACTIVE card is authorized. FROZEN is the cardholder's or ops'
 * temporary stop; LOST and STOLEN are final stops that only lead to CLOSED; CLOSED is final.
 */
public enum CardState {
    ACTIVE, FROZEN, LOST, STOLEN, CLOSED, EXPIRED;

    /** The states this one may change to (by {@link CardIssuer#changeState}). */
    public Set<CardState> next() {
        return switch (this) {
            case ACTIVE -> EnumSet.of(FROZEN, LOST, STOLEN, CLOSED);
            case FROZEN -> EnumSet.of(ACTIVE, LOST, STOLEN, CLOSED);
            case EXPIRED -> EnumSet.of(LOST, STOLEN, CLOSED);
            case LOST, STOLEN -> EnumSet.of(CLOSED);
            case CLOSED -> EnumSet.noneOf(CardState.class);
        };
    }

    public boolean canChangeTo(CardState to) {
        return next().contains(to);
    }

    /** The outcome of asking to go from this state to {@code to}. */
    StateChange changeTo(CardState to) {
        if (this == to) return StateChange.ALREADY_IN_STATE;
        if (canChangeTo(to)) return StateChange.CHANGED;
        if (this == CLOSED) return StateChange.CARD_CLOSED;
        if (to == EXPIRED) return StateChange.EXPIRY_IS_BY_DATE;
        if (this == LOST || this == STOLEN) return StateChange.REPORTED_CARD_ONLY_CLOSES;
        return StateChange.NOT_ALLOWED;
    }
}
