// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.purchase;

import java.time.Instant;

/**
 * Purchase data kept by the gateway between the wallet (b5: the member chose a card for this
 * order) and the mall's approval request (b6), which is approved only if it agrees (b7).
 *
 * @param reference  the opaque reference the mall's page gets back (never a card or member datum)
 * @param customerRef the customer's identifier at the mall
 * @param cardId     the prepaid card the member chose (issuer's card id)
 * @param memberRef  the member who chose it
 */
public record Purchase(String reference, String mallId, String customerRef, String orderId, Goods goods, long totalMinor,
                       String currency, long cardId, long memberRef, State state, Instant createdAt, Instant expiresAt) {

    public enum State {
        /** Waiting for the mall's approval request. */
        PENDING,
        /** Paid by an approved request; a purchase is paid once. */
        PAID,
        /** Not paid in time (or cancelled by the member). */
        EXPIRED
    }

    public boolean expiredAt(Instant now) {
        return state == State.EXPIRED || (state == State.PENDING && !now.isBefore(expiresAt));
    }
}
