// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import java.util.Set;
import org.jpos.iso.ISOMsg;

/**
 * Whether a message is online (card not present: e-commerce, keyed mail or phone order) or
 * offline (the card was read by a terminal at a shop), for the member's allow-online and
 * allow-offline controls. Decided from the message alone:
 * <ol>
 *   <li>field 25 (POS condition) {@code 59} e-commerce: ONLINE, whatever field 22 says;</li>
 *   <li>field 22 (POS entry mode) starting {@code 01} (manual key entry) or {@code 81} (e-commerce): ONLINE;</li>
 *   <li>field 22 starting {@code 02}, {@code 90} (magnetic stripe), {@code 05} (chip), {@code 07}
 *       or {@code 91} (contactless): OFFLINE;</li>
 *   <li>anything else, field 22 absent or {@code 00} (unknown) included: ONLINE. Only a terminal that
 *       says it read the card makes a message card-present; a member who turned online use off
 *       expects every doubtful message to be stopped.</li>
 * </ol>
 */
public enum CardUse {
    ONLINE, OFFLINE;

    static final String CONDITION_ECOMMERCE = "59";
    private static final Set<String> ONLINE_ENTRY = Set.of("01", "81");
    private static final Set<String> CARD_READ_ENTRY = Set.of("02", "05", "07", "90", "91");

    public static CardUse of(ISOMsg m) {
        if (CONDITION_ECOMMERCE.equals(m.getString(25))) return ONLINE;
        String entryMode = m.getString(22);
        if (entryMode == null || entryMode.length() < 2) return ONLINE;
        String mode = entryMode.substring(0, 2);
        if (ONLINE_ENTRY.contains(mode)) return ONLINE;
        return CARD_READ_ENTRY.contains(mode) ? OFFLINE : ONLINE;
    }
}
