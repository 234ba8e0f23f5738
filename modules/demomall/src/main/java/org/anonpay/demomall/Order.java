// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.demomall;

import java.time.Instant;
import java.util.List;

/**
 * An order of a demo shop: the cart's lines frozen at checkout and how it was paid. Kept in
 * memory (a demo); no card data is ever kept, only what the payment answer says (masked card,
 * approval code, decline reason).
 */
final class Order {

    enum Status { OPEN, PAYING, APPROVED, DECLINED, FAILED }

    final String orderId;
    final String session;
    final String customerRef;
    final List<Cart.Line> lines;
    final long total;
    final Instant createdAt = Instant.now();

    private Status status = Status.OPEN;
    private String method;
    private String paymentId;
    private String reason;
    private String approvalCode;
    private String maskedCard;
    private String responseCode;
    private int attempts;

    Order(String orderId, String session, String customerRef, List<Cart.Line> lines) {
        this.orderId = orderId;
        this.session = session;
        this.customerRef = customerRef;
        this.lines = List.copyOf(lines);
        this.total = Cart.total(lines);
    }

    /** Starts a payment attempt: false when the order is paid or a payment is running. Returns the attempt number through {@link #attempts()}. */
    synchronized boolean begin(String how) {
        if (status == Status.APPROVED || status == Status.PAYING) return false;
        status = Status.PAYING;
        method = how;
        attempts++;
        return true;
    }

    synchronized void finish(Status outcome, String paymentId, String reason, String responseCode, String approvalCode, String maskedCard) {
        this.status = outcome;
        this.paymentId = paymentId;
        this.reason = reason;
        this.responseCode = responseCode;
        this.approvalCode = approvalCode;
        this.maskedCard = maskedCard;
    }

    synchronized Status status() { return status; }
    synchronized String method() { return method; }
    synchronized String paymentId() { return paymentId; }
    synchronized String reason() { return reason; }
    synchronized String responseCode() { return responseCode; }
    synchronized String approvalCode() { return approvalCode; }
    synchronized String maskedCard() { return maskedCard; }
    synchronized int attempts() { return attempts; }

    String goodsSummary() {
        StringBuilder b = new StringBuilder();
        for (Cart.Line l : lines) {
            if (!b.isEmpty()) b.append(", ");
            b.append(l.product().name()).append(" × ").append(l.quantity());
        }
        return b.toString();
    }
}
