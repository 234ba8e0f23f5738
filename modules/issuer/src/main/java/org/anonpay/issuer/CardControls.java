// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

/**
 * The controls the cardholder sets on one card, enforced by the authorization host on top of
 * the card program's own rules. Amounts are minor units of the program's currency; a null limit
 * means no member limit (only the program's applies). Validity against the program is checked
 * by {@link CardIssuer#setControls}, which answers a {@link ControlsChange} instead of throwing.
 *
 * @param limitPerTransaction most one authorization or purchase may take, or null
 * @param limitDaily          most the card may spend in one business day, or null
 * @param allowOnline         card-not-present use (e-commerce, keyed mail/phone order)
 * @param allowOffline        card-present use at a shop terminal (stripe, chip, contactless)
 */
public record CardControls(Long limitPerTransaction, Long limitDaily, boolean allowOnline, boolean allowOffline) {

    /** What a card has until its member changes something: no member limits, online and offline allowed. */
    public static final CardControls DEFAULTS = new CardControls(null, null, true, true);

    public static CardControls defaults() {
        return DEFAULTS;
    }

    public static CardControls of(Long limitPerTransaction, Long limitDaily, boolean allowOnline, boolean allowOffline) {
        return new CardControls(limitPerTransaction, limitDaily, allowOnline, allowOffline);
    }

    /** True when the member limits one transaction and {@code amount} is above it. */
    public boolean overTransactionLimit(long amount) {
        return limitPerTransaction != null && amount > limitPerTransaction;
    }

    /** True when the member limits the day and {@code spentToday + amount} is above it. */
    public boolean overDailyLimit(long spentToday, long amount) {
        return limitDaily != null && Math.addExact(spentToday, amount) > limitDaily;
    }
}
