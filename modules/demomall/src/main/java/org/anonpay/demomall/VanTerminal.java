// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.demomall;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import org.anonpay.iso.Card;
import org.anonpay.iso.IsoClient;
import org.anonpay.iso.MessageFactory;
import org.anonpay.iso.OriginalData;
import org.anonpay.iso.PinBlocks;
import org.anonpay.iso.ProcessingCode;
import org.anonpay.iso.StanCounter;
import org.anonpay.iso.Terminal;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;

/**
 * The non-affiliated shop's link to its VAN (MISSION.md d6-d9): a 0200 purchase over ISO 8583 to
 * the host's VAN/POS interface, the card data as a terminal sends it — PAN (2), expiry (14), CVV2
 * (48) and the PIN encrypted under the zone PIN key (52). In this demo the shop's "VAN" is the
 * host's ISO 8583 port itself and the ZPK the development one (cfg/keys/dev-zpk.hex). A purchase
 * left unanswered is reversed (0400), as a terminal must. Nothing here logs card data.
 */
final class VanTerminal {

    /** The issuer's answer: field 39, and 38 when approved. */
    record Answer(String responseCode, String approvalCode) {
        boolean approved() {
            return "00".equals(responseCode);
        }
    }

    private final String host;
    private final int port;
    private final Duration timeout;
    private final MessageFactory messages;
    private final String zpkHex;

    VanTerminal(String host, int port, Duration timeout, Terminal terminal, String zpkHex) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
        // STANs start from a point of the clock: a restarted shop does not reuse the last run's
        this.messages = new MessageFactory(terminal, new StanCounter((int) (System.currentTimeMillis() / 1000 % 999_999) + 1), Clock.systemUTC());
        this.zpkHex = zpkHex;
    }

    Terminal terminal() {
        return messages.terminal();
    }

    /** One purchase, one connection (a shop's checkout is not a busy POS). */
    synchronized Answer purchase(String pan, String expiryYymm, String cvv2, String pin, long amount) throws IOException {
        Card card = Card.ofPan(pan).withExpiry(expiryYymm).withCvv2(cvv2).withPinBlock(PinBlocks.encryptedIso0(pan, pin, zpkHex));
        ISOMsg request = messages.purchase(card, amount);
        try (IsoClient client = IsoClient.connect(host, port, timeout)) {
            ISOMsg response = client.exchange(request);
            return new Answer(response.getString(39), response.getString(38));
        } catch (SocketTimeoutException e) {
            reverse(card, amount, request);
            throw e;
        } catch (ISOException e) {
            throw new IOException("ISO 8583: " + e.getMessage(), e);
        }
    }

    /** Best effort: the host may have debited the card before its answer was lost. */
    private void reverse(Card card, long amount, ISOMsg original) {
        try (IsoClient client = IsoClient.connect(host, port, timeout)) {
            client.exchange(messages.reversal(card.withoutSecrets(), ProcessingCode.PURCHASE, amount, OriginalData.of(original)));
        } catch (IOException | ISOException | RuntimeException e) {
            Shop.LOG.warn("demo shop: reversal of an unanswered purchase not sent: {}", e.getClass().getSimpleName());
        }
    }
}
