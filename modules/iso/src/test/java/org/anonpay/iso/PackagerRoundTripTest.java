// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jpos.iso.IFA_AMOUNT;
import org.jpos.iso.IFA_LLCHAR;
import org.jpos.iso.IFA_LLLCHAR;
import org.jpos.iso.IFA_LLLNUM;
import org.jpos.iso.IFA_LLNUM;
import org.jpos.iso.IFA_NUMERIC;
import org.jpos.iso.IFB_BINARY;
import org.jpos.iso.IF_CHAR;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOFieldPackager;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.Test;

class PackagerRoundTripTest {
    private static final AnonpayPackager PACKAGER = AnonpayPackager.load();

    @Test
    void loadIsCachedAndDefinesEveryFieldOf1987() {
        assertSame(PACKAGER, AnonpayPackager.load());
        for (int fieldNo = 0; fieldNo <= 128; fieldNo++) {
            assertNotNull(PACKAGER.getFieldPackager(fieldNo), "field " + fieldNo);
        }
    }

    @Test
    void everyFieldAnonpayUsesRoundTrips() throws ISOException {
        ISOMsg m = new ISOMsg("0200");
        m.set(2, "4111111111111111");
        m.set(3, "000000");
        m.set(4, "000000012345");
        m.set(7, "1123101530");
        m.set(11, "000123");
        m.set(12, "191530");
        m.set(13, "1123");
        m.set(14, "2712");
        m.set(18, "5999");
        m.set(22, "011");
        m.set(25, "00");
        m.set(32, "100001");
        m.set(35, "4111111111111111=27121011234500000");
        m.set(37, "112310000123");
        m.set(38, "A12345");
        m.set(39, "00");
        m.set(41, "POS00001");
        m.set(42, "MERCHANT0000001");
        m.set(43, Terminal.DEFAULT_MERCHANT_NAME);
        m.set(48, "9203123");
        m.set(49, "410");
        m.set(52, new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) 0xFF});
        m.set(53, "0000000000000000");
        m.set(54, AdditionalAmounts.balances("410", 50_000, -1_000).format());
        m.set(60, "07");
        m.set(70, "301");
        m.set(90, OriginalData.of("0200", "000122", "1123101500", "100001").format());
        m.set(95, "000000001000000000000000C00000000D00000000");
        assertRoundTrip(m);
    }

    @Test
    void everyOtherFieldOf1987RoundTripsAlone() throws ISOException {
        for (int fieldNo = 2; fieldNo <= 128; fieldNo++) {
            ISOMsg m = new ISOMsg("0100");
            setSampleValue(m, fieldNo);
            assertRoundTrip(m);
        }
    }

    @Test
    void allFieldsTogetherUseTheSecondaryBitmap() throws ISOException {
        ISOMsg m = new ISOMsg("0200");
        for (int fieldNo = 2; fieldNo <= 128; fieldNo++) {
            setSampleValue(m, fieldNo);
        }
        assertRoundTrip(m);
    }

    @Test
    void wireFormatIsAsciiWithABinaryBitmap() throws ISOException {
        ISOMsg m = new ISOMsg("0800");
        m.set(11, "000042");
        m.set(70, "301");
        m.setPackager(PACKAGER);
        byte[] image = m.pack();
        assertEquals(4 + 16 + 6 + 3, image.length);
        assertEquals("0800", new String(image, 0, 4, StandardCharsets.US_ASCII));
        // primary bitmap: bit 1 (a secondary bitmap follows, for field 70) and bit 11
        assertArrayEquals(new byte[] {(byte) 0x80, 0x20, 0, 0, 0, 0, 0, 0}, Arrays.copyOfRange(image, 4, 12));
        // secondary bitmap: bit 70 is the 6th bit of its first byte
        assertArrayEquals(new byte[] {0x04, 0, 0, 0, 0, 0, 0, 0}, Arrays.copyOfRange(image, 12, 20));
        assertEquals("000042301", new String(image, 20, 9, StandardCharsets.US_ASCII));
    }

    @Test
    void llvarPanCarriesAnAsciiLengthPrefix() throws ISOException {
        ISOMsg m = new ISOMsg("0100");
        m.set(2, "4111111111111111");
        m.setPackager(PACKAGER);
        byte[] image = m.pack();
        assertEquals("164111111111111111", new String(image, 12, image.length - 12, StandardCharsets.US_ASCII));
    }

    private static void assertRoundTrip(ISOMsg m) throws ISOException {
        m.setPackager(PACKAGER);
        byte[] image = m.pack();
        MalformedAwareMsg back = new MalformedAwareMsg();
        back.setPackager(PACKAGER);
        back.unpack(image);
        assertFalse(back.malformed(), () -> "malformed: " + back.failureReason().orElse(""));
        for (int fieldNo = 0; fieldNo <= 128; fieldNo++) {
            if (fieldNo == 1) {
                continue;
            }
            assertEquals(m.hasField(fieldNo), back.hasField(fieldNo), "presence of field " + fieldNo);
            if (!m.hasField(fieldNo)) {
                continue;
            }
            if (m.getValue(fieldNo) instanceof byte[] bytes) {
                assertArrayEquals(bytes, back.getBytes(fieldNo), "field " + fieldNo);
            } else {
                assertEquals(m.getString(fieldNo), back.getString(fieldNo), "field " + fieldNo);
            }
        }
        assertTrue(image.length > 12);
    }

    /** A full-length valid value for the field's packager. */
    private static void setSampleValue(ISOMsg m, int fieldNo) {
        ISOFieldPackager fp = PACKAGER.getFieldPackager(fieldNo);
        int length = Math.min(fp.getLength(), 120);
        String digits = "1234567890".repeat(20).substring(0, length);
        if (fp instanceof IFB_BINARY) {
            byte[] bytes = new byte[fp.getLength()];
            Arrays.fill(bytes, (byte) (0xA0 + fieldNo % 16));
            m.set(fieldNo, bytes);
        } else if (fp instanceof IFA_AMOUNT) {
            m.set(fieldNo, "D" + digits.substring(1));
        } else if (fp instanceof IFA_NUMERIC || fp instanceof IFA_LLNUM || fp instanceof IFA_LLLNUM) {
            m.set(fieldNo, digits);
        } else if (fp instanceof IF_CHAR || fp instanceof IFA_LLCHAR || fp instanceof IFA_LLLCHAR) {
            m.set(fieldNo, ("F" + fieldNo + " text=/-. ").repeat(20).substring(0, length));
        } else {
            throw new AssertionError("no sample for field " + fieldNo + " packed by " + fp.getClass().getName());
        }
    }
}
