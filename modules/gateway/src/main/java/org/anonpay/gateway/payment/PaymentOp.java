// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.payment;

import java.time.Instant;
import org.anonpay.authz.MessageKey;

/** What followed a payment (table {@code mall_payment_op}): a capture, a cancel or a refund, each its own ISO 8583 message. */
public record PaymentOp(String opId, String paymentId, Kind kind, long amount, Status status, String responseCode,
                        String declineReason, MessageKey isoKey, String isoMti, Instant createdAt) {

    public enum Kind { CAPTURE, CANCEL, REFUND }

    public enum Status { PENDING, SUCCEEDED, FAILED }

    public static final String REFUND_PREFIX = "re_";
    public static final String OP_PREFIX = "op_";

    PaymentOp finished(Status newStatus, String code, String reason) {
        return new PaymentOp(opId, paymentId, kind, amount, newStatus, code, reason, isoKey, isoMti, createdAt);
    }
}
