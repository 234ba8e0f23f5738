// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Currency;
import java.util.Optional;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.authz.MessageKey;
import org.anonpay.authz.SensitivePan;
import org.anonpay.authz.TransactionType;
import org.anonpay.iso.IsoMessages;
import org.anonpay.iso.OriginalData;
import org.jpos.core.Configurable;
import org.jpos.core.Configuration;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.transaction.Context;
import org.jpos.transaction.TransactionParticipant;

/**
 * First participant: tells what the message asks for (its {@link TransactionType}) and checks
 * that the fields it needs are present and well formed. A malformed message is declined with
 * FORMAT_ERROR (30) and, having no trustworthy key, is neither journaled nor allowed to move money.
 *
 * <pre>
 *   property business-time-zone   zone of the business date (default Asia/Seoul)
 * </pre>
 */
public final class CheckMessage implements TransactionParticipant, Configurable {

    public static final String BUSINESS_DATE = "BUSINESS_DATE";
    private ZoneId businessZone = ZoneId.of("Asia/Seoul");

    @Override
    public void setConfiguration(Configuration cfg) {
        businessZone = ZoneId.of(cfg.get("business-time-zone", "Asia/Seoul"));
    }

    @Override
    public int prepare(long id, Serializable serializable) {
        Context ctx = (Context) serializable;
        ISOMsg m = ctx.get(Ctx.REQUEST);
        ctx.put(BUSINESS_DATE, LocalDate.now(businessZone));
        try {
            check(ctx, m);
        } catch (ISOException | RuntimeException e) {
            AuthorizationStep.reportFailure(ctx, e);
            AuthorizationStep.decline(ctx, Decline.FORMAT_ERROR);
        }
        return PREPARED | NO_JOIN | READONLY;
    }

    private void check(Context ctx, ISOMsg m) throws ISOException {
        if (IsoMessages.isMalformed(m) || m.getMTI() == null || !m.getMTI().matches("\\d{4}")) {
            AuthorizationStep.decline(ctx, Decline.FORMAT_ERROR);
            return;
        }
        Optional<TransactionType> type = classify(m);
        if (type.isEmpty()) {
            AuthorizationStep.decline(ctx, unknownReason(m));
            return;
        }
        ctx.put(Ctx.TYPE, type.get());
        if (type.get() == TransactionType.NETWORK_MANAGEMENT) {
            checkNetworkManagement(ctx, m);
            return;
        }
        Optional<Decline> malformed = checkFinancialFields(m, type.get());
        if (malformed.isPresent()) {
            AuthorizationStep.decline(ctx, malformed.get());
            return;
        }
        putFinancialFields(ctx, m, type.get());
    }

    /** MTI and processing code → type; empty when the host does not take the message. */
    static Optional<TransactionType> classify(ISOMsg m) throws ISOException {
        String mti = m.getMTI();
        String pc = m.hasField(3) ? m.getString(3) : "";
        String action = pc.length() >= 2 ? pc.substring(0, 2) : "";
        return switch (mti) {
            case "0800" -> Optional.of(TransactionType.NETWORK_MANAGEMENT);
            case "0100", "0101" -> switch (action) {
                case "00", "01" -> Optional.of(TransactionType.AUTHORIZATION);
                case "31" -> Optional.of(TransactionType.BALANCE_INQUIRY);
                default -> Optional.empty();
            };
            case "0120", "0121" -> action.equals("00") ? Optional.of(TransactionType.AUTHORIZATION_ADVICE) : Optional.empty();
            case "0200", "0201" -> switch (action) {
                case "00", "01" -> Optional.of(TransactionType.PURCHASE);
                case "20" -> Optional.of(TransactionType.REFUND);
                case "21" -> Optional.of(TransactionType.LOAD);
                case "31" -> Optional.of(TransactionType.BALANCE_INQUIRY);
                default -> Optional.empty();
            };
            case "0220", "0221" -> Optional.of(TransactionType.COMPLETION);
            case "0400", "0401", "0420", "0421" -> Optional.of(TransactionType.REVERSAL);
            default -> Optional.empty();
        };
    }

    private static Decline unknownReason(ISOMsg m) throws ISOException {
        boolean knownMti = switch (m.getMTI()) {
            case "0100", "0101", "0120", "0121", "0200", "0201" -> true;
            default -> false;
        };
        return knownMti ? Decline.UNSUPPORTED_PROCESSING_CODE : Decline.UNKNOWN_MESSAGE_TYPE;
    }

    private static void checkNetworkManagement(Context ctx, ISOMsg m) {
        String code = m.getString(70);
        boolean known = "001".equals(code) || "002".equals(code) || "301".equals(code);
        if (!numeric(m, 11, 6, 6) || !numeric(m, 7, 10, 10)) AuthorizationStep.decline(ctx, Decline.FORMAT_ERROR);
        else if (!known) AuthorizationStep.decline(ctx, Decline.UNKNOWN_MESSAGE_TYPE);
    }

