// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Optional;
import org.anonpay.host.HostFixture.TestCard;
import org.anonpay.iso.AnonpayPackager;
import org.anonpay.iso.IsoClient;
import org.anonpay.iso.MessageFactory;
import org.anonpay.iso.Terminal;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Malformed input gets field 39 = 30 (12 for an unknown MTI) or a closed connection, never a
 * crash; the host keeps serving other connections; nothing moves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {

    private HostFixture fx;
    private TestCard card;
    private long approvedBefore;
    private static final String APPROVED = "SELECT COUNT(*) FROM authz_journal WHERE response_code = '00'";
    private final MessageFactory pos = new MessageFactory(Terminal.defaults().withTerminalId("BADIN001"));

    @BeforeAll
    void start() throws Exception {
        fx = HostFixture.start("badinput");
        card = fx.issueCard("KRW-PREPAID", 50_000);
        approvedBefore = fx.count(APPROVED); // the demo cards' loads
    }

    @AfterAll
    void stop() throws Exception {
        if (fx != null) fx.close();
    }

    private byte[] packedPurchase() throws Exception {
        ISOMsg m = pos.purchase(card.iso(), 1_000);
        m.setPackager(AnonpayPackager.load());
        return m.pack();
    }

    @Test
    void truncatedMessage() throws Exception {
        byte[] body = packedPurchase();
        assertRejected(IsoClient.frame(Arrays.copyOf(body, body.length - 20)));
    }

    @Test
    void bitmapNamingAbsentFields() throws Exception {
        ISOMsg echo = pos.echo();
        echo.setPackager(AnonpayPackager.load());
        byte[] body = echo.pack();
        body[4 + 2] |= (byte) 0xFF; // the MTI is 4 ASCII bytes; set bits 17..24 of the bitmap
        assertRejected(IsoClient.frame(body));
    }

    @Test
    void lengthHeaderLargerThanTheBody() throws Exception {
        byte[] body = packedPurchase();
        byte[] frame = IsoClient.frame(body);
        frame[0] = (byte) ((body.length + 200) >> 8);
        frame[1] = (byte) (body.length + 200);
        try (Socket s = new Socket("127.0.0.1", fx.host.isoPort())) {
            s.getOutputStream().write(frame);
            s.shutdownOutput(); // the promised bytes never come
            s.setSoTimeout(30_000);
            assertEquals(-1, s.getInputStream().read(), "connection closed without an answer");
        }
        assertStillServingAndNothingMoved();
    }

    @Test
    void nonNumericAmount() throws Exception {
        ISOMsg m = pos.purchase(card.iso(), 1_000);
        m.set(4, "00000000A000");
        assertEquals("30", answer(m).orElseThrow().getString(39));
        assertStillServingAndNothingMoved();
    }

    @Test
    void unknownMti() throws Exception {
        ISOMsg m = pos.purchase(card.iso(), 1_000);
        m.setMTI("0900");
        assertEquals("12", answer(m).orElseThrow().getString(39));
        assertStillServingAndNothingMoved();
    }

    @Test
    void garbage() throws Exception {
        assertRejected(IsoClient.frame("\u0001\u0002garbage that is no ISO 8583 message".getBytes()));
    }

    private Optional<ISOMsg> answer(ISOMsg m) throws Exception {
        try (IsoClient client = fx.connect()) {
            return Optional.of(client.exchange(m));
        }
    }

    /** Either a format-error answer or the connection closed; then the host still serves. */
    private void assertRejected(byte[] frame) throws Exception {
        try (Socket s = new Socket("127.0.0.1", fx.host.isoPort())) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(frame);
            s.getOutputStream().flush();
            Optional<String> responseCode = readResponseCode(s.getInputStream());
            responseCode.ifPresent(rc -> assertTrue(rc.equals("30") || rc.equals("12"), "format error expected, got " + rc));
        }
        assertStillServingAndNothingMoved();
    }

    private static Optional<String> readResponseCode(InputStream in) throws Exception {
        try {
            int hi = in.read();
            if (hi < 0) return Optional.empty();
            int length = (hi << 8) | in.read();
            byte[] body = in.readNBytes(length);
            ISOMsg m = new ISOMsg();
            m.setPackager(AnonpayPackager.load());
            m.unpack(body);
            return Optional.of(m.getString(39));
        } catch (SocketTimeoutException e) {
            throw new AssertionError("neither an answer nor a closed connection", e);
        } catch (IOException e) {
            return Optional.empty(); // reset by the host: closed
        }
    }

    private void assertStillServingAndNothingMoved() throws Exception {
        try (IsoClient other = fx.connect()) {
            assertEquals("00", other.exchange(pos.echo()).getString(39));
        }
        assertEquals(50_000L, fx.balance(card).available());
        assertEquals(approvedBefore, fx.count(APPROVED), "nothing approved");
    }
}
