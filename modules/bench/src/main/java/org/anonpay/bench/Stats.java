// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Counts and client-side latencies per request MTI ("0100", "0200", "0220", "0400", "0800"). One
 * instance per connection and phase, merged after the run. The recording methods are synchronized:
 * in open loop the scenarios of one connection run on threads of their own and record at once (one
 * uncontended lock per message is far below the cost of the message itself).
 */
final class Stats {
    /** Up to a minute in microseconds, 3 significant digits. */
    static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(1);
    static final int SIGNIFICANT_DIGITS = 3;
    static final String SYSTEM_MALFUNCTION = "96";
    static final String APPROVED = "00";

    /** Counts of one MTI. Declines are by field 39, errors are timeouts and broken connections. */
    static final class TypeStats {
        final Histogram latency = new Histogram(HIGHEST_MICROS, SIGNIFICANT_DIGITS);
        long approved;
        long declined;
        long errors;
        long malfunctions;
        final Map<String, Long> declinesByCode = new TreeMap<>();

        long answered() {
            return approved + declined;
        }

        void add(TypeStats other) {
            latency.add(other.latency);
            approved += other.approved;
            declined += other.declined;
            errors += other.errors;
            malfunctions += other.malfunctions;
            other.declinesByCode.forEach((code, n) -> declinesByCode.merge(code, n, Long::sum));
        }
    }

    private final Map<String, TypeStats> byMti = new TreeMap<>();
    /** Messages sent to resolve an unknown outcome after an error; not in the latencies. */
    long recoveryMessages;
    /** System.nanoTime() of the first message sent and of the last answer recorded here (the span they were answered in). */
    private long firstSentNanos = Long.MAX_VALUE;
    private long lastAnsweredNanos = Long.MIN_VALUE;

    TypeStats of(String mti) {
        return byMti.computeIfAbsent(mti, k -> new TypeStats());
    }

    Map<String, TypeStats> byMti() {
        return byMti;
    }

    /**
     * An answer: latency from the intended send time, outcome from field 39 (96 counted also as a
     * decline); {@code sentNanos} and {@code answeredNanos} (System.nanoTime()) widen the span.
     */
    synchronized void answered(String mti, long intendedNanos, long sentNanos, long answeredNanos, String responseCode) {
        firstSentNanos = Math.min(firstSentNanos, sentNanos);
        lastAnsweredNanos = Math.max(lastAnsweredNanos, answeredNanos);
        TypeStats t = of(mti);
        t.latency.recordValue(clampMicros(answeredNanos - intendedNanos));
        if (APPROVED.equals(responseCode)) {
            t.approved++;
            return;
        }
        t.declined++;
        t.declinesByCode.merge(String.valueOf(responseCode), 1L, Long::sum);
        if (SYSTEM_MALFUNCTION.equals(responseCode)) t.malfunctions++;
    }

    synchronized void error(String mti) {
        of(mti).errors++;
    }

    /** A repeat sent to learn an outcome. */
    synchronized void recovered() {
        recoveryMessages++;
    }

    /** Merges {@code other}, once nothing records into it any more. */
    synchronized void add(Stats other) {
        other.byMti.forEach((mti, t) -> of(mti).add(t));
        recoveryMessages += other.recoveryMessages;
        firstSentNanos = Math.min(firstSentNanos, other.firstSentNanos);
        lastAnsweredNanos = Math.max(lastAnsweredNanos, other.lastAnsweredNanos);
    }

    /**
     * Seconds from the first message sent to the last answer; 0 without answers. An open loop the
     * host cannot keep up with answers a window's scenarios long after the window: dividing by the
     * window would report the offered rate, not the answered one.
     */
    synchronized double answeredSpanSeconds() {
        return lastAnsweredNanos < firstSentNanos ? 0 : (lastAnsweredNanos - firstSentNanos) / 1e9;
    }

    /** The types given, added together (e.g. 0100 + 0200: the authorizations). */
    TypeStats combined(String... mtis) {
        TypeStats sum = new TypeStats();
        for (String mti : mtis) {
            TypeStats t = byMti.get(mti);
            if (t != null) sum.add(t);
        }
        return sum;
    }

    TypeStats all() {
        return combined(byMti.keySet().toArray(String[]::new));
    }

    private static long clampMicros(long nanos) {
        long micros = Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos));
        return Math.min(micros, HIGHEST_MICROS);
    }
}
