// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.util.random.RandomGenerator;
import org.anonpay.iso.Card;
import org.anonpay.iso.Terminal;

/**
 * Who pays where and how much. A share {@code hotShare} of the draws goes to the first
 * {@code hotCards} cards (and, drawn apart, to the first {@code hotMerchants} merchants), the rest
 * is spread evenly: hot cards contend on their card rows, hot merchants on their payable account.
 * Amounts are small (minor units, uniform in [minAmount, maxAmount]) so that balances and daily
 * limits seldom decide the answer.
 */
record Workload(int cards, int hotCards, int merchants, int hotMerchants, double hotShare,
                long minAmount, long maxAmount, String expiryYymm) {

    static final String ACQUIRER_ID = "100001";
    static final String TERMINAL_PREFIX = "BENCH";
    static final String MERCHANT_PREFIX = "BENCHM";

    Workload {
        if (cards <= 0 || hotCards < 0 || hotCards >= cards) throw new IllegalArgumentException("need 0 <= hot cards < cards");
        if (merchants <= 0 || hotMerchants < 0 || hotMerchants >= merchants) throw new IllegalArgumentException("need 0 <= hot merchants < merchants");
        if (hotShare < 0 || hotShare > 1) throw new IllegalArgumentException("hot share is between 0 and 1");
        if (minAmount <= 0 || maxAmount < minAmount) throw new IllegalArgumentException("need 0 < min amount <= max amount");
    }

    int card(RandomGenerator random) {
        return pick(random, cards, hotCards);
    }

    int merchant(RandomGenerator random) {
        return pick(random, merchants, hotMerchants);
    }

    private int pick(RandomGenerator random, int all, int hot) {
        if (hot > 0 && random.nextDouble() < hotShare) return random.nextInt(hot);
        return hot + random.nextInt(all - hot);
    }

    long amount(RandomGenerator random) {
        return random.nextLong(minAmount, maxAmount + 1);
    }

    Card isoCard(int index) {
        return Card.ofPan(BenchCards.pan(index)).withExpiry(expiryYymm);
    }

    static String merchantId(int index) {
        return MERCHANT_PREFIX + String.format("%06d", index);
    }

    /** Connection {@code n}'s terminal: its own terminal id, so STANs never clash between connections. */
    static Terminal terminal(int connection) {
        return Terminal.defaults().withAcquirerId(ACQUIRER_ID).withTerminalId(TERMINAL_PREFIX + String.format("%03d", connection));
    }
}
