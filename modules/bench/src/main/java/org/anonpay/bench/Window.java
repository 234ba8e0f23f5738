// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.time.Duration;

/**
 * The timeline of one drive, in System.nanoTime(): warm-up from {@code start}, measurement from
 * {@code measureStart} to {@code end}. A scenario belongs to the phase its intended start falls in.
 */
record Window(long start, long measureStart, long end) {

    static Window startingNow(Duration warmup, Duration measured) {
        long now = System.nanoTime();
        return new Window(now, now + warmup.toNanos(), now + warmup.toNanos() + measured.toNanos());
    }

    boolean measured(long nanos) {
        return nanos >= measureStart && nanos < end;
    }

    boolean over(long nanos) {
        return nanos >= end;
    }

    double measuredSeconds() {
        return (end - measureStart) / 1e9;
    }
}
