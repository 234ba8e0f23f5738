// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

import java.util.concurrent.atomic.AtomicInteger;

/** Systems trace audit numbers (field 11): 000001..999999, then 000001 again. Thread-safe. */
public final class StanCounter {
    private static final int MAX_STAN = 999_999;

    private final AtomicInteger next;

    /** {@code first} is the STAN the first {@link #next()} returns. */
    public StanCounter(int first) {
        if (first < 1 || first > MAX_STAN) {
            throw new IllegalArgumentException("STAN must be 1..999999");
        }
        this.next = new AtomicInteger(first);
    }

    public String next() {
        int stan = next.getAndUpdate(n -> n >= MAX_STAN ? 1 : n + 1);
        return String.format("%06d", stan);
    }
}
