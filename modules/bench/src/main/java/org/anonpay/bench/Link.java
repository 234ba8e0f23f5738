// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import org.anonpay.iso.IsoClient;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;

/**
 * One connection of a {@link Worker}: a request and its answer. Open loop multiplexes many requests
 * on it ({@link MuxClient}); closed loop has one in flight and uses {@link Direct}, which reads the
 * answer on the calling thread: no reader thread and no hand-over per message, so the client takes
 * as little of the machine's two cores as it did before multiplexing (the framework ceiling's echo
 * client is closed loop too, and must not be slowed by the client).
 */
interface Link extends AutoCloseable {

    /** The answer, or an IOException (a timeout as {@link java.net.SocketTimeoutException}). */
    ISOMsg exchange(ISOMsg request) throws IOException;

    boolean isOpen();

    @Override
    void close();

    /** Multiplexed for open loop, direct for closed loop. */
    static Link connect(Worker.Target target, boolean multiplexed, LongAdder unmatched) throws IOException {
        if (multiplexed) return MuxClient.connect(target.host(), target.port(), target.timeout(), unmatched);
        return new Direct(IsoClient.connect(target.host(), target.port(), target.timeout()));
    }

    /** One message in flight, read on the caller's thread; any failure ends the connection (its stream is unknown). */
    final class Direct implements Link {
        private final IsoClient client;
        private volatile boolean open = true;

        Direct(IsoClient client) {
            this.client = client;
        }

        @Override
        public ISOMsg exchange(ISOMsg request) throws IOException {
            try {
                return client.exchange(request);
            } catch (IOException | ISOException | RuntimeException e) {
                close();
                throw e instanceof IOException io ? io : new IOException(e);
            }
        }

        @Override
        public boolean isOpen() {
            return open && client.isConnected();
        }

        @Override
        public void close() {
            open = false;
            try {
                client.close();
            } catch (IOException | RuntimeException ignored) {
                // closing a broken connection: nothing more to learn
            }
        }
    }
}
