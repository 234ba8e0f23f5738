// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jpos.core.ConfigurationException;
import org.jpos.core.SimpleConfiguration;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISORequestListener;
import org.jpos.iso.ISOServer;
import org.jpos.iso.ISOServerSocketFactory;
import org.jpos.iso.ISOSource;

/**
 * A tiny jPOS ISOServer on 127.0.0.1 with {@link AnonpayChannel}, answering like the anonpay host does
 * at the edge: 00 to well-formed requests, 30 to malformed ones whose MTI could be read, 12 to unknown
 * MTIs, and a closed connection when nothing could be read. Balance inquiries get a field 54.
 */
public final class TestIsoServer implements AutoCloseable {
    private static final Set<String> REQUEST_TYPES = Set.of("0100", "0120", "0200", "0220", "0400", "0420", "0800");

    private final ISOServer server;
    private final BoundSocketFactory sockets = new BoundSocketFactory();
    private final ExecutorService runner = Executors.newSingleThreadExecutor();
    private final List<ISOMsg> received = new CopyOnWriteArrayList<>();

    private TestIsoServer(int readTimeoutMs) throws IOException, ConfigurationException {
        AnonpayChannel channel = new AnonpayChannel();
        channel.setTimeout(readTimeoutMs);
        server = new ISOServer(0, channel, 10);
        server.setSocketFactory(sockets);
        server.setConfiguration(new SimpleConfiguration(new Properties()));
        server.addISORequestListener(new Answerer());
        runner.submit(server);
    }

    /** Starts a server whose connections close after {@code readTimeoutMs} without a complete frame. */
    public static TestIsoServer start(int readTimeoutMs) throws Exception {
        TestIsoServer s = new TestIsoServer(readTimeoutMs);
        s.sockets.awaitBound();
        return s;
    }

    public int port() {
        return sockets.port();
    }

    /** Every message the listener got, malformed ones included. */
    public List<ISOMsg> received() {
        return received;
    }

    @Override
    public void close() {
        server.shutdown();
        runner.shutdownNow();
    }

    private final class Answerer implements ISORequestListener {
        @Override
        public boolean process(ISOSource source, ISOMsg m) {
            received.add(m);
            try {
                answer(source, m);
            } catch (IOException | ISOException e) {
                throw new IllegalStateException(e);
            }
            return true;
        }

        private void answer(ISOSource source, ISOMsg m) throws IOException, ISOException {
            var mti = IsoMessages.readableMti(m);
            if (mti.isEmpty() || !Mti.isRequest(mti.get())) {
                AnonpayChannel.closeConnection(source);
                return;
            }
            boolean known = REQUEST_TYPES.contains(Mti.baseMti(mti.get()));
            String code = !known ? ResponseCode.INVALID_TRANSACTION.code()
                    : IsoMessages.isMalformed(m) ? ResponseCode.FORMAT_ERROR.code() : ResponseCode.APPROVED.code();
            source.send(response(m, mti.get(), code));
        }

        private ISOMsg response(ISOMsg request, String mti, String code) {
            ISOMsg r = new ISOMsg(Mti.responseMti(mti));
            for (int fieldNo : new int[] {3, 4, 7, 11, 12, 13, 32, 37, 41, 42, 49, 70, 90}) {
                if (request.hasField(fieldNo)) {
                    r.set(fieldNo, request.getString(fieldNo));
                }
            }
            r.set(Field.RESPONSE_CODE, code);
            if (code.equals("00") && !mti.startsWith("08")) {
                r.set(Field.APPROVAL_CODE, "A12345");
            }
            if (code.equals("00") && ProcessingCode.BALANCE_INQUIRY.equals(request.getString(Field.PROCESSING_CODE))) {
                r.set(Field.ADDITIONAL_AMOUNTS, AdditionalAmounts.balances("410", 50_000, 45_000).format());
            }
            return r;
        }
    }

    /** Binds an ephemeral port on the loopback and tells which. */
    private static final class BoundSocketFactory implements ISOServerSocketFactory {
        private volatile ServerSocket socket;

        @Override
        public synchronized ServerSocket createServerSocket(int port) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            notifyAll();
            return socket;
        }

        synchronized void awaitBound() throws InterruptedException {
            long deadline = System.currentTimeMillis() + 5_000;
            while (socket == null && System.currentTimeMillis() < deadline) {
                wait(100);
            }
            if (socket == null) {
                throw new IllegalStateException("test server did not bind");
            }
        }

        int port() {
            return socket.getLocalPort();
        }
    }
}
