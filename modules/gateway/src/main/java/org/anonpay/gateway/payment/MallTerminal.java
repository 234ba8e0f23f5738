// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.payment;

import java.util.Currency;
import org.anonpay.gateway.mall.Mall;
import org.anonpay.iso.Terminal;

/**
 * The mall API as an ISO 8583 acquirer terminal: the gateway's acquirer id and terminal, the mall
 * as card acceptor (42 = mall id, 43 = its name, 18 = its MCC), e-commerce (22, 25, 60).
 */
final class MallTerminal {

    private static final int NAME_CHARS = 25;
    private static final String LOCATION = String.format("%-13s%s", "ONLINE", "KR");

    private MallTerminal() {}

    static Terminal of(Mall mall, Currency currency, PaymentService.Settings settings) {
        return new Terminal(settings.acquirerId(), settings.terminalId(), mall.mallId(), nameLocation(mall),
                mall.mcc(), String.format("%03d", currency.getNumericCode()), Terminal.DEFAULT_ZONE, true);
    }

    /**
     * Field 43 is ASCII: a name in Hangul is not representable there, so the mall id stands in
     * (the wallet shows the mall's own name, found by field 42).
     */
    static String nameLocation(Mall mall) {
        String ascii = mall.name().chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? mall.name() : mall.mallId();
        String name = ascii.length() > NAME_CHARS ? ascii.substring(0, NAME_CHARS) : ascii;
        return String.format("%-" + NAME_CHARS + "s", name) + LOCATION;
    }
}
