// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.extissuer;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.anonpay.iso.AdditionalData;
import org.anonpay.iso.Field;
import org.anonpay.iso.IsoMessages;
import org.anonpay.iso.Mti;
import org.anonpay.iso.OriginalData;
import org.jpos.iso.ISOMsg;

/**
 * The decision rules of the external-issuer simulator, without any I/O (the jPOS side is
 * {@link ExternalIssuerSimulator}). Rules: modules/extissuer/README.md. Thread-safe: every method is
 * synchronized, as a QServer calls it from one thread per connection.
 */
public final class SimulatedIssuer {
    public static final String APPROVED = "00";
    public static final String INVALID_TRANSACTION = "12";
    public static final String INVALID_AMOUNT = "13";
    public static final String UNKNOWN_CARD = "14";
    public static final String FORMAT_ERROR = "30";
    public static final String INSUFFICIENT_FUNDS = "51";
    public static final String WRONG_EXPIRY = "54";
    /** Visa's "decline for CVV2 failure": says exactly what failed, unlike the generic 05. */
    public static final String WRONG_CVV2 = "N7";
    public static final String DUPLICATE = "94";
    private static final String PURCHASE = "000000";
    /** Fingerprint of the placeholder a reversal leaves for an original not seen yet; matches no message. */
    private static final String REVERSED_BEFORE_SEEN = "reversed before seen";
    /** Amounts ending in these digits are answered late even for cards without a delay. */
    private static final long SLOW_AMOUNT_MODULUS = 1000;
    private static final long SLOW_AMOUNT_SUFFIX = 999;

    /** What to send back, and when; no response means the request is ignored (a dropped reversal). */
    public record Answer(Optional<ISOMsg> response, long delayMs) {
        static Answer now(ISOMsg response) {
            return new Answer(Optional.of(response), 0);
        }

        static Answer none() {
            return new Answer(Optional.empty(), 0);
        }
    }

    /** A 0100/0200 already answered, remembered under its message key for repeats and reversals. */
    private static final class Booked {
        final String fingerprint;
        final String responseCode;
        final String approvalCode;
        final String pan;
        final long chargedMinor;
        boolean reversed;

        Booked(String fingerprint, String responseCode, String approvalCode, String pan, long chargedMinor) {
            this.fingerprint = fingerprint;
            this.responseCode = responseCode;
            this.approvalCode = approvalCode;
            this.pan = pan;
            this.chargedMinor = chargedMinor;
        }
    }

    private record Decision(String responseCode, long chargedMinor) {
    }

    private final Map<String, SimulatedCard> cards;
    private final long slowAmountDelayMs;
    private final Map<String, Booked> booked = new HashMap<>();
    private final Map<String, Long> spent = new HashMap<>();
    private final Map<String, Integer> reversalsSeen = new HashMap<>();
    private int approvals;

    public SimulatedIssuer(Map<String, SimulatedCard> cards, long slowAmountDelayMs) {
        if (slowAmountDelayMs < 0) {
            throw new IllegalArgumentException("delay cannot be negative");
        }
        this.cards = Map.copyOf(cards);
        this.slowAmountDelayMs = slowAmountDelayMs;
    }

    /** The amount charged to {@code pan} and not reversed, in minor units. */
    public synchronized long spentMinor(String pan) {
        return spent.getOrDefault(pan, 0L);
    }

    /** How many reversal messages (0400/0401/0420/0421, dropped ones included) named charges of {@code pan}. */
    public synchronized int reversalsReceived(String pan) {
        return booked.entrySet().stream()
                .filter(e -> e.getValue().pan.equals(pan))
                .mapToInt(e -> reversalsSeen.getOrDefault(e.getKey(), 0))
                .sum();
    }

    public synchronized Answer answer(ISOMsg request) {
        Optional<String> mti = IsoMessages.readableMti(request);
        if (mti.isEmpty() || !Mti.isRequest(mti.get())) {
            return Answer.none(); // nothing a response could be addressed to
        }
        if (IsoMessages.isMalformed(request)) {
            return Answer.now(response(request, FORMAT_ERROR, null));
        }
        return switch (Mti.baseMti(mti.get())) {
            case Mti.NETWORK -> Answer.now(response(request, APPROVED, null));
            case Mti.AUTHORIZATION, Mti.FINANCIAL -> cardRequest(request);
            case Mti.REVERSAL, Mti.REVERSAL_ADVICE -> reversal(request);
            default -> Answer.now(response(request, INVALID_TRANSACTION, null));
        };
    }

