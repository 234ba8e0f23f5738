// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

/**
 * Every reason the API refuses a request, with its HTTP status. The code is the stable,
 * machine-readable part of an error ({@code error.code}); the message is for people and may change.
 */
public enum ErrorCode {
    // request as a whole
    MALFORMED_JSON(400, "the body is not well-formed JSON (or repeats a key)"),
    NOT_JSON_OBJECT(400, "the body must be a JSON object"),
    BAD_REQUEST(400, "the HTTP request could not be read"),
    UNKNOWN_FIELD(400, "this field is not part of the request"),
    NOT_FOUND(404, "no such resource"),
    METHOD_NOT_ALLOWED(405, "this method is not allowed here"),
    BODY_TOO_LARGE(413, "the request body is too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "the body must be application/json in UTF-8"),
    INTERNAL_ERROR(500, "internal error"),

    // log-in, sessions, recovery
    LOGIN_FAILED(401, "wrong member ID, nickname or password"),
    NOT_AUTHENTICATED(401, "log in first (no session, or it expired or was ended)"),
    CSRF_TOKEN_INVALID(403, "missing or wrong X-CSRF-Token header"),
    TOO_MANY_ATTEMPTS(429, "too many attempts; try again after Retry-After seconds"),
    CURRENT_PASSWORD_WRONG(400, "the current password is wrong"),
    RESET_TOKEN_INVALID(400, "this reset link is unknown, used or expired; ask for a new one"),

    // one field
    REQUIRED(400, "this field is required"),
    WRONG_TYPE(400, "this field has the wrong JSON type"),
    TOO_SHORT(400, "too short"),
    TOO_LONG(400, "too long"),
    INVALID_CHARACTERS(400, "contains characters that are not allowed"),
    INVALID_FORMAT(400, "not in the required format"),
    INVALID_CHECK_DIGIT(400, "the check digit does not match"),
    INVALID_DATE(400, "not a valid date"),
    DATE_OUT_OF_RANGE(400, "the date is in the future or too far in the past"),
    INVALID_VALUE(400, "not one of the allowed values"),
    PASSWORD_NEEDS_LETTER_AND_DIGIT(400, "the password must contain both letters and digits"),
    PASSWORD_MISMATCH(400, "the two passwords differ"),
    PASSWORD_TOO_COMMON(400, "this password is too common"),
    PASSWORD_EQUALS_MEMBER_ID(400, "the password must differ from the member ID"),
    UNKNOWN_SECURITY_QUESTION(400, "no such security question"),
    NICKNAME_EQUALS_MEMBER_ID(400, "the nickname must differ from the member ID"),
    PIN_MISMATCH(400, "the two PINs differ"),
    PASSWORD_WRONG(401, "the password is wrong"),
    CARD_NOT_ISSUED(409, "the issuer did not issue the card; try again"),
    // card controls and card actions (card detail page)
    AMOUNT_TOO_LARGE(400, "above the allowed maximum"),
    CARD_STATE_CONFLICT(409, "the card's state does not allow this"),
    // funding sources and top-ups (a7)
    OWNERSHIP_NOT_CONFIRMED(422, "the card's issuer did not confirm this card"),
    ISSUER_UNAVAILABLE(503, "the card's issuer did not answer; try again later"),
    BANK_UNAVAILABLE(503, "the bank did not answer; try again later"),
    FUNDING_SOURCE_EXISTS(409, "this funding source is already in the wallet"),
    REQUEST_ID_REUSED(422, "this requestId was already used with other values"),
    TOPUP_IN_PROGRESS(409, "a top-up with this requestId is still being processed"),
    OVER_MAXIMUM_BALANCE(422, "the card would hold more than its program allows"),
    FUNDING_DECLINED(422, "the funding source refused the payment"),
    // wallet purchases (wallet program, b5)
    TOTAL_NOT_SUM_OF_GOODS(400, "the total is not the sum of quantity times unit price of the goods"),
    PERSONAL_DATA_NOT_ACCEPTED(400, "this looks like personal data (e-mail, phone or card number), which the mall must not send"),
    MALL_NOT_ACCEPTED(422, "this mall does not take wallet payments (not an active partner mall)"),
    CARD_CURRENCY_MISMATCH(422, "the card is not of the purchase's currency"),
    ORDER_ALREADY_PAID(409, "this order of the mall is already paid"),

    // conflicts with stored data
    MEMBER_ID_TAKEN(409, "this member ID is already registered"),
    NICKNAME_TAKEN(409, "this nickname is already in use");

    private final int status;
    private final String defaultMessage;

    ErrorCode(int status, String defaultMessage) {
        assert status >= 400 && status < 600 : "error codes are 4xx or 5xx";
        this.status = status;
        this.defaultMessage = defaultMessage;
    }

    public int status() {
        return status;
    }

    public String defaultMessage() {
        return defaultMessage;
    }
}
