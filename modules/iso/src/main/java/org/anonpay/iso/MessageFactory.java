// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.jpos.iso.ISOMsg;

/**
 * Builds well-formed requests of every type the anonpay host takes, as one terminal
 * ({@link Terminal}) would send them. Every request carries 7 (UTC now), 11 (next STAN), 12/13 (local
 * time in the terminal's zone), 32, 37 (derived from 7 and 11, so a repeat keeps it), 41 and 42;
 * card requests add 3, 4, 18, 22, 25, 43, 49 and the card's 2/14/48 (CVV2)/52 when present.
 * Field list per MTI: docs/iso8583.md.
 */
public final class MessageFactory {
    private static final DateTimeFormatter TRANSMISSION_TIME = DateTimeFormatter.ofPattern("MMddHHmmss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("HHmmss");
    private static final DateTimeFormatter LOCAL_DATE = DateTimeFormatter.ofPattern("MMdd");
    private static final long MAX_AMOUNT_MINOR = 999_999_999_999L;
    private static final String ENTRY_MANUAL_WITH_PIN = "011";
    private static final String ENTRY_MANUAL_NO_PIN = "012";
    private static final String ENTRY_ECOMMERCE = "812";
    private static final String CONDITION_NORMAL = "00";
    private static final String CONDITION_ECOMMERCE = "59";
    /** Field 60: ECI 07, e-commerce without cardholder authentication. */
    private static final String ECI_NON_AUTHENTICATED = "07";

    private final Terminal terminal;
    private final StanCounter stans;
    private final Clock clock;

    public MessageFactory(Terminal terminal, StanCounter stans, Clock clock) {
        this.terminal = terminal;
        this.stans = stans;
        this.clock = clock;
    }

    /** STANs from 000001, the system clock. */
    public MessageFactory(Terminal terminal) {
        this(terminal, new StanCounter(1), Clock.systemUTC());
    }

    public Terminal terminal() {
        return terminal;
    }

    /** 0800, 70=301: link test; the host answers 0810 with 39=00. */
    public ISOMsg echo() {
        return networkManagement(NetworkCode.ECHO);
    }

    /** 0800, 70=001. */
    public ISOMsg signOn() {
        return networkManagement(NetworkCode.SIGN_ON);
    }

    /** 0100 authorization (hold, no debit); completed later by {@link #completion}. */
    public ISOMsg authorization(Card card, long amountMinor) {
        return cardRequest(Mti.AUTHORIZATION, ProcessingCode.PURCHASE, card, amountMinor);
    }

    /** 0120 authorization advice: the acquirer already decided (stand-in); the host records it. */
    public ISOMsg authorizationAdvice(Card card, long amountMinor) {
        return cardRequest(Mti.AUTHORIZATION_ADVICE, ProcessingCode.PURCHASE, card, amountMinor);
    }

    /** 0200, 3=000000. */
    public ISOMsg purchase(Card card, long amountMinor) {
        return cardRequest(Mti.FINANCIAL, ProcessingCode.PURCHASE, card, amountMinor);
    }

    /**
     * A partner mall's wallet payment (MISSION.md Flow B, b6): 0200 (or 0100 to authorize only)
     * without any card data. Field 48 names the purchase the member confirmed in the wallet
     * (tags 93-96); the host finds the card from that purchase after matching it (b7).
     */
    public ISOMsg walletPayment(WalletPayment payment, long amountMinor, boolean authorizeOnly) {
        ISOMsg m = cardlessRequest(authorizeOnly ? Mti.AUTHORIZATION : Mti.FINANCIAL, ProcessingCode.PURCHASE, amountMinor);
        m.set(Field.POS_ENTRY_MODE, ENTRY_ECOMMERCE);
        m.set(Field.ADDITIONAL_DATA, AdditionalData.builder()
                .put(AdditionalData.TAG_PURCHASE_REF, payment.purchaseRef())
                .put(AdditionalData.TAG_CUSTOMER_REF, payment.customerRef())
                .put(AdditionalData.TAG_ORDER_ID, payment.orderId())
                .put(AdditionalData.TAG_GOODS_DIGEST, payment.goodsDigestHex())
                .build().format());
        return m;
    }

    /** 0220 completion of a wallet payment's authorization: no card data, the original (90) names the card. */
    public ISOMsg walletCompletion(long amountMinor, OriginalData authorization) {
        ISOMsg m = cardlessRequest(Mti.FINANCIAL_ADVICE, ProcessingCode.PURCHASE, amountMinor);
        m.set(Field.POS_ENTRY_MODE, ENTRY_ECOMMERCE);
        m.set(Field.ORIGINAL_DATA, authorization.format());
        return m;
    }

    /** 0400 reversal of a wallet payment (3 and 4 as in the original): no card data, 90 names the original. */
    public ISOMsg walletReversal(String processingCode, long originalAmountMinor, OriginalData original) {
        if (!ProcessingCode.isValid(processingCode)) {
            throw new IllegalArgumentException("processing code must be 6 digits");
        }
        ISOMsg m = cardlessRequest(Mti.REVERSAL, processingCode, originalAmountMinor);
        m.set(Field.POS_ENTRY_MODE, ENTRY_ECOMMERCE);
        m.set(Field.ORIGINAL_DATA, original.format());
        return m;
    }

    /** 0200, 3=200000: a refund of a paid wallet purchase, named in field 48 tag 93; no card data. */
    public ISOMsg walletRefund(String purchaseRef, long amountMinor) {
        ISOMsg m = cardlessRequest(Mti.FINANCIAL, ProcessingCode.REFUND, amountMinor);
        m.set(Field.POS_ENTRY_MODE, ENTRY_ECOMMERCE);
        m.set(Field.ADDITIONAL_DATA, AdditionalData.builder().put(AdditionalData.TAG_PURCHASE_REF, purchaseRef).build().format());
        return m;
    }

    /** 0200 processing code 21: a load (top-up) of the prepaid card, e.g. cash at an ops desk. */
    public ISOMsg load(Card card, long amountMinor) {
        return cardRequest(Mti.FINANCIAL, ProcessingCode.LOAD, card, amountMinor);
    }

    /** 0200, 3=200000: money back to the card. */
    public ISOMsg refund(Card card, long amountMinor) {
        return cardRequest(Mti.FINANCIAL, ProcessingCode.REFUND, card, amountMinor);
    }

    /** 0200, 3=310000, 4=0: the answer carries the balances in field 54. */
    public ISOMsg balanceInquiry(Card card) {
        return cardRequest(Mti.FINANCIAL, ProcessingCode.BALANCE_INQUIRY, card, 0);
    }

    /** 0220 completion of an earlier 0100: 4 = the final amount, 90 = the authorization's original data. */
    public ISOMsg completion(Card card, long amountMinor, OriginalData authorization) {
        ISOMsg m = cardRequest(Mti.FINANCIAL_ADVICE, ProcessingCode.PURCHASE, card.withoutSecrets(), amountMinor);
        m.set(Field.ORIGINAL_DATA, authorization.format());
        return m;
    }

    /** 0400 reversal: 3 and 4 as in the original, 90 = the original's data. */
    public ISOMsg reversal(Card card, String processingCode, long originalAmountMinor, OriginalData original) {
        return reversalMessage(Mti.REVERSAL, card, processingCode, originalAmountMinor, original);
    }

    /** 0420 reversal advice (the acquirer reverses on its own, e.g. after a timeout); matched like 0400. */
    public ISOMsg reversalAdvice(Card card, String processingCode, long originalAmountMinor, OriginalData original) {
        return reversalMessage(Mti.REVERSAL_ADVICE, card, processingCode, originalAmountMinor, original);
    }

    /** The repeat of {@code request}: same fields (7 and 11 included), MTI ending in 1 (0200 → 0201). */
    public static ISOMsg repeatOf(ISOMsg request) {
        ISOMsg repeat = (ISOMsg) request.clone();
        repeat.set(Field.MTI, Mti.repeatOf(request.getString(Field.MTI)));
        return repeat;
    }

    private ISOMsg reversalMessage(String mti, Card card, String processingCode, long amountMinor, OriginalData original) {
        if (!ProcessingCode.isValid(processingCode)) {
            throw new IllegalArgumentException("processing code must be 6 digits");
        }
        ISOMsg m = cardRequest(mti, processingCode, card.withoutSecrets(), amountMinor);
        m.set(Field.ORIGINAL_DATA, original.format());
        return m;
    }

    private ISOMsg networkManagement(String networkCode) {
        ISOMsg m = traced(Mti.NETWORK);
        m.set(Field.NETWORK_MANAGEMENT_CODE, networkCode);
        return m;
    }

    private ISOMsg cardRequest(String mti, String processingCode, Card card, long amountMinor) {
        ISOMsg m = cardlessRequest(mti, processingCode, amountMinor);
        m.set(Field.POS_ENTRY_MODE, entryMode(card));
        putCard(m, card);
        return m;
    }

    /** A request's fields but the card's: who, when, what amount, where. */
    private ISOMsg cardlessRequest(String mti, String processingCode, long amountMinor) {
        if (amountMinor < 0 || amountMinor > MAX_AMOUNT_MINOR) {
            throw new IllegalArgumentException("amount must be 0 to 999999999999 minor units");
        }
        ISOMsg m = traced(mti);
        m.set(Field.PROCESSING_CODE, processingCode);
        m.set(Field.AMOUNT, String.format("%012d", amountMinor));
        m.set(Field.MCC, terminal.mcc());
        m.set(Field.POS_CONDITION, terminal.ecommerce() ? CONDITION_ECOMMERCE : CONDITION_NORMAL);
        m.set(Field.MERCHANT_NAME_LOCATION, terminal.merchantName());
        m.set(Field.CURRENCY, terminal.currency());
        if (terminal.ecommerce()) {
            m.set(Field.PRIVATE_60, ECI_NON_AUTHENTICATED);
        }
        return m;
    }

    /** Fields every request carries: who sent it and when. */
    private ISOMsg traced(String mti) {
        Instant now = clock.instant();
        String transmissionTime = TRANSMISSION_TIME.format(now);
        String stan = stans.next();
        ISOMsg m = new ISOMsg(mti);
        m.set(Field.TRANSMISSION_TIME, transmissionTime);
        m.set(Field.STAN, stan);
        m.set(Field.LOCAL_TIME, LOCAL_TIME.format(now.atZone(terminal.zone())));
        m.set(Field.LOCAL_DATE, LOCAL_DATE.format(now.atZone(terminal.zone())));
        m.set(Field.ACQUIRER_ID, terminal.acquirerId());
        m.set(Field.RRN, transmissionTime.substring(0, 6) + stan);
        m.set(Field.TERMINAL_ID, terminal.terminalId());
        m.set(Field.MERCHANT_ID, terminal.merchantId());
        return m;
    }

    private static void putCard(ISOMsg m, Card card) {
        m.set(Field.PAN, card.pan());
        if (card.expiry() != null) {
            m.set(Field.EXPIRY, card.expiry());
        }
        if (card.cvv2() != null) {
            m.set(Field.ADDITIONAL_DATA, AdditionalData.builder().cvv2(card.cvv2()).build().format());
        }
        if (card.pinBlock() != null) {
            m.set(Field.PIN_BLOCK, card.pinBlock());
        }
    }

    private String entryMode(Card card) {
        if (terminal.ecommerce()) {
            return ENTRY_ECOMMERCE;
        }
        return card.pinBlock() != null ? ENTRY_MANUAL_WITH_PIN : ENTRY_MANUAL_NO_PIN;
    }
}
