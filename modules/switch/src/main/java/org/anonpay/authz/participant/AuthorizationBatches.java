// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.IssuerService;
import org.anonpay.authz.MessageKey;
import org.anonpay.authz.SensitivePan;
import org.jpos.transaction.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forms the batches of {@link AuthorizationBatch}: messages wait in a queue per lane (by card);
 * each of a few <em>lanes</em> (threads with a database connection each while they work) takes
 * everything waiting in its queue, up to a maximum, decides it as one batch, and takes again. No
 * lane waits for a batch to fill: a message that finds a lane idle is a batch of one at once, and
 * under load the batches grow by themselves with what arrives while the lanes are busy. So the
 * latency added at low load is nothing, and the database's work per message falls as the load rises.
 */
final class AuthorizationBatches implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("anonpay.authorization");
    private record Waiting(Context ctx, CompletableFuture<AuthorizationBatch.Outcome> outcome) {}

    /** One per lane; a card's messages always wait in the same one (see {@link #queueOf}). */
    private final List<BlockingQueue<Waiting>> queues = new ArrayList<>();
    private final Supplier<IssuerService> issuer;
    private final int messagesMax;
    private final List<Thread> lanes = new ArrayList<>();
    private volatile boolean closed;
    private final Tally tally = new Tally();

    AuthorizationBatches(Supplier<IssuerService> issuer, int laneCount, int messagesMax) {
        if (laneCount < 1) throw new IllegalArgumentException("at least one lane: " + laneCount);
        if (messagesMax < 1) throw new IllegalArgumentException("at least one message per batch: " + messagesMax);
        this.issuer = issuer;
        this.messagesMax = messagesMax;
        for (int i = 0; i < laneCount; i++) {
            BlockingQueue<Waiting> queue = new LinkedBlockingQueue<>();
            queues.add(queue);
            Thread lane = Thread.ofPlatform().daemon().name("authorization-batch-" + i).unstarted(() -> work(queue));
            lanes.add(lane);
            lane.start();
        }
    }

    /**
     * Puts the message into the next batch and waits for it. COMMITTED: decided, journaled and
     * committed; FELL_BACK: nothing was done, decide it one by one.
     */
    AuthorizationBatch.Outcome decide(Context ctx) throws InterruptedException {
        Waiting waiting = new Waiting(ctx, new CompletableFuture<>());
        if (closed) return AuthorizationBatch.Outcome.FELL_BACK;
        BlockingQueue<Waiting> queue = queueOf(ctx);
        queue.add(waiting);
        // closed between the look above and the add, after close() emptied the queues: nobody will take it
        if (closed && queue.remove(waiting)) return AuthorizationBatch.Outcome.FELL_BACK;
        try {
            // untimed: a lane completes every message it takes, and close() every one still queued
            // (a timed wait cost each message a timer set and cancelled: ~5 % of the host's CPU)
            return waiting.outcome().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("batch failed", e.getCause());
        }
    }

    /**
     * The lane of the message's card: two lanes never decide the same card at once, so one never
     * waits for the other's row locks (a card used many times a second would make it wait for a
     * whole batch), and a card's messages are decided in the order they arrived.
     */
    private BlockingQueue<Waiting> queueOf(Context ctx) {
        // String.hashCode of the PAN stays in memory: it is never logged or stored. A completion or
        // reversal without field 2 goes by its original's key: its card is known only once that is read.
        SensitivePan pan = ctx.get(Ctx.PAN);
        int hash = pan != null ? pan.reveal().hashCode() : ctx.get(Ctx.ORIGINAL_KEY).hashCode();
        return queues.get(Math.floorMod(hash, queues.size()));
    }

    private void work(BlockingQueue<Waiting> queue) {
        List<Waiting> batch = new ArrayList<>(messagesMax);
        while (!closed) {
            try {
                if (batch.isEmpty()) batch.add(queue.take());
            } catch (InterruptedException e) {
                break; // closed
            }
            queue.drainTo(batch, messagesMax - batch.size());
            List<Waiting> deferred = decide(batch);
            batch.clear();
            batch.addAll(deferred);
        }
        for (Waiting w : batch) w.outcome().complete(AuthorizationBatch.Outcome.FELL_BACK);
    }

    /**
     * Every message is answered whatever happens here (a lane never leaves one waiting), except
     * those returned: completions and reversals of an original in this very batch, which is
     * journaled only when it commits. They start the lane's next batch.
     */
    private List<Waiting> decide(List<Waiting> batch) {
        List<Waiting> members = new ArrayList<>(batch.size());
        List<Waiting> deferred = new ArrayList<>();
        Set<MessageKey> keys = new HashSet<>();
        for (Waiting w : batch) {
            MessageKey original = w.ctx().get(Ctx.ORIGINAL_KEY);
            if (original != null && keys.contains(original)) {
                deferred.add(w);
                continue;
            }
            // a repeat in the same batch as its original is decided one by one, after it
            if (keys.add(w.ctx().get(Ctx.MESSAGE_KEY))) members.add(w);
            else w.outcome().complete(AuthorizationBatch.Outcome.FELL_BACK);
        }
        AuthorizationBatch.Outcome outcome = AuthorizationBatch.Outcome.FELL_BACK;
        long[] phaseNanos = new long[AuthorizationBatch.Phase.values().length];
        try {
            outcome = AuthorizationBatch.run(issuer.get(), members.stream().map(Waiting::ctx).toList(), phaseNanos);
        } catch (RuntimeException | Error e) {
            LOG.warn("a batch of {} authorizations failed, each is decided one by one: {}", members.size(), e.toString());
        } finally {
            for (Waiting w : members) w.outcome().complete(outcome);
            tally.count(members.size(), outcome, phaseNanos);
        }
        if (outcome == AuthorizationBatch.Outcome.COMMITTED) return deferred;
        // their authorizations are decided one by one again: so are they, as any 0220 sent before its 0110 was answered
        for (Waiting w : deferred) w.outcome().complete(AuthorizationBatch.Outcome.FELL_BACK);
        return List.of();
    }

    /**
     * What ops see of the batches: a line whenever a batch is larger than any before (a few in the
     * host's life), and a summary of the last minute, written after the first batch past it.
     */
    private static final class Tally {
        private static final long SUMMARY_NANOS = TimeUnit.MINUTES.toNanos(1);
        private int largest;
        private long batches;
        private long messages;
        private long fellBack;
        private long since = System.nanoTime();
        private final long[] phaseNanos = new long[AuthorizationBatch.Phase.values().length];

        synchronized void count(int size, AuthorizationBatch.Outcome outcome, long[] batchPhaseNanos) {
            if (size > largest) {
                largest = size;
                LOG.info("batch authorization: largest batch so far {} messages", size);
            }
            batches++;
            messages += size;
            if (outcome == AuthorizationBatch.Outcome.FELL_BACK) fellBack += size;
            for (int i = 0; i < phaseNanos.length; i++) phaseNanos[i] += batchPhaseNanos[i];
            long now = System.nanoTime();
            if (now - since < SUMMARY_NANOS) return;
            LOG.info("batch authorization: {} batches, {} messages in the last {} s (mean {} per batch), {} messages fell back to one by one; {}",
                    batches, messages, TimeUnit.NANOSECONDS.toSeconds(now - since), String.format("%.1f", (double) messages / batches), fellBack,
                    phases());
            batches = messages = fellBack = 0;
            Arrays.fill(phaseNanos, 0);
            since = now;
        }

        /** "mean ms per batch: claim-keys 0.292, lock-cards 0.331, …, all 2.632" */
        private String phases() {
            StringBuilder line = new StringBuilder("mean ms per batch:");
            long total = 0;
            for (AuthorizationBatch.Phase phase : AuthorizationBatch.Phase.values()) {
                long nanos = phaseNanos[phase.ordinal()];
                total += nanos;
                line.append(' ').append(phase.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                        .append(String.format(Locale.ROOT, " %.3f,", nanos / 1e6 / batches));
            }
            return line.append(String.format(Locale.ROOT, " all %.3f", total / 1e6 / batches)).toString();
        }
    }

    /** Stops the lanes (a batch under way finishes first); messages still waiting fall back. */
    @Override
    public void close() {
        closed = true;
        lanes.forEach(Thread::interrupt);
        for (Thread lane : lanes) {
            try {
                lane.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (BlockingQueue<Waiting> queue : queues) {
            for (Waiting w = queue.poll(); w != null; w = queue.poll()) w.outcome().complete(AuthorizationBatch.Outcome.FELL_BACK);
        }
    }
}
