// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.participant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.Optional;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.authz.Journal;
import org.anonpay.authz.JournalEntry;
import org.anonpay.authz.MessageKey;
import org.anonpay.authz.TransactionType;
import org.anonpay.authz.participant.AuthorizationStep;
import org.anonpay.gateway.payment.Payment;
import org.anonpay.gateway.purchase.Purchase;
import org.anonpay.gateway.purchase.PurchaseMatching;
import org.anonpay.gateway.purchase.PurchaseMatching.ApprovalRequest;
import org.anonpay.gateway.purchase.Purchases;
import org.anonpay.iso.AdditionalData;
import org.hibernate.Session;
import org.jpos.iso.ISOMsg;
import org.jpos.transaction.Context;

/**
 * Purchase matching (MISSION.md b7): a partner mall's wallet payment is passed on to the issuer
 * participants only if it agrees with the purchase the member confirmed in the wallet (b5). The
 * purchase row is locked for the rest of the transaction, so it is paid at most once; on a match
 * the purchase's card is named for FindCard ({@link Ctx#CARD_ID}). A refund of a wallet payment
 * names its paid purchase the same way. A refund of a card (auto-fill, Flow C) payment carries no
 * card either: tag 93 names the mall API's payment ({@code pay_…}) instead, and the card is the one
 * the payment's own message was journaled with. Messages that carry a card (VAN, POS, auto-fill)
 * are not wallet payments and pass untouched.
 */
public final class MatchPurchase extends AuthorizationStep {

    /** The matched, locked {@link Purchase}: {@link MarkPurchasePaid} marks it paid on approval. */
    public static final String PURCHASE = "WALLET_PURCHASE";

    /** The time to live is the wallet's; matching only reads purchases, so any value does here. */
    private final Purchases purchases = new Purchases(Duration.ofMinutes(15));

    public MatchPurchase() {
        super(types(TransactionType.AUTHORIZATION, TransactionType.PURCHASE, TransactionType.REFUND));
    }

    @Override
    protected void decide(Context ctx) {
        ISOMsg m = ctx.get(Ctx.REQUEST);
        Optional<AdditionalData> data = AdditionalData.parse(m.getString(48));
        Optional<String> reference = data.flatMap(d -> d.get(AdditionalData.TAG_PURCHASE_REF));
        if (ctx.hasKey(Ctx.PAN) || reference.isEmpty()) return;
        Session session = ctx.get(Ctx.DB_SESSION);
        if (ctx.get(Ctx.TYPE) == TransactionType.REFUND && reference.get().startsWith(Payment.ID_PREFIX)) {
            cardPaymentRefund(ctx, m, session, reference.get());
            return;
        }
        Purchase stored = session.doReturningWork(c -> purchases.lock(c, reference.get())).orElse(null);
        if (ctx.get(Ctx.TYPE) == TransactionType.REFUND) {
            refundOf(ctx, m, stored);
            return;
        }
        PurchaseMatching.Result result = PurchaseMatching.match(stored, approvalRequest(ctx, m, data.get(), reference.get()), Instant.now());
        if (result != PurchaseMatching.Result.MATCHED) {
            decline(ctx, declineOf(result));
            return;
        }
        ctx.put(PURCHASE, stored);
        ctx.put(Ctx.CARD_ID, stored.cardId());
    }

    /**
     * A refund names the paid purchase it gives money back for: only the mall that was paid may,
     * and the money goes back to the card that paid. How much may be refunded is the mall API's
     * bookkeeping (refunded never above captured), kept under the payment's row lock.
     */
    private static void refundOf(Context ctx, ISOMsg m, Purchase paid) {
        String mallId = m.getString(42) == null ? "" : m.getString(42).strip();
        if (paid == null || paid.state() != Purchase.State.PAID) decline(ctx, Decline.PURCHASE_UNKNOWN);
        else if (!paid.mallId().equals(mallId)) decline(ctx, Decline.PURCHASE_MALL_MISMATCH);
        else ctx.put(Ctx.CARD_ID, paid.cardId());
    }

    /**
     * A refund of a card payment of the mall API: the payment must be this mall's, and its message
     * approved; the money goes back to the card that message was journaled with. How much may be
     * refunded is, as for wallet payments, the mall API's bookkeeping under the payment's row lock.
     */
    private static void cardPaymentRefund(Context ctx, ISOMsg m, Session session, String paymentId) {
        String mallId = m.getString(42) == null ? "" : m.getString(42).strip();
        Optional<MessageKey> paymentKey = session.doReturningWork(c -> paymentKey(c, paymentId, mallId));
        if (paymentKey.isEmpty()) {
            decline(ctx, Decline.ORIGINAL_NOT_FOUND);
            return;
        }
        Optional<JournalEntry> original = Journal.find(session, paymentKey.get());
        if (original.isEmpty() || !original.get().approved() || original.get().cardId() == null) decline(ctx, Decline.ORIGINAL_NOT_FOUND);
        else ctx.put(Ctx.CARD_ID, original.get().cardId());
    }

    /** The message key of this mall's card payment, empty for an unknown payment, another mall's or a wallet payment. */
    private static Optional<MessageKey> paymentKey(Connection c, String paymentId, String mallId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT iso_acquirer, iso_terminal, iso_stan, iso_time, iso_mti FROM mall_payment "
                + "WHERE payment_id = ? AND mall_id = ? AND purchase_ref IS NULL")) {
            ps.setString(1, paymentId);
            ps.setString(2, mallId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new MessageKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), MessageKey.mtiClass(rs.getString(5))));
            }
        }
    }

    private static ApprovalRequest approvalRequest(Context ctx, ISOMsg m, AdditionalData data, String reference) {
        Currency currency = ctx.get(Ctx.CURRENCY);
        String mallId = m.getString(42) == null ? "" : m.getString(42).strip();
        return new ApprovalRequest(reference, mallId, data.get(AdditionalData.TAG_CUSTOMER_REF).orElse(""),
                data.get(AdditionalData.TAG_ORDER_ID).orElse(""), data.get(AdditionalData.TAG_GOODS_DIGEST).orElse(""),
                ctx.<Long>get(Ctx.AMOUNT), currency == null ? "" : currency.getCurrencyCode());
    }

    static Decline declineOf(PurchaseMatching.Result result) {
        return switch (result) {
            case MATCHED -> throw new IllegalArgumentException("a match is not a decline");
            case UNKNOWN_PURCHASE -> Decline.PURCHASE_UNKNOWN;
            case MALL_MISMATCH -> Decline.PURCHASE_MALL_MISMATCH;
            case CUSTOMER_MISMATCH -> Decline.PURCHASE_CUSTOMER_MISMATCH;
            case ORDER_MISMATCH -> Decline.PURCHASE_ORDER_MISMATCH;
            case CURRENCY_MISMATCH -> Decline.PURCHASE_CURRENCY_MISMATCH;
            case GOODS_MISMATCH -> Decline.PURCHASE_GOODS_MISMATCH;
            case TOTAL_MISMATCH -> Decline.PURCHASE_TOTAL_MISMATCH;
            case PURCHASE_EXPIRED -> Decline.PURCHASE_EXPIRED;
            case ALREADY_PAID -> Decline.PURCHASE_ALREADY_PAID;
        };
    }
}
