// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;

import org.jpos.core.Configuration;
import org.jpos.core.ConfigurationException;
import org.jpos.iso.BaseChannel;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISOPackager;
import org.jpos.iso.ISOSource;
import org.jpos.iso.channel.NACChannel;

/**
 * The anonpay link: jPOS {@link NACChannel} framing (a 2-byte binary big-endian length header before
 * each message, no TPDU) carrying messages packed with {@link AnonpayPackager}. Serves as the server
 * channel of a Q2 {@code QServer} and as a client channel ({@link IsoClient}).
 *
 * <p>Malformed input never ends a session with an exception: every frame is received into a
 * {@link MalformedAwareMsg}, so a body that does not unpack reaches the request listener marked
 * malformed ({@link IsoMessages#isMalformed}). Framing that cannot be trusted closes the connection:
 * <ul>
 *   <li>a length header larger than {@code max-packet-length} (default {@value #DEFAULT_MAX_FRAME_BYTES}):
 *       closed at once, as the rest of the stream cannot be framed;</li>
 *   <li>a length header larger than the bytes that follow: the read waits up to {@code timeout}
 *       milliseconds (socket SO_TIMEOUT, default {@value #DEFAULT_TIMEOUT_MS}), then the connection is
 *       closed. The same timeout closes a connection idle for that long between messages.</li>
 * </ul>
 * A zero length header is a keep-alive and is skipped.
 */
public class AnonpayChannel extends NACChannel {
    public static final int DEFAULT_TIMEOUT_MS = 300_000;
    public static final int DEFAULT_MAX_FRAME_BYTES = 8_192;

    /** Server channel (Q2 instantiates it by class name) or unconfigured client. */
    public AnonpayChannel() {
        super();
        setPackager(AnonpayPackager.load());
        applyDefaults();
    }

    /** Client channel to {@code host:port}. */
    public AnonpayChannel(String host, int port) {
        super(host, port, AnonpayPackager.load(), null);
        applyDefaults();
    }

    /** Client channel with another packager (tests of foreign formats). */
    public AnonpayChannel(String host, int port, ISOPackager packager) {
        super(host, port, packager, null);
        applyDefaults();
    }

    @Override
    public void setConfiguration(Configuration cfg) throws ConfigurationException {
        super.setConfiguration(cfg);
        // jPOS defaults max-packet-length to 100000; anonpay messages stay far below 8 KiB
        setMaxPacketLength(cfg.getInt("max-packet-length", DEFAULT_MAX_FRAME_BYTES));
    }

    /**
     * Every connection, accepted or opened, sends each frame at once (TCP_NODELAY). jPOS leaves
     * Nagle's algorithm on, which holds a frame back while an earlier one is unacknowledged: on a
     * link that multiplexes many requests (a VAN, an acquirer), an answer written right after another
     * waited for the peer's delayed ACK, several milliseconds per message.
     */
    @Override
    protected void connect(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        super.connect(socket);
    }

    /** Every frame becomes a message that records, instead of throws, an unpack failure. */
    @Override
    protected ISOMsg createMsg() {
        return new MalformedAwareMsg();
    }

    /**
     * Skips keep-alives and refuses lengths outside 1..max-packet-length with an I/O error, which makes
     * BaseChannel close the socket: after a bad header the stream cannot be framed again.
     */
    @Override
    protected int getMessageLength() throws IOException, ISOException {
        int lengthBytes;
        do {
            lengthBytes = super.getMessageLength();
        } while (lengthBytes == 0);
        if (lengthBytes < 0 || lengthBytes > getMaxPacketLength()) {
            throw new IOException("frame length " + lengthBytes + " outside 1.." + getMaxPacketLength());
        }
        return lengthBytes;
    }

    /**
     * Ends the connection a listener got {@code m} on, for a frame too broken to answer (no readable MTI).
     * It shuts the socket down rather than closing it, so the peer sees the end of the stream at once and
     * the server session ends quietly at its next read instead of logging an error about a vanished socket.
     */
    public static void closeConnection(ISOSource source) throws IOException {
        if (source instanceof BaseChannel channel && channel.getSocket() instanceof Socket socket && !socket.isClosed()) {
            socket.shutdownOutput();
            socket.shutdownInput();
        }
    }

    private void applyDefaults() {
        setMaxPacketLength(DEFAULT_MAX_FRAME_BYTES);
        try {
            setTimeout(DEFAULT_TIMEOUT_MS);
        } catch (SocketException e) {
            throw new IllegalStateException("no socket yet, so setting a timeout cannot fail", e);
        }
    }
}
