// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.Test;

class IsoMessagesDescribeTest {
    private static final String PAN = "4111111111111111";
    private static final String CVV2 = "987";
    private static final byte[] PIN_BLOCK = HexFormat.of().parseHex("1A2B3C4D5E6F7081");

    @Test
    void describeShowsMaskedCardDataOnly() {
        ISOMsg m = new MessageFactory(Terminal.defaults())
                .purchase(Card.ofPan(PAN).withExpiry("2712").withCvv2(CVV2).withPinBlock(PIN_BLOCK), 12_345);
        m.set(Field.TRACK2, PAN + "=27121010987000000");
        String text = IsoMessages.describe(m);

        assertFalse(text.contains(PAN), text);
        assertFalse(text.contains("9203" + CVV2), text);
        assertFalse(text.contains("=" + CVV2) || text.contains(" " + CVV2 + "\n"), text);
        assertFalse(text.toUpperCase().contains("1A2B3C4D5E6F7081"), text);
        assertFalse(text.contains("27121010987"), text);

        assertTrue(text.startsWith("MTI 0200"), text);
        assertTrue(text.contains("411111******1111"), text);
        assertTrue(text.contains("[PIN block, 8 bytes]"), text);
        assertTrue(text.contains("92=***"), text);
        assertTrue(text.contains("2712"), text); // field 14 is shown
        assertTrue(text.contains("000000012345"), text);
    }

    @Test
    void unknownFieldsHavePanLikeDigitRunsMasked() {
        ISOMsg m = new ISOMsg("0200");
        m.set(120, "card " + PAN + " end");
        m.set(48, "garbage" + CVV2);
        String text = IsoMessages.describe(m);
        assertFalse(text.contains(PAN), text);
        assertFalse(text.contains(CVV2), text);
        assertTrue(text.contains("card 411111******1111 end"), text);
    }

    @Test
    void malformedMessagesSayWhy() {
        MalformedAwareMsg m = new MalformedAwareMsg();
        m.set(Field.MTI, "0200");
        m.markMalformed("test reason");
        assertTrue(IsoMessages.describe(m).contains("MALFORMED: test reason"));
        assertTrue(IsoMessages.isMalformed(m));
        assertFalse(IsoMessages.isMalformed(new ISOMsg("0200")));
    }

    @Test
    void maskPanKeepsFirstSixAndLastFour() {
        assertEquals("411111******1111", IsoMessages.maskPan(PAN));
        assertEquals("541234*********4567", IsoMessages.maskPan("5412345678901234567"));
        assertEquals("************", IsoMessages.maskPan("411111111111"));
        assertEquals("411111******1111=*****", IsoMessages.maskTrack2(PAN + "=2712A"));
    }
}
