// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import java.util.Objects;

/**
 * A card whose row an authorization has locked, with its member controls: both come from one
 * statement ({@link CardIssuer#lockForAuthorization}), so an authorization reads the card once.
 * The card is usually not managed by the session (see {@link CardIssuer#checkPin}, which writes
 * what it changes itself).
 */
public record LockedCard(Card card, CardControls controls) {
    public LockedCard {
        Objects.requireNonNull(card, "card");
        Objects.requireNonNull(controls, "controls");
    }
}
