// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StatsTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void latencyCountsFromTheIntendedTimeNotFromTheSend() {
        Stats s = new Stats();
        s.answered("0200", 0, 4 * SECOND / 1000, 7 * SECOND / 1000, "00");
        assertEquals(7_000, s.of("0200").latency.getMaxValue(), 7); // µs, 3 significant digits
        assertEquals(1, s.of("0200").approved);
    }

    @Test
    void theAnsweredSpanRunsFromTheFirstSendToTheLastAnswerAcrossMergedConnections() {
        Stats first = new Stats();
        first.answered("0200", 10 * SECOND, 10 * SECOND, 11 * SECOND, "00");
        Stats second = new Stats();
        second.answered("0100", 12 * SECOND, 12 * SECOND, 95 * SECOND, "51");
        Stats merged = new Stats();
        merged.add(first);
        merged.add(second);
        assertEquals(85.0, merged.answeredSpanSeconds(), 1e-9);
        assertEquals(1.0, first.answeredSpanSeconds(), 1e-9);
    }

    @Test
    void noAnswersIsNoSpan() {
        Stats s = new Stats();
        s.error("0200");
        assertEquals(0.0, s.answeredSpanSeconds());
        Stats merged = new Stats();
        merged.add(s);
        assertEquals(0.0, merged.answeredSpanSeconds());
    }
}
