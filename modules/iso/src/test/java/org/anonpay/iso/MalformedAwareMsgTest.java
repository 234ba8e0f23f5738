// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.Test;

class MalformedAwareMsgTest {
    static final String PAN = "4111111111111111";

    @Test
    void wellFormedImageIsNotMarked() throws ISOException {
        MalformedAwareMsg m = unpack(purchaseImage());
        assertFalse(m.malformed());
        assertEquals(PAN, m.getString(Field.PAN));
    }

    @Test
    void truncatedImageKeepsTheFieldsBeforeTheCut() throws ISOException {
        byte[] image = purchaseImage();
        MalformedAwareMsg m = unpack(Arrays.copyOf(image, image.length - 5));
        assertTrue(m.malformed());
        assertEquals("0200", m.getMTI());
        assertEquals("000077", m.getString(Field.STAN));
        assertTrue(m.failureReason().orElseThrow().contains("field="), m.failureReason().orElseThrow());
    }

    @Test
    void bitmapNamingAbsentFieldsIsMarked() throws ISOException {
        MalformedAwareMsg m = unpack(bitmapOnlyImage());
        assertTrue(m.malformed());
        assertEquals("0200", m.getMTI());
        assertFalse(m.hasField(Field.PAN));
    }

    @Test
    void garbageLosesItsUnreadableMti() throws ISOException {
        byte[] garbage = new byte[40];
        new Random(7).nextBytes(garbage);
        garbage[0] = (byte) 0xEE;
        MalformedAwareMsg m = unpack(garbage);
        assertTrue(m.malformed());
        assertTrue(IsoMessages.readableMti(m).isEmpty());
    }

    @Test
    void shorterThanAnMtiIsMarked() throws ISOException {
        MalformedAwareMsg m = unpack(new byte[] {'0', '2'});
        assertTrue(m.malformed());
        assertFalse(m.hasField(Field.MTI));
    }

    @Test
    void bytesAfterTheLastFieldAreMarked() throws ISOException {
        byte[] image = purchaseImage();
        byte[] longer = Arrays.copyOf(image, image.length + 3);
        MalformedAwareMsg m = unpack(longer);
        assertTrue(m.malformed());
        assertEquals(PAN, m.getString(Field.PAN));
        assertTrue(m.failureReason().orElseThrow().contains("3 bytes after"));
    }

    @Test
    void nonNumericContentOfANumericFieldIsDropped() throws ISOException {
        ISOMsg m = new ISOMsg("0200");
        m.set(Field.STAN, "12AB56");
        m.set(Field.TERMINAL_ID, "POS00001");
        m.setPackager(AnonpayPackager.load());
        MalformedAwareMsg back = unpack(m.pack());
        assertTrue(back.malformed());
        assertFalse(back.hasField(Field.STAN));
        assertEquals("POS00001", back.getString(Field.TERMINAL_ID));
        assertTrue(back.failureReason().orElseThrow().contains("[11]"));
    }

    @Test
    void reasonNeverQuotesLongDigitRuns() throws ISOException {
        // a PAN length prefix of 25 exceeds n..19: jPOS's message names lengths, never the content
        byte[] image = ("0200" + "\u0040\0\0\0\0\0\0\0" + "25" + PAN + "123456789").getBytes(StandardCharsets.ISO_8859_1);
        MalformedAwareMsg m = unpack(image);
        assertTrue(m.malformed());
        assertFalse(m.failureReason().orElseThrow().contains(PAN));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.dump(new PrintStream(out, true, StandardCharsets.UTF_8), "");
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("malformed:"));
    }

    @Test
    void responseBuiltFromAMalformedRequestIsNotMarked() throws ISOException {
        byte[] image = purchaseImage();
        MalformedAwareMsg request = unpack(Arrays.copyOf(image, image.length - 5));
        ISOMsg response = (ISOMsg) request.clone();
        assertTrue(IsoMessages.isMalformed(response), "a plain copy keeps the mark, for protected logs");
        response.setResponseMTI();
        assertFalse(IsoMessages.isMalformed(response));
        assertTrue(request.malformed());
    }

    static byte[] purchaseImage() throws ISOException {
        ISOMsg m = new ISOMsg("0200");
        m.set(Field.PAN, PAN);
        m.set(Field.PROCESSING_CODE, "000000");
        m.set(Field.AMOUNT, "000000001000");
        m.set(Field.STAN, "000077");
        m.set(Field.TERMINAL_ID, "POS00001");
        m.setPackager(AnonpayPackager.load());
        return m.pack();
    }

    /** MTI 0200 and a bitmap naming fields 2, 3, 4, 11 and 41, with none of them present. */
    static byte[] bitmapOnlyImage() {
        byte[] image = new byte[12];
        System.arraycopy("0200".getBytes(StandardCharsets.US_ASCII), 0, image, 0, 4);
        image[4] = 0x70;        // bits 2, 3, 4
        image[5] = 0x20;        // bit 11
        image[9] = (byte) 0x80; // bit 41
        return image;
    }

    private static MalformedAwareMsg unpack(byte[] image) throws ISOException {
        MalformedAwareMsg m = new MalformedAwareMsg();
        m.setPackager(AnonpayPackager.load());
        m.unpack(image);
        return m;
    }
}