    private static Optional<Decline> checkFinancialFields(ISOMsg m, TransactionType type) {
        boolean ok = numeric(m, 3, 6, 6) && numeric(m, 4, 12, 12) && numeric(m, 7, 10, 10)
                && numeric(m, 11, 6, 6) && numeric(m, 32, 1, 11) && present(m, 41);
        if (needsCard(type)) ok &= (pan(m).isPresent() || walletPayment(m, type)) && numeric(m, 49, 3, 3) && currency(m.getString(49)).isPresent();
        if (needsMerchant(type)) ok &= present(m, 42);
        if (m.hasField(14)) ok &= numeric(m, 14, 4, 4);
        if (type.refersToOriginal()) ok &= m.hasField(90) && OriginalData.parse(m.getString(90)).isPresent();
        if (!ok) return Optional.of(Decline.FORMAT_ERROR);
        long amount = Long.parseLong(m.getString(4));
        boolean amountRequired = type == TransactionType.PURCHASE || type == TransactionType.REFUND || type == TransactionType.LOAD;
        if (amountRequired && amount == 0) return Optional.of(Decline.INVALID_AMOUNT);
        return Optional.empty();
    }

    private void putFinancialFields(Context ctx, ISOMsg m, TransactionType type) throws ISOException {
        ctx.put(Ctx.MESSAGE_KEY, new MessageKey(m.getString(32), m.getString(41), m.getString(11), m.getString(7),
                MessageKey.mtiClass(m.getMTI())));
        ctx.put(Ctx.AMOUNT, Long.parseLong(m.getString(4)));
        if (m.hasField(49)) currency(m.getString(49)).ifPresent(c -> ctx.put(Ctx.CURRENCY, c));
        pan(m).ifPresent(pan -> ctx.put(Ctx.PAN, new SensitivePan(pan)));
        if (type.refersToOriginal()) {
            OriginalData original = OriginalData.parse(m.getString(90)).orElseThrow();
            ctx.put(Ctx.ORIGINAL_KEY, new MessageKey(original.acquirerId(), m.getString(41), original.stan(),
                    original.transmissionTime(), MessageKey.mtiClass(original.mti())));
        }
    }

    private static boolean needsCard(TransactionType type) {
        return type.presentsCard() || type == TransactionType.AUTHORIZATION_ADVICE;
    }

    private static boolean needsMerchant(TransactionType type) {
        return needsCard(type) && type != TransactionType.BALANCE_INQUIRY;
    }

    /**
     * A partner mall's wallet payment (MISSION.md b6): a purchase or authorization with no card
     * data that names, in field 48 tag 93, the purchase the member confirmed in the wallet; or a
     * refund of such a payment, naming the paid purchase the same way.
     */
    static boolean walletPayment(ISOMsg m, TransactionType type) {
        boolean walletType = type.spends() || type == TransactionType.REFUND;
        if (!walletType || m.hasField(2) || m.hasField(35)) return false;
        return org.anonpay.iso.AdditionalData.parse(m.getString(48)).flatMap(d -> d.get(org.anonpay.iso.AdditionalData.TAG_PURCHASE_REF)).isPresent();
    }

    /** The PAN from field 2, or from track 2 (field 35) when field 2 is absent. */
    static Optional<String> pan(ISOMsg m) {
        String pan = m.hasField(2) ? m.getString(2) : track2Pan(m.getString(35));
        return pan != null && pan.matches("\\d{12,19}") ? Optional.of(pan) : Optional.empty();
    }

    private static String track2Pan(String track2) {
        if (track2 == null) return null;
        int separator = track2.indexOf('=') >= 0 ? track2.indexOf('=') : track2.indexOf('D');
        return separator > 0 ? track2.substring(0, separator) : null;
    }

    static Optional<Currency> currency(String numericCode) {
        if (numericCode == null || !numericCode.matches("\\d{3}")) return Optional.empty();
        return Optional.ofNullable(CURRENCIES_BY_NUMERIC_CODE.get(Integer.parseInt(numericCode)));
    }

    /** ISO 4217 by numeric code (field 49), built once: this runs for every message. */
    private static final java.util.Map<Integer, Currency> CURRENCIES_BY_NUMERIC_CODE = Currency.getAvailableCurrencies().stream()
            .filter(c -> c.getNumericCode() > 0)
            .collect(java.util.stream.Collectors.toUnmodifiableMap(Currency::getNumericCode, c -> c, (a, b) -> a));

    private static boolean present(ISOMsg m, int field) {
        String v = m.getString(field);
        return v != null && !v.isBlank();
    }

    private static boolean numeric(ISOMsg m, int field, int minLength, int maxLength) {
        String v = m.getString(field);
        return v != null && v.length() >= minLength && v.length() <= maxLength && v.chars().allMatch(Character::isDigit);
    }
}
