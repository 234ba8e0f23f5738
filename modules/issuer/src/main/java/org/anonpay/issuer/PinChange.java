// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

/** The outcome of {@link CardIssuer#changePin}; only CHANGED changed anything. */
public enum PinChange {
    CHANGED,
    CARD_NOT_FOUND,
    /** LOST, STOLEN, CLOSED and EXPIRED cards are never authorized again: no new PIN. */
    CARD_NOT_CHANGEABLE,
    /** Not {@value CardSecurity#PIN_LENGTH} digits. */
    INVALID_PIN
}