    /** 0100 (account verification) and 0200 (charge): answered once per message key, repeats get the same answer. */
    private Answer cardRequest(ISOMsg request) {
        Optional<String> key = messageKey(request);
        if (key.isEmpty() || !request.hasField(Field.PAN) || !request.hasField(Field.AMOUNT)) {
            return Answer.now(response(request, FORMAT_ERROR, null));
        }
        long delay = delayFor(request);
        Booked earlier = booked.get(key.get());
        if (earlier != null) {
            return new Answer(Optional.of(repeatAnswer(request, earlier)), delay);
        }
        Decision decision = Mti.AUTHORIZATION.equals(Mti.baseMti(request.getString(Field.MTI)))
                ? verify(request) : charge(request);
        String approvalCode = APPROVED.equals(decision.responseCode()) ? nextApprovalCode() : null;
        String pan = request.getString(Field.PAN);
        booked.put(key.get(), new Booked(fingerprint(request), decision.responseCode(), approvalCode, pan, decision.chargedMinor()));
        spent.merge(pan, decision.chargedMinor(), Long::sum);
        return new Answer(Optional.of(response(request, decision.responseCode(), approvalCode)), delay);
    }

    /**
     * The first answer again, so a repeat is not charged twice; but a repeat of a charge reversed since is
     * refused (12): repeating the old approval would make the caller load a prepaid card nobody paid for.
     */
    private static ISOMsg repeatAnswer(ISOMsg request, Booked earlier) {
        if (!earlier.fingerprint.equals(fingerprint(request))) {
            return response(request, DUPLICATE, null);
        }
        if (earlier.reversed && earlier.chargedMinor > 0) {
            return response(request, INVALID_TRANSACTION, null);
        }
        return response(request, earlier.responseCode, earlier.approvalCode);
    }

    /** Zero-amount account verification: the card must be ours and expiry and CVV2 must both be sent and match. */
    private Decision verify(ISOMsg request) {
        if (!PURCHASE.equals(request.getString(Field.PROCESSING_CODE)) || amount(request) != 0) {
            return new Decision(INVALID_TRANSACTION, 0); // this issuer takes 0100 only as account verification
        }
        SimulatedCard card = cards.get(request.getString(Field.PAN));
        if (card == null) {
            return new Decision(UNKNOWN_CARD, 0);
        }
        if (!card.expiry().equals(request.getString(Field.EXPIRY))) {
            return new Decision(WRONG_EXPIRY, 0);
        }
        if (!AdditionalData.cvv2(request).filter(card.cvv2()::equals).isPresent()) {
            return new Decision(WRONG_CVV2, 0);
        }
        return new Decision(APPROVED, 0);
    }

    /** A purchase on the credit card: checked like a verification where expiry/CVV2 are sent, then against the limit. */
    private Decision charge(ISOMsg request) {
        if (!PURCHASE.equals(request.getString(Field.PROCESSING_CODE))) {
            return new Decision(INVALID_TRANSACTION, 0);
        }
        long amount = amount(request);
        SimulatedCard card = cards.get(request.getString(Field.PAN));
        if (amount <= 0) {
            return new Decision(INVALID_AMOUNT, 0);
        }
        if (card == null) {
            return new Decision(UNKNOWN_CARD, 0);
        }
        if (request.hasField(Field.EXPIRY) && !card.expiry().equals(request.getString(Field.EXPIRY))) {
            return new Decision(WRONG_EXPIRY, 0);
        }
        Optional<String> cvv2 = AdditionalData.cvv2(request);
        if (cvv2.isPresent() && !cvv2.get().equals(card.cvv2())) {
            return new Decision(WRONG_CVV2, 0);
        }
        if (amount > card.limitMinor() - spentMinor(card.pan())) {
            return new Decision(INSUFFICIENT_FUNDS, 0);
        }
        return new Decision(APPROVED, amount);
    }

