// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input over real sockets against an ISOServer with AnonpayChannel: answered with 30 or closed, never fatal. */
class AnonpayChannelMalformedInputTest {
    private static final int SERVER_READ_TIMEOUT_MS = 1_000;
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);
    private static TestIsoServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestIsoServer.start(SERVER_READ_TIMEOUT_MS);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void wellFormedEchoIsAnswered() throws Exception {
        assertServerStillAnswers();
    }

    @Test
    void truncatedMessageGets30AndTheSessionGoesOn() throws Exception {
        try (IsoClient client = connect()) {
            byte[] image = MalformedAwareMsgTest.purchaseImage();
            client.sendRaw(IsoClient.frame(Arrays.copyOf(image, image.length - 5)));
            ISOMsg response = client.receive();
            assertEquals("0210", response.getMTI());
            assertEquals("30", response.getString(Field.RESPONSE_CODE));
            assertEquals("000077", response.getString(Field.STAN));
            // the same connection still serves well-formed requests
            ISOMsg echo = client.exchange(new MessageFactory(Terminal.defaults()).echo());
            assertEquals("00", echo.getString(Field.RESPONSE_CODE));
        }
        assertServerStillAnswers();
    }

    @Test
    void bitmapNamingAbsentFieldsGets30() throws Exception {
        try (IsoClient client = connect()) {
            client.sendRaw(IsoClient.frame(MalformedAwareMsgTest.bitmapOnlyImage()));
            ISOMsg response = client.receive();
            assertEquals("0210", response.getMTI());
            assertEquals("30", response.getString(Field.RESPONSE_CODE));
        }
        assertServerStillAnswers();
    }

    @Test
    void garbageWithoutAReadableMtiClosesTheConnection() throws Exception {
        byte[] garbage = new byte[64];
        new Random(42).nextBytes(garbage);
        garbage[0] = (byte) 0xC3;
        try (IsoClient client = connect()) {
            client.sendRaw(IsoClient.frame(garbage));
            assertClosedByServer(client);
        }
        assertServerStillAnswers();
    }

    @Test
    void garbageAfterAReadableMtiGets30() throws Exception {
        byte[] garbage = new byte[64];
        new Random(43).nextBytes(garbage);
        System.arraycopy("0200".getBytes(StandardCharsets.US_ASCII), 0, garbage, 0, 4);
        try (IsoClient client = connect()) {
            client.sendRaw(IsoClient.frame(garbage));
            ISOMsg response = client.receive();
            assertEquals("30", response.getString(Field.RESPONSE_CODE));
        }
        assertServerStillAnswers();
    }

    @Test
    void unknownMtiGets12() throws Exception {
        ISOMsg m = new MessageFactory(Terminal.defaults()).purchase(Card.ofPan(MalformedAwareMsgTest.PAN), 100);
        m.setMTI("0300");
        try (IsoClient client = connect()) {
            ISOMsg response = client.exchange(m);
            assertEquals("0310", response.getMTI());
            assertEquals("12", response.getString(Field.RESPONSE_CODE));
        }
    }

    @Test
    void lengthHeaderLargerThanTheBodyClosesAfterTheReadTimeout() throws Exception {
        try (IsoClient client = connect()) {
            byte[] frame = IsoClient.frame(new byte[100]);
            long start = System.nanoTime();
            client.sendRaw(Arrays.copyOf(frame, 2 + 20)); // announces 100 bytes, sends 20
            assertClosedByServer(client);
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waitedMs >= SERVER_READ_TIMEOUT_MS - 100, "closed after " + waitedMs + " ms");
            assertTrue(waitedMs < SERVER_READ_TIMEOUT_MS + 3_000, "closed after " + waitedMs + " ms");
        }
        assertServerStillAnswers();
    }

    @Test
    void lengthHeaderAboveMaxPacketLengthClosesAtOnce() throws Exception {
        try (IsoClient client = connect()) {
            long start = System.nanoTime();
            client.sendRaw(new byte[] {(byte) 0xFF, (byte) 0xFF, '0', '2', '0', '0'});
            assertClosedByServer(client);
            assertTrue((System.nanoTime() - start) / 1_000_000 < SERVER_READ_TIMEOUT_MS);
        }
        assertServerStillAnswers();
    }

    @Test
    void zeroLengthKeepAlivesAreSkipped() throws Exception {
        try (IsoClient client = connect()) {
            client.sendRaw(new byte[] {0, 0, 0, 0});
            ISOMsg echo = client.exchange(new MessageFactory(Terminal.defaults()).echo());
            assertEquals("0810", echo.getMTI());
        }
    }

    @Test
    void listenerSeesTheMalformedMark() throws Exception {
        int before = server.received().size();
        try (IsoClient client = connect()) {
            client.sendRaw(IsoClient.frame(MalformedAwareMsgTest.bitmapOnlyImage()));
            client.receive();
        }
        ISOMsg seen = server.received().get(before);
        assertTrue(IsoMessages.isMalformed(seen));
        assertTrue(IsoMessages.failureReason(seen).isPresent());
        assertFalse(IsoMessages.readableMti(seen).isEmpty());
    }

    private static IsoClient connect() throws IOException {
        return IsoClient.connect("127.0.0.1", server.port(), CLIENT_TIMEOUT);
    }

    private static void assertServerStillAnswers() throws IOException, ISOException {
        try (IsoClient client = connect()) {
            ISOMsg response = client.exchange(new MessageFactory(Terminal.defaults()).echo());
            assertEquals("0810", response.getMTI());
            assertEquals("00", response.getString(Field.RESPONSE_CODE));
        }
    }

    /** The server ended the connection: end of stream (or a reset), well before the client's own timeout. */
    private static void assertClosedByServer(IsoClient client) throws IOException {
        InputStream in = client.socket().getInputStream();
        try {
            assertEquals(-1, in.read(), "the server sent bytes instead of closing");
        } catch (SocketException reset) {
            // a reset is a close too
        }
    }
}
