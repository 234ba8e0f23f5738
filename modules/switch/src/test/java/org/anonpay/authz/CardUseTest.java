// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.Test;

class CardUseTest {

    private static CardUse use(String entryMode, String condition) {
        ISOMsg m = new ISOMsg();
        if (entryMode != null) m.set(22, entryMode);
        if (condition != null) m.set(25, condition);
        return CardUse.of(m);
    }

    @Test
    void eCommerceAndKeyedEntryAreOnline() {
        assertEquals(CardUse.ONLINE, use("812", "59"));
        assertEquals(CardUse.ONLINE, use("812", "00"));
        assertEquals(CardUse.ONLINE, use("011", "00"), "keyed: mail or phone order");
        assertEquals(CardUse.ONLINE, use("012", null));
        assertEquals(CardUse.ONLINE, use("051", "59"), "condition 59 wins over the entry mode");
    }

    @Test
    void aCardReadAtATerminalIsOffline() {
        for (String mode : new String[] {"021", "051", "052", "071", "901", "911"}) {
            assertEquals(CardUse.OFFLINE, use(mode, "00"), mode);
        }
        assertEquals(CardUse.OFFLINE, use("051", null));
    }

    @Test
    void anythingElseIsOnline() {
        assertEquals(CardUse.ONLINE, use(null, null), "no entry mode: not proved card-present");
        assertEquals(CardUse.ONLINE, use("001", "00"), "00 unknown");
        assertEquals(CardUse.ONLINE, use("101", "00"), "credential on file");
        assertEquals(CardUse.ONLINE, use("0", "00"));
    }
}
