// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.extissuer;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;

import org.anonpay.iso.Card;
import org.anonpay.iso.Field;
import org.anonpay.iso.IsoMessages;
import org.anonpay.iso.MessageFactory;
import org.anonpay.iso.OriginalData;
import org.anonpay.iso.StanCounter;
import org.anonpay.iso.Terminal;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.MUX;
import org.jpos.q2.iso.QMUX;
import org.jpos.util.NameRegistrar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * anonpay as an acquirer towards other card issuers (MISSION.md flow A, step a7), over the jPOS MUX of
 * deploy/66_external_issuer_link.xml:
 * <ul>
 *   <li>{@link #verifyOwnership}: a zero-amount account verification (0100, processing code 00, amount 0,
 *       expiry in 14, CVV2 in 48 tag 92) before another issuer's credit card goes into a wallet;</li>
 *   <li>{@link #charge}: a purchase (0200) on that card to top up a prepaid card. An unanswered charge is
 *       reversed (0400, repeated as 0401 with growing pauses until a 0410 with 00, within a bound), since
 *       the issuer may have booked it without the answer reaching us.</li>
 * </ul>
 * Thread-safe. Logs only masked card data ({@link IsoMessages#describe}).
 */
public final class ExternalIssuerClient {
    public static final String DEFAULT_MUX = "external-issuer";
    private static final Logger LOG = LoggerFactory.getLogger("anonpay.extissuer");
    private static final String APPROVED = "00";
    private static final String PURCHASE = "000000";
    private static final String REVERSAL_ID_SUFFIX = "/reversal";

    private final MUX mux;
    private final ExternalIssuerSettings settings;
    private final MessageFactory verifications;

    public ExternalIssuerClient(MUX mux, ExternalIssuerSettings settings) {
        assert mux != null && settings != null;
        this.mux = mux;
        this.settings = settings;
        // a random first STAN, so verifications after a restart do not reuse the keys of the last run
        this.verifications = new MessageFactory(settings.gateway(), new StanCounter(1 + new SecureRandom().nextInt(999_999)),
                Clock.systemUTC());
    }

    /** The client over the QMUX deployed as {@code muxName} (e.g. {@value #DEFAULT_MUX}). */
    public static ExternalIssuerClient fromRegistry(String muxName, ExternalIssuerSettings settings)
            throws NameRegistrar.NotFoundException {
        return new ExternalIssuerClient(QMUX.getMUX(muxName), settings);
    }

    /** Asks the card's issuer whether the card with this expiry (YYMM) and CVV2 is theirs. */
    public VerificationResult verifyOwnership(String pan, String expiryYymm, String cvv2) {
        Card card = new Card(pan, requireExpiry(expiryYymm), requireCvv2(cvv2), null);
        ISOMsg request = verifications.authorization(card, 0);
        Optional<ISOMsg> response = exchange(request, settings.requestTimeout()).answer();
        if (response.isEmpty()) {
            return VerificationResult.ISSUER_UNAVAILABLE;
        }
        VerificationResult result = VerificationResult.of(response.get().getString(Field.RESPONSE_CODE));
        LOG.info("ownership verification of {}: {} ({})", IsoMessages.maskPan(pan), result, response.get().getString(Field.RESPONSE_CODE));
        return result;
    }

    /**
     * Charges {@code amountMinor} (minor units of ISO 4217 numeric {@code currencyNumeric}) to the card.
     * {@code chargeId} names this top-up: the same id always gives the same message key, so calling again
     * with it after an unclear outcome is a repeat the issuer does not charge twice. Load the prepaid card
     * only when the result is {@link ChargeResult.Status#APPROVED}. After a TIMED_OUT_* result the id is
     * spent (its charge was reversed): try again under a new id.
     */
    public ChargeResult charge(String pan, String expiryYymm, long amountMinor, String currencyNumeric, String chargeId) {
        ISOMsg request = chargeMessage(pan, expiryYymm, amountMinor, currencyNumeric, chargeId);
        Exchange exchange = exchange(request, settings.requestTimeout());
        if (!exchange.sent()) {
            return ChargeResult.of(ChargeResult.Status.ISSUER_UNAVAILABLE); // nothing went out, so nothing to undo
        }
        Optional<ISOMsg> response = exchange.answer();
        Optional<String> code = response.map(r -> r.getString(Field.RESPONSE_CODE)).filter(c -> c != null && c.length() == 2);
        if (code.isEmpty()) {
            LOG.warn("charge {} on {}: no usable answer, reversing", chargeId, IsoMessages.maskPan(pan));
            return reverseCharge(pan, expiryYymm, amountMinor, currencyNumeric, chargeId) == ReversalResult.ACKNOWLEDGED
                    ? ChargeResult.of(ChargeResult.Status.TIMED_OUT_REVERSED)
                    : ChargeResult.of(ChargeResult.Status.TIMED_OUT_REVERSAL_PENDING);
        }
        LOG.info("charge {} on {}: {}", chargeId, IsoMessages.maskPan(pan), code.get());
        return APPROVED.equals(code.get()) ? ChargeResult.approved(response.get().getString(Field.APPROVAL_CODE))
                : ChargeResult.declined(code.get());
    }

    /**
     * Reverses the charge {@link #charge} sent with these arguments: a 0400 naming it in field 90, then
     * 0401 repeats after pauses of first-backoff, doubled up to max-backoff, until a 0410 with 00 arrives
     * or give-up-after has passed. Safe to call again (also for a charge the issuer never saw): an issuer
     * undoes a charge once and acknowledges reversals of unknown ones.
     */
    public ReversalResult reverseCharge(String pan, String expiryYymm, long amountMinor, String currencyNumeric, String chargeId) {
        ISOMsg original = chargeMessage(pan, expiryYymm, amountMinor, currencyNumeric, chargeId);
        ISOMsg reversal = keyedFactory(currencyNumeric, chargeId + REVERSAL_ID_SUFFIX)
                .reversal(new Card(pan, expiryYymm, null, null), PURCHASE, amountMinor, OriginalData.of(original));
        long giveUpAt = System.nanoTime() + settings.reversalGiveUpAfter().toNanos();
        Duration pause = settings.reversalFirstBackoff();
        for (int attempt = 1; ; attempt++) {
            ISOMsg message = attempt == 1 ? reversal : MessageFactory.repeatOf(reversal);
            if (acknowledged(exchange(message, settings.reversalAttemptTimeout()))) {
                LOG.info("charge {} reversed after {} reversal message(s)", chargeId, attempt);
                return ReversalResult.ACKNOWLEDGED;
            }
            if (System.nanoTime() + pause.toNanos() >= giveUpAt) {
                LOG.error("charge {} on {}: reversal not acknowledged after {} message(s); it must be cleared later",
                        chargeId, IsoMessages.maskPan(pan), attempt);
                return ReversalResult.PENDING;
            }
            if (!pause(pause)) {
                LOG.error("charge {} on {}: interrupted while reversing; it must be cleared later", chargeId, IsoMessages.maskPan(pan));
                return ReversalResult.PENDING;
            }
            pause = min(pause.multipliedBy(2), settings.reversalMaxBackoff());
        }
    }

    private ISOMsg chargeMessage(String pan, String expiryYymm, long amountMinor, String currencyNumeric, String chargeId) {
        if (amountMinor <= 0) {
            throw new IllegalArgumentException("a charge is of a positive amount");
        }
        return keyedFactory(currencyNumeric, chargeId).purchase(new Card(pan, requireExpiry(expiryYymm), null, null), amountMinor);
    }

    /** A factory whose one message gets the STAN and transmission time derived from {@code id} (see {@link ChargeKey}). */
    private MessageFactory keyedFactory(String currencyNumeric, String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a charge id is required: it makes retries recognisable");
        }
        ChargeKey key = ChargeKey.of(id);
        Terminal gateway = settings.gateway().withCurrency(currencyNumeric);
        return new MessageFactory(gateway, new StanCounter(key.stan()), Clock.fixed(key.transmissionTime(), ZoneOffset.UTC));
    }

    /** What became of one request: answered, sent but unanswered in time, or never sent. */
    private record Exchange(ISOMsg response, boolean sent) {
        static final Exchange NOT_SENT = new Exchange(null, false);
        static final Exchange UNANSWERED = new Exchange(null, true);

        Optional<ISOMsg> answer() {
            return Optional.ofNullable(response);
        }
    }

    /**
     * Sends {@code request} through the MUX. Not sent: the link is down (nothing is queued) or the MUX
     * refuses it before queuing (e.g. a request with the same key is still in flight). Telling that apart
     * from a timeout matters for charges: only a charge that may have reached the issuer is reversed.
     */
    private Exchange exchange(ISOMsg request, Duration timeout) {
        if (!mux.isConnected()) {
            LOG.warn("external issuer link down; not sent: {}", IsoMessages.describe(request));
            return Exchange.NOT_SENT;
        }
        try {
            ISOMsg response = mux.request(request, timeout.toMillis());
            if (response == null) {
                LOG.warn("no answer within {} ms to: {}", timeout.toMillis(), IsoMessages.describe(request));
                return Exchange.UNANSWERED;
            }
            return new Exchange(response, true);
        } catch (ISOException e) {
            LOG.warn("external issuer MUX refused the request ({}): {}", e.getMessage(), IsoMessages.describe(request));
            return Exchange.NOT_SENT;
        }
    }

    private static boolean acknowledged(Exchange exchange) {
        return exchange.answer().map(r -> APPROVED.equals(r.getString(Field.RESPONSE_CODE))).orElse(false);
    }

    private static String requireExpiry(String expiryYymm) {
        if (expiryYymm == null) {
            throw new IllegalArgumentException("the card's expiry (YYMM) is required");
        }
        return expiryYymm;
    }

    private static String requireCvv2(String cvv2) {
        if (cvv2 == null || !cvv2.matches("\\d{3,4}")) {
            throw new IllegalArgumentException("CVV2 must be 3 or 4 digits");
        }
        return cvv2;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** False when interrupted (the flag is kept for the caller): the reversal then ends pending, not lost. */
    private static boolean pause(Duration pause) {
        try {
            Thread.sleep(pause);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
