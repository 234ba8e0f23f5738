// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.api;

/**
 * Every reason the mall API refuses a request, each with its HTTP status. The name is the
 * machine-readable {@code error.code}; the message is for the mall's developers.
 */
public enum MallError {
    // the request as a whole
    MALFORMED_JSON(400, "the body is not well-formed JSON (or repeats a key)"),
    NOT_JSON_OBJECT(400, "the body must be a JSON object"),
    UNSUPPORTED_MEDIA_TYPE(415, "the body must be application/json in UTF-8"),
    BODY_TOO_LARGE(413, "the request body is too large"),
    NOT_FOUND(404, "no such resource"),
    METHOD_NOT_ALLOWED(405, "this method is not allowed here"),
    INTERNAL_ERROR(500, "internal error"),
    // signing
    SIGNATURE_MISSING(401, "the Anonpay-Signature header is missing"),
    SIGNATURE_MALFORMED(401, "the Anonpay-Signature header is not t=…,k=…,v1=…"),
    SIGNATURE_UNKNOWN_KEY(401, "no live secret has this key id"),
    SIGNATURE_STALE(401, "the signature's timestamp is too far from the gateway's clock"),
    SIGNATURE_INVALID(401, "the signature does not match the request"),
    SIGNATURE_REPLAYED(401, "this signed request was sent before"),
    MALL_SUSPENDED(403, "this mall may not use the API at present"),
    MALL_MISMATCH(403, "mallId is not the mall that signed the request"),
    // idempotency
    IDEMPOTENCY_KEY_REQUIRED(400, "POST requests need an Idempotency-Key header (8-64 of A-Z a-z 0-9 _ - : .)"),
    IDEMPOTENCY_KEY_REUSED(422, "this Idempotency-Key was used for another request"),
    IDEMPOTENCY_IN_PROGRESS(409, "the first request with this Idempotency-Key is still running; retry later"),
    // fields
    REQUIRED(400, "this field is required"),
    WRONG_TYPE(400, "this field has the wrong JSON type"),
    INVALID_VALUE(400, "not an allowed value"),
    INVALID_FORMAT(400, "not in the required format"),
    UNKNOWN_FIELD(400, "this field is not part of the request"),
    PERSONAL_DATA_NOT_ACCEPTED(400, "a payment carries no personal data (name, phone, e-mail, address; a card only in the object card)"),
    TOTAL_NOT_SUM_OF_GOODS(400, "total must equal the sum of quantity × unitPrice"),
    PURCHASE_REF_WITH_CARD(400, "a card payment carries no purchaseRef (send either purchaseRef or card)"),
    CARD_PAYMENTS_DISABLED(400, "card (auto-fill) payments are not enabled on this gateway"),
    // follow-ups
    PAYMENT_STATE_CONFLICT(409, "the payment's state does not allow this"),
    AMOUNT_TOO_LARGE(422, "above what the payment allows"),
    NOTHING_TO_REFUND(422, "the payment has been refunded in full"),
    // the transaction manager
    TRANSACTION_PENDING(503, "the transaction manager did not answer in time; retry with the same Idempotency-Key");

    private final int status;
    private final String message;

    MallError(int status, String message) {
        this.status = status;
        this.message = message;
    }

    public int status() {
        return status;
    }

    public String message() {
        return message;
    }
}
