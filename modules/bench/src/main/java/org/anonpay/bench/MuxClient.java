// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.anonpay.iso.IsoClient;
import org.anonpay.iso.IsoMessages;
import org.anonpay.iso.Mti;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;

/**
 * Many requests in flight on one ISO 8583 connection, as an acquirer or VAN link multiplexes them:
 * {@link IsoClient} alone waits for each answer before the next send, so one slow answer would delay
 * every later message of the connection and the benchmark would charge that wait to the host.
 *
 * <p>Any thread may {@link #send}; writes are serialized by a lock so frames never interleave. One
 * reader thread per connection takes the answers in whatever order the host sends them and completes
 * the request with the same terminal (41) and STAN (11) whose response MTI matches (0200 → 0210; the
 * answer to a repeat 0201 is 0210 or 0211). An answer nobody waits for (late, after its timeout; or
 * with a wrong MTI) is counted (the caller's counter) and dropped.
 *
 * <p>A request not answered within the timeout (give or take a tenth of it) fails alone with a
 * {@link TimeoutException}: the connection stays up for the others. A broken connection (read or write error, EOF, {@link #close})
 * fails every pending request with an {@link IOException}; the client is then spent. Logs nothing,
 * so card data never reaches a log through it.
 */
final class MuxClient implements Link {
    /** No read timeout on the socket: each request has its own, and an idle link is not an error. */
    private static final int NO_READ_TIMEOUT_MILLIS = 0;
    private static final int FIELD_STAN = 11;
    private static final int FIELD_TERMINAL = 41;

    private record Key(String terminal, String stan) {
        static Key of(ISOMsg m) {
            return new Key(m.getString(FIELD_TERMINAL), m.getString(FIELD_STAN));
        }
    }

    private record Pending(String responseMti, CompletableFuture<ISOMsg> answer, long deadlineNanos) {}

    /** How often the sweeper looks for requests past their timeout: a tenth of the timeout, at most this. */
    private static final long SWEEP_MAX_MILLIS = 100;

    private final IsoClient client;
    private final long timeoutMillis;
    private final Map<Key, Pending> pending = new ConcurrentHashMap<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LongAdder unmatched;

    private MuxClient(IsoClient client, Duration timeout, LongAdder unmatched) {
        this.client = client;
        this.timeoutMillis = timeout.toMillis();
        this.unmatched = unmatched;
    }

    /**
     * Connects and starts the reader. {@code timeout} bounds the connect and each request's wait;
     * {@code unmatched} counts stray answers (shared, so a caller's count survives reconnects).
     */
    static MuxClient connect(String host, int port, Duration timeout, LongAdder unmatched) throws IOException {
        IsoClient client = IsoClient.connect(host, port, timeout);
        client.socket().setSoTimeout(NO_READ_TIMEOUT_MILLIS);
        MuxClient mux = new MuxClient(client, timeout, unmatched);
        Thread.ofPlatform().daemon().name("mux-reader-" + client.socket().getLocalPort()).start(mux::readAnswers);
        Thread.ofPlatform().daemon().name("mux-timeouts-" + client.socket().getLocalPort()).start(mux::sweepTimeouts);
        return mux;
    }

    /**
     * Sends {@code request} (fields 11 and 41 set, unique among those in flight); the future completes
     * with its answer, or fails with a {@link TimeoutException} or, the connection broken, an {@link IOException}.
     */
    CompletableFuture<ISOMsg> send(ISOMsg request) {
        Key key = Key.of(request);
        Pending p = new Pending(Mti.responseMti(request.getString(0)), new CompletableFuture<>(), System.nanoTime() + timeoutNanos());
        // a timed-out request may still be listed for an instant (its removal runs after its waiter wakes)
        if (pending.compute(key, (k, old) -> old == null || old.answer().isDone() ? p : old) != p) {
            return CompletableFuture.failedFuture(new IllegalStateException("terminal and STAN already in flight"));
        }
        p.answer().whenComplete((answer, error) -> pending.remove(key, p));
        // registered before the closed check: either close() sees this request or this sees closed
        if (closed.get()) {
            p.answer().completeExceptionally(new IOException("connection closed"));
        } else {
            write(request);
        }
        return p.answer();
    }

    /** {@link #send} and wait: the answer, or a {@link SocketTimeoutException} past the timeout, or an {@link IOException}. */
    @Override
    public ISOMsg exchange(ISOMsg request) throws IOException {
        try {
            return send(request).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for an answer");
        } catch (ExecutionException e) {
            throw asIoException(e.getCause());
        }
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    /** Requests sent and not yet answered, timed out or failed (one that just timed out may count for an instant). */
    int inFlight() {
        return pending.size();
    }

    /** Ends the connection; every pending request fails with an {@link IOException}. */
    @Override
    public void close() {
        fail(new IOException("connection closed by the client"));
    }

    /** A failed write may have left half a frame on the wire: the stream cannot be trusted any more. */
    private void write(ISOMsg request) {
        writeLock.lock();
        try {
            client.send(request);
        } catch (IOException | ISOException | RuntimeException e) {
            fail(e);
        } finally {
            writeLock.unlock();
        }
    }

    private long timeoutNanos() {
        return TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /**
     * Fails the requests past their timeout, until the connection ends. One thread looking now and
     * then, not a timer per request: a timer set and cancelled for each message (orTimeout) cost the
     * client a tenth of its CPU, on the cores the host under test runs on.
     */
    private void sweepTimeouts() {
        long sweepMillis = Math.max(1, Math.min(SWEEP_MAX_MILLIS, timeoutMillis / 10));
        while (!closed.get()) {
            try {
                Thread.sleep(sweepMillis);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Pending p : pending.values()) {
                if (now - p.deadlineNanos() >= 0) p.answer().completeExceptionally(new TimeoutException("no answer in " + timeoutMillis + " ms"));
            }
        }
    }

    private void readAnswers() {
        try {
            while (!closed.get()) deliver(client.receive());
        } catch (IOException | ISOException | RuntimeException e) {
            fail(e);
        }
    }

    /** Unlisted before completed, so that its waiter finds the key free (a repeat reuses it) and the count exact. */
    private void deliver(ISOMsg answer) {
        Key key = IsoMessages.isMalformed(answer) ? null : Key.of(answer);
        Pending p = key == null ? null : pending.get(key);
        boolean taken = p != null && answers(p, answer) && pending.remove(key, p) && p.answer().complete(answer);
        if (!taken) unmatched.increment();
    }

    private static boolean answers(Pending p, ISOMsg answer) {
        String mti = answer.getString(0);
        return Mti.isValid(mti) && p.responseMti().equals(Mti.baseMti(mti));
    }

    private void fail(Throwable cause) {
        if (!closed.compareAndSet(false, true)) return;
        try {
            client.close();
        } catch (IOException | RuntimeException ignored) {
            // closing a broken connection: nothing more to learn
        }
        IOException broken = cause instanceof IOException io ? io : new IOException("connection broken", cause);
        pending.values().forEach(p -> p.answer().completeExceptionally(broken));
    }

    private IOException asIoException(Throwable cause) {
        if (cause instanceof IOException io) return io;
        if (cause instanceof TimeoutException) return new SocketTimeoutException("no answer in " + timeoutMillis + " ms");
        return new IOException(cause);
    }
}
