// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.Test;

/**
 * The socket options of an AnonpayChannel connection, on real sockets: both the accepted (server)
 * and the opened (client) side send each frame at once (TCP_NODELAY), so that answers written one
 * right after another on a multiplexed link are not held back by Nagle's algorithm.
 */
class AnonpayChannelSocketTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void acceptedAndOpenedConnectionsSendFramesAtOnce() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<AnonpayChannel> accepted = CompletableFuture.supplyAsync(() -> accept(listening));
            try (IsoClient client = IsoClient.connect("127.0.0.1", listening.getLocalPort(), TIMEOUT)) {
                AnonpayChannel server = accepted.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                assertTrue(client.socket().getTcpNoDelay(), "client side: TCP_NODELAY");
                assertTrue(server.getSocket().getTcpNoDelay(), "server side: TCP_NODELAY");
                // and the connection still carries messages both ways
                client.send(new MessageFactory(Terminal.defaults()).echo());
                ISOMsg echo = server.receive();
                assertEquals("0800", echo.getMTI());
                server.disconnect();
            }
        }
    }

    private static AnonpayChannel accept(ServerSocket listening) {
        try {
            AnonpayChannel channel = new AnonpayChannel();
            channel.accept(listening);
            return channel;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
