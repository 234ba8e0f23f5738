// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.funding;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.anonpay.authz.TransactionDoor;
import org.anonpay.iso.Card;
import org.anonpay.iso.MessageFactory;
import org.anonpay.iso.Terminal;
import org.jpos.iso.ISOMsg;

/**
 * The load of a top-up: a 0200 with processing code 21 into the one authorization transaction
 * manager (the same participants as every other message; the CreditCard participant checks the
 * program's maximum balance and credits the card from the operator's funding clearing account).
 *
 * <p>It comes from the wallet's own terminal: acquirer {@value #ACQUIRER_ID}, terminal
 * {@value #TERMINAL_ID}, card acceptor {@value #MERCHANT_ID}, MCC {@value #MCC}. Its message key
 * (acquirer 32, terminal 41, STAN 11, transmission time 7) is derived from the top-up's id only,
 * so sending the load of one top-up again is a repeat that the journal answers without moving
 * money, and two top-ups never share a key: STAN = id mod 1,000,000 and field 7 = 2000-01-01
 * 00:00:00 plus id / 1,000,000 seconds (MMddhhmmss), distinct for the first 3.16 × 10^13 ids.
 * Field 7 is therefore a stand-in, not the moment of sending.
 */
final class TopupLoads {

    static final String ACQUIRER_ID = "900200";
    static final String TERMINAL_ID = "WLTTOPUP";
    static final String MERCHANT_ID = "ANONPAYTOPUP001";
    static final String MERCHANT_NAME = "ANONPAY WALLET TOP-UP   SEOUL        KR";
    static final String MCC = "6540";
    private static final LocalDateTime KEY_EPOCH = LocalDateTime.of(2000, 1, 1, 0, 0);
    private static final DateTimeFormatter FIELD_7 = DateTimeFormatter.ofPattern("MMddHHmmss");

    /** The transaction manager's door; a seam so that the outcome of a load is one call. */
    interface Door {
        Optional<ISOMsg> submit(ISOMsg request, Duration timeout) throws InterruptedException;
    }

    private final Door door;
    private final Duration timeout;

    TopupLoads(Door door, Duration timeout) {
        this.door = door;
        this.timeout = timeout;
    }

    static TopupLoads authorization(Duration timeout) {
        return new TopupLoads((request, t) -> TransactionDoor.authorization().submit(request, t), timeout);
    }

    /** The load's response code (field 39), or empty when the transaction manager did not answer in time. */
    Optional<String> load(long topupId, String pan, String expiryYymm, long amountMinor, String currencyNumeric) {
        ISOMsg load = message(topupId, pan, expiryYymm, amountMinor, currencyNumeric);
        try {
            return door.submit(load, timeout).map(answer -> answer.getString(39));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static ISOMsg message(long topupId, String pan, String expiryYymm, long amountMinor, String currencyNumeric) {
        Terminal wallet = new Terminal(ACQUIRER_ID, TERMINAL_ID, MERCHANT_ID, MERCHANT_NAME, MCC, currencyNumeric, Terminal.DEFAULT_ZONE, false);
        ISOMsg load = new MessageFactory(wallet).load(Card.ofPan(pan).withExpiry(expiryYymm), amountMinor);
        load.set(11, stan(topupId));
        load.set(7, transmissionTime(topupId));
        return load;
    }

    static String stan(long topupId) {
        return String.format("%06d", topupId % 1_000_000);
    }

    static String transmissionTime(long topupId) {
        return KEY_EPOCH.plusSeconds(topupId / 1_000_000).format(FIELD_7);
    }
}
