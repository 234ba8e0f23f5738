// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives a server from N connections, each its own {@link Worker} thread, over one {@link Window}.
 * With a target rate, each connection sends rate / N scenarios per second, the connections'
 * schedules staggered over one interval, up to {@code maxInFlight} scenarios under way per connection.
 */
final class Driver {
    private static final long SEED = 0x5EED_8583L;

    /**
     * The merged counts of all connections.
     *
     * @param measuredSeconds the seconds the measured window's messages were answered in: the window,
     *        or longer if the host fell behind an open loop's rate (then the rates are the answered ones)
     * @param windowSeconds the measured window as set
     * @param maxInFlight open loop: the bound of scenarios under way per connection; closed loop: the clients per connection
     * @param peakInFlight open loop: the most under way at once on one connection in the measured window
     * @param unmatchedAnswers answers that matched no message in flight (late after a timeout, wrong MTI)
     */
    record Result(Stats warmup, Stats measured, double measuredSeconds, double windowSeconds, boolean openLoop, int maxInFlight,
                  int peakInFlight, long unmatchedAnswers) {}

    private final Worker.Target target;
    private final Workload workload;
    private final Mix mix;
    private final int connections;
    private final double ratePerSecond;
    private final int maxInFlight;
    private final Spending spending;

    /**
     * {@code maxInFlight} bounds the scenarios under way per connection in open loop ({@code ratePerSecond} > 0);
     * in closed loop it is the number of clients sharing each connection.
     */
    Driver(Worker.Target target, Workload workload, Mix mix, int connections, double ratePerSecond, int maxInFlight,
           Spending spending) {
        if (connections <= 0) throw new IllegalArgumentException("at least one connection");
        if (maxInFlight <= 0) throw new IllegalArgumentException("max in flight is at least 1");
        this.target = target;
        this.workload = workload;
        this.mix = mix;
        this.connections = connections;
        this.ratePerSecond = ratePerSecond;
        this.maxInFlight = maxInFlight;
        this.spending = spending;
    }

    /** Starts the connections; the caller may watch the window (CPU, profiler) and then {@link Running#await}. */
    Running start(Duration warmup, Duration measured) {
        Window window = Window.startingNow(warmup, measured);
        long interval = ratePerSecond <= 0 ? 0 : Math.round(1e9 * connections / ratePerSecond);
        List<Worker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int n = 0; n < connections; n++) {
            long first = window.start() + interval * n / connections;
            Worker w = new Worker(n + 1, target, workload, mix, window, interval, first, maxInFlight, spending, SEED + n);
            workers.add(w);
            Thread t = new Thread(w, "bench-connection-" + (n + 1));
            threads.add(t);
            t.start();
        }
        boolean openLoop = interval > 0;
        return new Running(window, workers, threads, openLoop, maxInFlight);
    }

    /** A drive under way. */
    record Running(Window window, List<Worker> workers, List<Thread> threads, boolean openLoop, int maxInFlight) {
        Result await() throws InterruptedException {
            for (Thread t : threads) t.join();
            Stats warm = new Stats();
            Stats measured = new Stats();
            int peak = 0;
            long unmatched = 0;
            for (Worker w : workers) {
                warm.add(w.warmup);
                measured.add(w.measured);
                peak = Math.max(peak, w.peakInFlight());
                unmatched += w.unmatchedAnswers();
            }
            // the window, or longer when its scenarios were answered long after it (an open loop past capacity)
            double seconds = Math.max(window.measuredSeconds(), measured.answeredSpanSeconds());
            return new Result(warm, measured, seconds, window.measuredSeconds(), openLoop, maxInFlight, peak, unmatched);
        }
    }
}