    /**
     * Releases what the named original charged, once; always answered 00 (an unknown or already reversed
     * original too) so the acquirer can clear its queue, except the first N messages for a card with
     * {@code drop-reversals=N}, which get no answer at all.
     */
    private Answer reversal(ISOMsg request) {
        Optional<OriginalData> original = OriginalData.from(request);
        if (original.isEmpty() || !request.hasField(Field.TERMINAL_ID)) {
            return Answer.now(response(request, FORMAT_ERROR, null));
        }
        String originalKey = key(original.get().acquirerId(), request.getString(Field.TERMINAL_ID),
                original.get().stan(), original.get().transmissionTime(), original.get().mti());
        int seen = reversalsSeen.merge(originalKey, 1, Integer::sum);
        Booked charge = booked.get(originalKey);
        String pan = charge != null ? charge.pan : request.getString(Field.PAN);
        SimulatedCard card = pan == null ? null : cards.get(pan);
        if (card != null && seen <= card.dropReversals()) {
            return Answer.none();
        }
        if (charge == null) {
            // the reversal overtook its original: remember it, so a late original is refused (94), not charged
            booked.put(originalKey, new Booked(REVERSED_BEFORE_SEEN, DUPLICATE, null, pan == null ? "" : pan, 0));
        } else if (!charge.reversed) {
            charge.reversed = true;
            spent.merge(charge.pan, -charge.chargedMinor, Long::sum);
        }
        return Answer.now(response(request, APPROVED, null));
    }

    private long delayFor(ISOMsg request) {
        SimulatedCard card = cards.get(request.getString(Field.PAN));
        if (card != null && card.delayMs() > 0) {
            return card.delayMs();
        }
        return amount(request) % SLOW_AMOUNT_MODULUS == SLOW_AMOUNT_SUFFIX ? slowAmountDelayMs : 0;
    }

    /** Acquirer (32), terminal (41), STAN (11), transmission time (7), MTI without its repeat digit. */
    private static Optional<String> messageKey(ISOMsg m) {
        String acquirer = m.getString(Field.ACQUIRER_ID);
        if (acquirer == null || !acquirer.matches("\\d{1,11}") || !m.hasField(Field.TERMINAL_ID)
                || !m.hasField(Field.STAN) || !m.hasField(Field.TRANSMISSION_TIME)) {
            return Optional.empty();
        }
        return Optional.of(key(acquirer, m.getString(Field.TERMINAL_ID), m.getString(Field.STAN),
                m.getString(Field.TRANSMISSION_TIME), Mti.baseMti(m.getString(Field.MTI))));
    }

    private static String key(String acquirer, String terminal, String stan, String transmissionTime, String mti) {
        return OriginalData.normalizeInstitution(acquirer) + "/" + terminal.trim() + "/" + stan + "/" + transmissionTime + "/" + mti;
    }

    /** What must be equal for a message reusing a key to be a repeat rather than a different message (94). */
    private static String fingerprint(ISOMsg m) {
        return String.join("|", Mti.baseMti(m.getString(Field.MTI)), m.getString(Field.PROCESSING_CODE),
                m.getString(Field.AMOUNT), Objects.toString(m.getString(Field.CURRENCY)), m.getString(Field.PAN));
    }

    private static long amount(ISOMsg m) {
        String amount = m.getString(Field.AMOUNT);
        return amount == null ? 0 : Long.parseLong(amount);
    }

    private String nextApprovalCode() {
        approvals++;
        return String.format("S%05d", approvals % 100_000);
    }

    /** The request echoed as its response, without the fields a response never carries (card secrets). */
    private static ISOMsg response(ISOMsg request, String responseCode, String approvalCode) {
        ISOMsg r = (ISOMsg) request.clone();
        r.set(Field.MTI, Mti.responseMti(request.getString(Field.MTI)));
        for (int secret : new int[] {Field.EXPIRY, Field.TRACK2, Field.ADDITIONAL_DATA, Field.PIN_BLOCK, Field.SECURITY_CONTROL}) {
            r.unset(secret);
        }
        r.set(Field.RESPONSE_CODE, responseCode);
        if (approvalCode != null) {
            r.set(Field.APPROVAL_CODE, approvalCode);
        }
        return r;
    }
}
