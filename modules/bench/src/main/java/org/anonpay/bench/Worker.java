// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.anonpay.iso.Card;
import org.anonpay.iso.MessageFactory;
import org.anonpay.iso.OriginalData;
import org.anonpay.iso.ProcessingCode;
import org.jpos.iso.ISOMsg;

/**
 * One connection: its own thread, {@link Link} and terminal id. Closed loop: one scenario at a
 * time on this thread, the next as soon as the last one ended, one message in flight
 * ({@link Link.Direct}); with {@code maxInFlight} above one, that many such clients on virtual
 * threads share the connection ({@link MuxClient}). Open loop (an interval): the scenarios are scheduled at fixed times and the
 * first message's latency counts from the scheduled time, so a stalled host is charged for the
 * messages it kept waiting (no coordinated omission). With {@code maxInFlight} 1 (the default) they
 * run one after the other on this thread, so a slow answer delays the connection's later scenarios;
 * with more ({@link MuxClient}), each scheduled scenario runs on a virtual thread of its own, as an
 * acquirer's link multiplexes, up to {@code maxInFlight} at once (one past it waits, its latency
 * counting). Inside one scenario the messages stay sequential; a follow-up message (0220, 0400) is
 * timed from its own send.
 *
 * <p>After a timeout or a broken connection the outcome of the message is unknown: the worker
 * resolves it by repeating the message (see {@link #resolve}), on a new connection if needed, so that
 * the verification can still expect exact balances.
 */
final class Worker implements Runnable {
    /** The outcome of a message for the card's money. */
    enum Outcome { APPROVED, REFUSED, UNKNOWN }

    private static final int RESOLUTION_TRIES = 3;
    private static final long RESOLUTION_PAUSE_NANOS = Duration.ofSeconds(1).toNanos();
    private static final java.util.Set<String> MONEY_MTIS = java.util.Set.of("0100", "0200", "0220", "0400");
    private static final long RECONNECT_PAUSE_NANOS = Duration.ofMillis(100).toNanos();
    /** How long after the end of the window a worker may still try to reconnect and resolve. */
    private static final long GRACE_NANOS = Duration.ofSeconds(30).toNanos();
    private static final int FIELD_RESPONSE_CODE = 39;
    private static final int FIELD_MERCHANT = 42;

    private final Target target;
    private final Workload workload;
    private final Mix mix;
    private final Window window;
    private final long intervalNanos;
    private final long firstIntended;
    private final int maxInFlight;
    private final Spending spending;
    /** Drawn from on this worker's own thread only (not thread-safe): open loop splits one off per scenario. */
    private final SplittableRandom random;
    /** Thread-safe: its STAN counter is atomic, the rest immutable. */
    private final MessageFactory factory;
    final Stats warmup = new Stats();
    final Stats measured = new Stats();
    /** Open loop: one permit per scenario under way. */
    private final Semaphore slots;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final LongAdder unmatchedAnswers = new LongAdder();
    private final Object connecting = new Object();
    /** Replaced under {@code connecting} when broken; read without it by every scenario. */
    private volatile Link client;

    /** Where the server is and how long to wait for an answer. */
    record Target(String host, int port, Duration timeout) {}

    /**
     * @param intervalNanos 0: closed loop; else the time between this connection's scenarios
     * @param firstIntended open loop: when this connection's first scenario is due
     * @param maxInFlight open loop: the most scenarios under way at once (closed loop: always one)
     */
    Worker(int connection, Target target, Workload workload, Mix mix, Window window, long intervalNanos,
           long firstIntended, int maxInFlight, Spending spending, long seed) {
        if (maxInFlight < 1) throw new IllegalArgumentException("max in flight is at least 1");
        this.target = target;
        this.workload = workload;
        this.mix = mix;
        this.window = window;
        this.intervalNanos = intervalNanos;
        this.firstIntended = firstIntended;
        this.maxInFlight = maxInFlight;
        this.slots = new Semaphore(maxInFlight);
        this.spending = spending;
        this.random = new SplittableRandom(seed);
        this.factory = new MessageFactory(Workload.terminal(connection));
    }

    /** More than one scenario in flight on the connection: answers matched by STAN. */
    private boolean multiplexed() {
        return maxInFlight > 1;
    }

    /** Open loop: the most scenarios under way at once seen while the measured window ran. */
    int peakInFlight() {
        return peakInFlight.get();
    }

    /** Answers that matched no message in flight (late after a timeout, or a wrong MTI). */
    long unmatchedAnswers() {
        return unmatchedAnswers.sum();
    }

