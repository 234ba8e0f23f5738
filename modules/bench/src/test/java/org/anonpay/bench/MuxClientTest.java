// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.anonpay.iso.AnonpayChannel;
import org.anonpay.iso.MessageFactory;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MuxClient} against a jPOS channel on a real TCP socket whose answers the test sends by hand,
 * in any order or never: the order is decided by the test, not by timing, so nothing here races.
 */
class MuxClientTest {
    /** Longer than any test waits: a timeout within a test is then a failure, not an outcome. */
    private static final Duration LONG_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);
    /** A guard so that a broken test fails instead of hanging; never a measure of speed. */
    private static final long GUARD_SECONDS = 10;

    private final MessageFactory factory = new MessageFactory(Workload.terminal(1));
    private final LongAdder unmatched = new LongAdder();
    private ScriptedServer server;
    private MuxClient mux;

    @BeforeEach
    void startServer() throws IOException {
        server = new ScriptedServer();
    }

    @AfterEach
    void stop() {
        if (mux != null) mux.close();
        server.close();
    }

    @Test
    void answersInReverseOrderReachTheirOwnRequests() throws Exception {
        connect(LONG_TIMEOUT);
        ISOMsg first = factory.echo();
        ISOMsg second = factory.echo();
        CompletableFuture<ISOMsg> firstAnswer = mux.send(first);
        CompletableFuture<ISOMsg> secondAnswer = mux.send(second);
        ISOMsg firstReceived = server.next();
        ISOMsg secondReceived = server.next();
        assertEquals(2, mux.inFlight(), "both requests are in flight on the one connection");

        server.answer(secondReceived);
        assertEquals(stan(second), stan(secondAnswer.get(GUARD_SECONDS, TimeUnit.SECONDS)));
        assertFalse(firstAnswer.isDone(), "the first request's answer has not been sent yet");

        server.answer(firstReceived);
        ISOMsg answer = firstAnswer.get(GUARD_SECONDS, TimeUnit.SECONDS);
        assertEquals(stan(first), stan(answer));
        assertEquals("0810", answer.getMTI());
        assertEquals(0, mux.inFlight());
        assertEquals(0, unmatched.sum());
    }

    @Test
    void anUnansweredRequestTimesOutAloneAndTheConnectionStays() throws Exception {
        connect(SHORT_TIMEOUT);
        ISOMsg lost = factory.echo();
        CompletableFuture<ISOMsg> lostAnswer = mux.send(lost);
        CompletableFuture<ISOMsg> keptAnswer = mux.send(factory.echo());
        ISOMsg lostReceived = server.next();
        server.answer(server.next());
        assertEquals("00", keptAnswer.get(GUARD_SECONDS, TimeUnit.SECONDS).getString(39));

        ExecutionException e = assertThrows(ExecutionException.class, () -> lostAnswer.get(GUARD_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertTrue(mux.isOpen(), "one lost answer does not end the connection");

        server.answer(lostReceived); // too late: counted, not delivered
        ISOMsg next = factory.echo();
        assertEquals(stan(next), stan(exchangeAnswered(next)));
        assertEquals(1, unmatched.sum(), "the late answer came before the next one's on the same stream");

        ISOMsg repeat = MessageFactory.repeatOf(lost); // same terminal and STAN as the lost one, as Worker.resolve sends
        assertEquals(stan(lost), stan(exchangeAnswered(repeat)), "a timed-out request's key is free again");
    }

    @Test
    void blockingExchangeReportsATimeoutAsSocketTimeout() throws Exception {
        connect(SHORT_TIMEOUT);
        assertThrows(SocketTimeoutException.class, () -> mux.exchange(factory.echo()));
        assertTrue(mux.isOpen());
    }

    @Test
    void closingTheServerFailsEveryPendingRequest() throws Exception {
        connect(LONG_TIMEOUT);
        CompletableFuture<ISOMsg> a = mux.send(factory.echo());
        CompletableFuture<ISOMsg> b = mux.send(factory.echo());
        server.next();
        server.next();

        server.close();
        for (CompletableFuture<ISOMsg> pending : List.of(a, b)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(GUARD_SECONDS, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, e.getCause());
        }
        assertFalse(mux.isOpen());
        assertThrows(IOException.class, () -> mux.exchange(factory.echo()), "a closed client sends nothing");
    }

    @Test
    void anAnswerWithTheWrongMtiIsNotTaken() throws Exception {
        connect(LONG_TIMEOUT);
        CompletableFuture<ISOMsg> answer = mux.send(factory.echo());
        ISOMsg received = server.next();
        ISOMsg wrong = (ISOMsg) received.clone();
        wrong.setMTI("0210");
        server.send(wrong);
        server.answer(received);
        assertEquals("0810", answer.get(GUARD_SECONDS, TimeUnit.SECONDS).getMTI());
        assertEquals(1, unmatched.sum());
    }

    @Test
    void manyThreadsExchangeOnOneConnection() throws Exception {
        connect(LONG_TIMEOUT);
        int threads = 20;
        List<ISOMsg> requests = new ArrayList<>();
        for (int i = 0; i < threads; i++) requests.add(factory.echo());
        List<Future<ISOMsg>> answers = new ArrayList<>();
        for (ISOMsg r : requests) {
            CompletableFuture<ISOMsg> f = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    f.complete(mux.exchange(r));
                } catch (IOException | RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
            answers.add(f);
        }
        List<ISOMsg> received = new ArrayList<>();
        for (int i = 0; i < threads; i++) received.add(server.next());
        for (int i = received.size() - 1; i >= 0; i--) server.answer(received.get(i));
        for (int i = 0; i < threads; i++) {
            assertEquals(stan(requests.get(i)), stan(answers.get(i).get(GUARD_SECONDS, TimeUnit.SECONDS)));
        }
    }

    private void connect(Duration timeout) throws IOException {
        mux = MuxClient.connect("127.0.0.1", server.port(), timeout, unmatched);
    }

    /** Sends {@code request}, has the server answer it, and returns the answer. */
    private ISOMsg exchangeAnswered(ISOMsg request) throws Exception {
        CompletableFuture<ISOMsg> answer = mux.send(request);
        server.answer(server.next());
        return answer.get(GUARD_SECONDS, TimeUnit.SECONDS);
    }

    private static String stan(ISOMsg m) {
        return m.getString(11);
    }

    /** One connection; every request is queued for the test, which answers it (or not) when it likes. */
    private static final class ScriptedServer implements AutoCloseable {
        private final ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final AnonpayChannel channel = new AnonpayChannel();
        private final BlockingQueue<ISOMsg> received = new LinkedBlockingQueue<>();
        private final CompletableFuture<Void> accepted = new CompletableFuture<>();

        ScriptedServer() throws IOException {
            Thread.ofPlatform().daemon().name("scripted-server").start(this::serve);
        }

        int port() {
            return listening.getLocalPort();
        }

        private void serve() {
            try {
                channel.accept(listening);
                accepted.complete(null);
                while (true) received.add(channel.receive());
            } catch (IOException | ISOException | RuntimeException e) {
                // jPOS reports a read on a channel closed by close() as a NullPointerException
                accepted.completeExceptionally(e); // no-op once accepted: the connection is over
            }
        }

        /** The next request the server received. */
        ISOMsg next() throws InterruptedException {
            ISOMsg m = received.poll(GUARD_SECONDS, TimeUnit.SECONDS);
            if (m == null) throw new AssertionError("the server received no request");
            return m;
        }

        /** An approved answer to {@code request}: response MTI, 39=00, the rest echoed. */
        void answer(ISOMsg request) throws Exception {
            ISOMsg answer = (ISOMsg) request.clone();
            answer.setResponseMTI();
            answer.set(39, "00");
            send(answer);
        }

        void send(ISOMsg m) throws Exception {
            accepted.get(GUARD_SECONDS, TimeUnit.SECONDS);
            channel.send(m);
        }

        @Override
        public void close() {
            try {
                channel.disconnect();
                listening.close();
            } catch (IOException ignored) {
                // the test is over for this server
            }
        }
    }
}
