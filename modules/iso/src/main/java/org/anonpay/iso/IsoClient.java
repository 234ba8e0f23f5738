// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.Properties;

import org.jpos.core.ConfigurationException;
import org.jpos.core.SimpleConfiguration;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;

/**
 * A blocking ISO 8583 client over one {@link AnonpayChannel} connection, for the POS/VAN simulator
 * and tests. One message in flight: {@link #exchange} sends and then reads the next message.
 * Not thread-safe. Logs nothing, so card data never reaches a log through it.
 */
public final class IsoClient implements AutoCloseable {
    private static final int LENGTH_HEADER_BYTES = 2;
    private static final int MAX_FRAME_BYTES = 0xFFFF;

    private final AnonpayChannel channel;

    private IsoClient(AnonpayChannel channel) {
        this.channel = channel;
    }

    /**
     * Connects to {@code host:port}. {@code timeout} bounds the connect and every read (a response
     * not complete within it ends the connection with a {@link java.net.SocketTimeoutException}).
     */
    public static IsoClient connect(String host, int port, Duration timeout) throws IOException {
        AnonpayChannel channel = new AnonpayChannel(host, port);
        configure(channel, host, port, timeout);
        channel.connect();
        if (!channel.isConnected()) {
            throw new ConnectException("could not connect to " + host + ":" + port);
        }
        return new IsoClient(channel);
    }

    /** Sends {@code request} and returns the next message received (the response, one message in flight). */
    public ISOMsg exchange(ISOMsg request) throws IOException, ISOException {
        send(request);
        return receive();
    }

    public void send(ISOMsg m) throws IOException, ISOException {
        channel.send(m);
    }

    /** The next message; a frame that does not unpack comes back marked ({@link IsoMessages#isMalformed}). */
    public ISOMsg receive() throws IOException, ISOException {
        return channel.receive();
    }

    /** Writes bytes to the socket untouched (the caller supplies any length header): for bad-input tests. */
    public void sendRaw(byte[] bytes) throws IOException {
        OutputStream out = socket().getOutputStream();
        out.write(bytes);
        out.flush();
    }

    /** {@code body} preceded by its 2-byte big-endian length, as the channel frames it. */
    public static byte[] frame(byte[] body) {
        if (body.length > MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("a frame body is at most 65535 bytes");
        }
        byte[] frame = new byte[LENGTH_HEADER_BYTES + body.length];
        frame[0] = (byte) (body.length >> 8);
        frame[1] = (byte) body.length;
        System.arraycopy(body, 0, frame, LENGTH_HEADER_BYTES, body.length);
        return frame;
    }

    /** The raw connection, for tests that read what (if anything) the server sends back. */
    public Socket socket() throws IOException {
        Socket socket = channel.getSocket();
        if (socket == null) {
            throw new IOException("not connected");
        }
        return socket;
    }

    public boolean isConnected() {
        return channel.isConnected();
    }

    @Override
    public void close() throws IOException {
        channel.disconnect();
    }

    private static void configure(AnonpayChannel channel, String host, int port, Duration timeout) {
        long timeoutMs = timeout.toMillis();
        if (timeoutMs <= 0 || timeoutMs > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timeout must be between 1 ms and about 24 days");
        }
        Properties props = new Properties();
        props.setProperty("host", host);
        props.setProperty("port", Integer.toString(port));
        props.setProperty("timeout", Long.toString(timeoutMs));
        props.setProperty("connect-timeout", Long.toString(timeoutMs));
        try {
            channel.setConfiguration(new SimpleConfiguration(props));
        } catch (ConfigurationException e) {
            throw new IllegalStateException("client channel configuration rejected: " + e.getMessage(), e);
        }
    }
}