    @Override
    public void run() {
        if (connection() == null) return;
        if (intervalNanos == 0 && maxInFlight > 1) {
            runClosedLoops();
            return;
        }
        long next = firstIntended;
        boolean rebased = false;
        while (true) {
            if (intervalNanos > 0 && !rebased && System.nanoTime() >= window.measureStart()) {
                // the backlog of a cold host's warm-up is not carried into the measurement
                rebased = true;
                next = Math.max(next, System.nanoTime());
            }
            long intended = intervalNanos == 0 ? System.nanoTime() : next;
            next += intervalNanos;
            if (window.over(intended)) break;
            Stats stats = window.measured(intended) ? measured : warmup;
            if (intervalNanos > 0) sleepUntil(intended);
            if (multiplexed()) {
                startScenario(stats, intended);
            } else {
                runScenario(stats, intended, random);
            }
            if (connection() == null) break;
        }
        slots.acquireUninterruptibly(maxInFlight); // every scenario done: its counts are all in the Stats
        closeQuietly(client);
    }

    /**
     * Closed loop with {@code maxInFlight} above one: as many clients sharing this connection, each
     * on a virtual thread of its own with its own random generator, each starting its next scenario
     * as soon as its last one ended (the load of a multiplexed acquirer link at its peak).
     */
    private void runClosedLoops() {
        List<Thread> clients = new ArrayList<>();
        for (int n = 0; n < maxInFlight; n++) {
            SplittableRandom clientRandom = random.split();
            clients.add(Thread.ofVirtual().start(() -> {
                while (true) {
                    long intended = System.nanoTime();
                    if (window.over(intended) || connection() == null) return;
                    runScenario(window.measured(intended) ? measured : warmup, intended, clientRandom);
                }
            }));
        }
        for (Thread t : clients) joinUninterruptibly(t);
        closeQuietly(client);
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /**
     * Open loop: waits for a free slot (the latency still counts from {@code intended}), then runs
     * the scenario on a virtual thread of its own with its own random generator split off this one.
     */
    private void startScenario(Stats stats, long intended) {
        SplittableRandom scenarioRandom = random.split();
        slots.acquireUninterruptibly();
        int under = inFlight.incrementAndGet();
        if (window.measured(System.nanoTime())) peakInFlight.accumulateAndGet(under, Math::max);
        Thread.ofVirtual().start(() -> {
            try {
                runScenario(stats, intended, scenarioRandom);
            } finally {
                inFlight.decrementAndGet();
                slots.release();
            }
        });
    }

    /** {@code random}: this scenario's draws (closed loop: the worker's own generator; open loop: one split off it). */
    private void runScenario(Stats stats, long intended, SplittableRandom random) {
        Scenario scenario = mix.pick(random);
        switch (scenario) {
            case PURCHASE -> purchase(stats, intended, false, random);
            case REVERSAL -> purchase(stats, intended, true, random);
            case AUTH_COMPLETION -> authorizeAndComplete(stats, intended, random);
            case ECHO -> send(stats, factory.echo(), intended, -1);
        }
    }

    private void purchase(Stats stats, long intended, boolean thenReverse, SplittableRandom random) {
        int card = workload.card(random);
        long amount = workload.amount(random);
        String merchant = Workload.merchantId(workload.merchant(random));
        ISOMsg request = atMerchant(factory.purchase(workload.isoCard(card), amount), merchant);
        Outcome outcome = send(stats, request, intended, card);
        if (outcome != Outcome.APPROVED) return;
        spending.spent(card, amount);
        if (!thenReverse) return;
        ISOMsg reversal = atMerchant(reversalOf(request, workload.isoCard(card), amount), merchant);
        if (send(stats, reversal, System.nanoTime(), card) == Outcome.APPROVED) spending.refunded(card, amount);
    }

    /** 0100 then 0220 for 80–100 % of it; a refused completion leaves a hold, which a 0400 releases. */
    private void authorizeAndComplete(Stats stats, long intended, SplittableRandom random) {
        int card = workload.card(random);
        long amount = workload.amount(random);
        String merchant = Workload.merchantId(workload.merchant(random));
        Card isoCard = workload.isoCard(card);
        ISOMsg authorization = atMerchant(factory.authorization(isoCard, amount), merchant);
        if (send(stats, authorization, intended, card) != Outcome.APPROVED) return;
        long finalAmount = amount - random.nextLong(amount / 5 + 1);
        ISOMsg completion = atMerchant(factory.completion(isoCard, finalAmount, OriginalData.of(authorization)), merchant);
        Outcome completed = send(stats, completion, System.nanoTime(), card);
        if (completed == Outcome.APPROVED) {
            spending.spent(card, finalAmount);
        } else if (completed == Outcome.REFUSED) {
            ISOMsg release = atMerchant(reversalOf(authorization, isoCard, amount), merchant);
            if (send(stats, release, System.nanoTime(), card) != Outcome.APPROVED) spending.unknownOutcome(card);
        }
    }

    /**
     * Sends one message and records it. On an error the outcome is resolved on a new connection;
     * an outcome still unknown then marks the card as unverifiable.
     */
    private Outcome send(Stats stats, ISOMsg request, long intendedNanos, int card) {
        String mti = request.getString(0);
        try {
            long sentNanos = System.nanoTime();
            ISOMsg response = exchange(request);
            String code = response.getString(FIELD_RESPONSE_CODE);
            stats.answered(mti, intendedNanos, sentNanos, System.nanoTime(), code);
            return Stats.APPROVED.equals(code) ? Outcome.APPROVED : Outcome.REFUSED;
        } catch (IOException | RuntimeException e) {
            // a timeout leaves the connection to the other messages in flight; a broken one is closed already
            stats.error(mti);
            Outcome resolved = resolve(stats, request);
            if (resolved == Outcome.UNKNOWN && card >= 0) spending.unknownOutcome(card);
            return resolved;
        }
    }

    /**
     * Learns the outcome of a message that got no answer by repeating it (0101, 0201, 0221, 0401):
     * the host answers a repeat with the original's journaled answer, or, if the original never
     * arrived, processes the repeat in its place; the ledger's transfer ids come from the message key,
     * so money moves once either way. A reversal instead would race an original still queued in the
     * host (a reversal of an unknown original is acknowledged and moves nothing, and the original
     * would then be approved after it). The repeat waits a little so the original is likely done;
     * a 96 is not an answer about the original and is tried again. A repeat that gets no answer either
     * closes the connection: a link that lost two answers is presumed dead (a silent peer sends no
     * FIN), and the messages still in flight on it are resolved in turn on a new one.
     */
    private Outcome resolve(Stats stats, ISOMsg failed) {
        String mti = failed.getString(0);
        if (!MONEY_MTIS.contains(mti)) return connection() != null ? Outcome.REFUSED : Outcome.UNKNOWN;
        ISOMsg repeat = MessageFactory.repeatOf(failed);
        for (int attempt = 0; attempt < RESOLUTION_TRIES; attempt++) {
            LockSupport.parkNanos(RESOLUTION_PAUSE_NANOS);
            Link c = connection();
            if (c == null) break;
            try {
                String code = c.exchange(repeat).getString(FIELD_RESPONSE_CODE);
                stats.recovered();
                if (Stats.SYSTEM_MALFUNCTION.equals(code)) continue;
                return Stats.APPROVED.equals(code) ? Outcome.APPROVED : Outcome.REFUSED;
            } catch (IOException | RuntimeException e) {
                closeQuietly(c);
            }
        }
        return Outcome.UNKNOWN;
    }

    private ISOMsg exchange(ISOMsg request) throws IOException {
        Link c = connection();
        if (c == null) throw new IOException("no connection to the server");
        return c.exchange(request);
    }

    private ISOMsg reversalOf(ISOMsg original, Card card, long amount) {
        String processingCode = original.hasField(3) ? original.getString(3) : ProcessingCode.PURCHASE;
        ISOMsg reversal = factory.reversal(card, processingCode, amount, OriginalData.of(original));
        if (original.hasField(FIELD_MERCHANT)) reversal.set(FIELD_MERCHANT, original.getString(FIELD_MERCHANT));
        return reversal;
    }

    private static ISOMsg atMerchant(ISOMsg m, String merchantId) {
        m.set(FIELD_MERCHANT, merchantId);
        return m;
    }

    /**
     * The open connection, (re)connected if broken, retrying until a little past the window's end;
     * null if the server stays away. One scenario reconnects, the others wait for it on the lock.
     */
    private Link connection() {
        Link c = client;
        if (c != null && c.isOpen()) return c;
        synchronized (connecting) {
            if (client != null && client.isOpen()) return client;
            while (System.nanoTime() < window.end() + GRACE_NANOS) {
                try {
                    client = Link.connect(target, multiplexed(), unmatchedAnswers);
                    return client;
                } catch (IOException | RuntimeException e) {
                    LockSupport.parkNanos(RECONNECT_PAUSE_NANOS);
                }
            }
            client = null;
            return null;
        }
    }

    private static void closeQuietly(Link c) {
        if (c != null) c.close();
    }

    private static void sleepUntil(long nanos) {
        long wait;
        while ((wait = nanos - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
    }
}
