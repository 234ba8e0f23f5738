// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.extissuer;

import org.anonpay.iso.IsoMessages;

/**
 * A credit card the external-issuer simulator pretends to have issued (one entry of
 * {@code cfg/extissuer/cards.properties}). {@code delayMs} makes every 0100/0200 answer for it late, so a
 * caller times out; {@code dropReversals} makes the simulator ignore the first that many reversal
 * messages of each charge, so a caller has to repeat its reversal. {@link #toString()} hides PAN and CVV2.
 */
public record SimulatedCard(String pan, String expiry, String cvv2, String owner, long limitMinor,
                            long delayMs, int dropReversals) {
    public SimulatedCard {
        if (pan == null || !pan.matches("\\d{12,19}")) {
            throw new IllegalArgumentException("PAN must be 12 to 19 digits");
        }
        if (expiry == null || !expiry.matches("\\d{4}")) {
            throw new IllegalArgumentException("expiry of card " + IsoMessages.maskPan(pan) + " must be YYMM");
        }
        if (cvv2 == null || !cvv2.matches("\\d{3,4}")) {
            throw new IllegalArgumentException("CVV2 of card " + IsoMessages.maskPan(pan) + " must be 3 or 4 digits");
        }
        if (limitMinor < 0 || delayMs < 0 || dropReversals < 0) {
            throw new IllegalArgumentException("limit, delay and dropped reversals of card " + IsoMessages.maskPan(pan)
                    + " cannot be negative");
        }
        owner = owner == null ? "" : owner;
    }

    @Override
    public String toString() {
        return "SimulatedCard[pan=" + IsoMessages.maskPan(pan) + ", expiry=" + expiry + ", cvv2=***, owner=" + owner
                + ", limit=" + limitMinor + ", delayMs=" + delayMs + ", dropReversals=" + dropReversals + "]";
    }
}
