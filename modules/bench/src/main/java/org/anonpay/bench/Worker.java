// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import org.anonpay.iso.Card;
import org.anonpay.iso.IsoClient;
import org.anonpay.iso.MessageFactory;
import org.anonpay.iso.OriginalData;
import org.anonpay.iso.ProcessingCode;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;

/**
 * One connection: its own thread, {@link IsoClient} and terminal id, one message in flight.
 * Closed loop (next scenario as soon as the last one ended) or, with an interval, open loop: the
 * scenarios are scheduled at fixed times and the first message's latency counts from the
 * scheduled time, so a stalled host is charged for the messages it kept waiting (no coordinated
 * omission). A follow-up message (0220, 0400) is timed from its own send.
 *
 * <p>After a timeout or a broken connection the outcome of the message is unknown: the worker
 * reconnects and resolves it by repeating the message (see {@link #resolve}), so that the
 * verification can still expect exact balances.
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
    private final Spending spending;
    private final SplittableRandom random;
    private final MessageFactory factory;
    final Stats warmup = new Stats();
    final Stats measured = new Stats();
    private IsoClient client;

    /** Where the server is and how long to wait for an answer. */
    record Target(String host, int port, Duration timeout) {}

    /**
     * @param intervalNanos 0: closed loop; else the time between this connection's scenarios
     * @param firstIntended open loop: when this connection's first scenario is due
     */
    Worker(int connection, Target target, Workload workload, Mix mix, Window window, long intervalNanos,
           long firstIntended, Spending spending, long seed) {
        this.target = target;
        this.workload = workload;
        this.mix = mix;
        this.window = window;
        this.intervalNanos = intervalNanos;
        this.firstIntended = firstIntended;
        this.spending = spending;
        this.random = new SplittableRandom(seed);
        this.factory = new MessageFactory(Workload.terminal(connection));
    }

    @Override
    public void run() {
        if (!reconnect()) return;
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
            if (intervalNanos > 0) sleepUntil(intended);
            Stats stats = window.measured(intended) ? measured : warmup;
            if (!runScenario(stats, intended)) break;
        }
        closeQuietly();
    }

    /** False when the connection is gone for good. */
    private boolean runScenario(Stats stats, long intended) {
        Scenario scenario = mix.pick(random);
        switch (scenario) {
            case PURCHASE -> purchase(stats, intended, false);
            case REVERSAL -> purchase(stats, intended, true);
            case AUTH_COMPLETION -> authorizeAndComplete(stats, intended);
            case ECHO -> send(stats, factory.echo(), intended, -1);
        }
        return client != null || reconnect();
    }

    private void purchase(Stats stats, long intended, boolean thenReverse) {
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
    private void authorizeAndComplete(Stats stats, long intended) {
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
            ISOMsg response = client.exchange(request);
            String code = response.getString(FIELD_RESPONSE_CODE);
            stats.answered(mti, System.nanoTime() - intendedNanos, code);
            return Stats.APPROVED.equals(code) ? Outcome.APPROVED : Outcome.REFUSED;
        } catch (IOException | ISOException | RuntimeException e) {
            stats.error(mti);
            closeQuietly();
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
     * a 96 is not an answer about the original and is tried again.
     */
    private Outcome resolve(Stats stats, ISOMsg failed) {
        String mti = failed.getString(0);
        if (!MONEY_MTIS.contains(mti)) return reconnect() ? Outcome.REFUSED : Outcome.UNKNOWN;
        ISOMsg repeat = MessageFactory.repeatOf(failed);
        for (int attempt = 0; attempt < RESOLUTION_TRIES; attempt++) {
            LockSupport.parkNanos(RESOLUTION_PAUSE_NANOS);
            if (!reconnect()) break;
            try {
                String code = client.exchange(repeat).getString(FIELD_RESPONSE_CODE);
                stats.recoveryMessages++;
                if (Stats.SYSTEM_MALFUNCTION.equals(code)) continue;
                return Stats.APPROVED.equals(code) ? Outcome.APPROVED : Outcome.REFUSED;
            } catch (IOException | ISOException | RuntimeException e) {
                closeQuietly();
            }
        }
        return Outcome.UNKNOWN;
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

    /** (Re)connects, retrying until a little past the window's end; false if the server stays away. */
    private boolean reconnect() {
        if (client != null && client.isConnected()) return true;
        while (System.nanoTime() < window.end() + GRACE_NANOS) {
            try {
                client = IsoClient.connect(target.host(), target.port(), target.timeout());
                return true;
            } catch (IOException | RuntimeException e) {
                LockSupport.parkNanos(RECONNECT_PAUSE_NANOS);
            }
        }
        client = null;
        return false;
    }

    private void closeQuietly() {
        if (client == null) return;
        try {
            client.close();
        } catch (IOException | RuntimeException ignored) {
            // the connection is being dropped anyway
        }
        client = null;
    }

    private static void sleepUntil(long nanos) {
        long wait;
        while ((wait = nanos - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
    }
}
