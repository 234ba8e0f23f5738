// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.payment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A payment and its refunds as the mall API and the webhooks show them (docs: openapi/mall-api-v1.yaml). */
public final class PaymentJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PaymentJson() {}

    public static Map<String, Object> payment(Payment p, List<PaymentOp> ops) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("paymentId", p.paymentId());
        m.put("mallId", p.mallId());
        m.put("orderId", p.orderId());
        m.put("status", statusOf(p));
        m.put("declineReason", p.declineReason());
        m.put("responseCode", p.responseCode());
        m.put("approvalCode", p.approvalCode());
        m.put("amount", p.amount());
        m.put("capturedAmount", p.capturedAmount());
        m.put("refundedAmount", p.refundedAmount());
        m.put("currency", p.currency());
        m.put("maskedCard", p.maskedCard()); // a card payment's first 6 and last 4; a wallet payment never shows the mall a card
        m.put("createdAt", p.createdAt().toString());
        m.put("refunds", ops.stream().filter(o -> o.kind() == PaymentOp.Kind.REFUND).map(PaymentJson::refund).toList());
        return m;
    }

    public static Map<String, Object> refund(PaymentOp op) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("refundId", op.opId());
        m.put("paymentId", op.paymentId());
        m.put("status", op.status().name());
        m.put("amount", op.amount());
        m.put("responseCode", op.responseCode());
        m.put("createdAt", op.createdAt().toString());
        return m;
    }

    /** REFUNDED / PARTIALLY_REFUNDED when money went back, else the stored status. */
    static String statusOf(Payment p) {
        if (p.refundedAmount() > 0) return p.refundedAmount() == p.capturedAmount() ? "REFUNDED" : "PARTIALLY_REFUNDED";
        return p.status().name();
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not serializable: " + value.getClass().getName(), e);
        }
    }
}
