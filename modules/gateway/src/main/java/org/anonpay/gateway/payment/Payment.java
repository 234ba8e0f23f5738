// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.payment;

import java.time.Instant;
import org.anonpay.authz.MessageKey;

/**
 * A payment a mall asked for (table {@code mall_payment}) and what became of it. Immutable: each
 * change is a new value written under the row's lock.
 *
 * @param purchaseRef  the wallet purchase it pays (Flow B); null for a card payment (Flow C)
 * @param maskedCard   a card payment's card, first 6 and last 4 digits (the full number is never stored); null for a wallet payment
 * @param goodsCanonical the goods as {@link org.anonpay.gateway.purchase.Goods#canonical()}
 * @param isoKey       the key of the ISO 8583 message that asked for it (acquirer, terminal, STAN, time)
 * @param isoMti       that message's MTI (0200 purchase, 0100 authorization)
 */
public record Payment(String paymentId, String mallId, String orderId, String customerRef, String purchaseRef, String goodsCanonical,
                      long amount, String currency, CaptureMode captureMode, Status status, String declineReason,
                      String responseCode, String approvalCode, Long cardId, String maskedCard, long capturedAmount,
                      long refundedAmount, MessageKey isoKey, String isoMti, Instant createdAt, Instant updatedAt) {

    public enum CaptureMode { PURCHASE, AUTHORIZE }

    public enum Status {
        /** Sent to the transaction manager; no answer recorded yet (recovery repeats it). */
        PENDING,
        /** A purchase (0200) approved and debited. */
        APPROVED,
        DECLINED,
        /** An authorization (0100) approved: the amount is held until captured or cancelled. */
        AUTHORIZED,
        CAPTURED,
        CANCELLED
    }

    public static final String ID_PREFIX = "pay_";

    /** A card (auto-fill, Flow C) payment rather than a wallet payment. */
    public boolean cardPayment() {
        return purchaseRef == null;
    }

    /** What is left to refund: captured (or, for a purchase, paid) minus refunded. */
    public long refundable() {
        return capturedAmount - refundedAmount;
    }

    Payment decided(Status newStatus, String reason, String code, String approval, Long card, String masked, long captured, Instant now) {
        return new Payment(paymentId, mallId, orderId, customerRef, purchaseRef, goodsCanonical, amount, currency, captureMode, newStatus,
                reason, code, approval, card, masked, captured, refundedAmount, isoKey, isoMti, createdAt, now);
    }

    Payment withCapture(Status newStatus, long captured, Instant now) {
        return new Payment(paymentId, mallId, orderId, customerRef, purchaseRef, goodsCanonical, amount, currency, captureMode, newStatus,
                declineReason, responseCode, approvalCode, cardId, maskedCard, captured, refundedAmount, isoKey, isoMti, createdAt, now);
    }

    Payment withRefunded(long refunded, Instant now) {
        return new Payment(paymentId, mallId, orderId, customerRef, purchaseRef, goodsCanonical, amount, currency, captureMode, status,
                declineReason, responseCode, approvalCode, cardId, maskedCard, capturedAmount, refunded, isoKey, isoMti, createdAt, now);
    }
}
