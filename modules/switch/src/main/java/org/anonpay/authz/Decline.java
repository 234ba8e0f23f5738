// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

/**
 * Every reason a message is not approved, each its own name, with the ISO 8583:1987 field 39
 * code the acquirer sees. Several reasons share a code; the journal keeps the reason.
 */
public enum Decline {
    FORMAT_ERROR("30"),
    UNKNOWN_MESSAGE_TYPE("12"),
    UNSUPPORTED_PROCESSING_CODE("12"),
    INVALID_AMOUNT("13"),
    CARD_NOT_FOUND("14"),
    CARD_FROZEN("62"),
    CARD_CLOSED("62"),
    CARD_LOST("41"),
    CARD_STOLEN("43"),
    CARD_EXPIRED("54"),
    EXPIRY_MISMATCH("54"),
    CVV2_MISMATCH("05"),
    PIN_INCORRECT("55"),
    PIN_TRIES_EXCEEDED("75"),
    CASH_NOT_PERMITTED("57"),
    CURRENCY_NOT_PERMITTED("57"),
    OVER_TRANSACTION_LIMIT("61"),
    OVER_DAILY_LIMIT("61"),
    OVER_MAXIMUM_BALANCE("61"),
    /** The cardholder's own per-transaction limit (card controls in the wallet). */
    MEMBER_TRANSACTION_LIMIT("61"),
    /** The cardholder's own daily limit. */
    MEMBER_DAILY_LIMIT("61"),
    /** The cardholder switched off card-not-present use (see {@link CardUse}). */
    ONLINE_USE_DISABLED("57"),
    /** The cardholder switched off card-present use at shop terminals. */
    OFFLINE_USE_DISABLED("57"),
    INSUFFICIENT_FUNDS("51"),
    ORIGINAL_NOT_FOUND("25"),
    COMPLETION_EXCEEDS_HOLD("13"),
    AUTHORIZATION_NOT_OPEN("12"),
    DUPLICATE_TRANSMISSION("94"),
    /** The acquirer reversed this message before it reached the host: it must not move money now. */
    REVERSED_BEFORE_ARRIVAL("12"),
    // purchase matching (MISSION.md b7): the mall's approval request and the purchase the member
    // confirmed in the wallet disagree. All answer 12 (invalid transaction); the reason is journaled
    // and reported to the mall by the payment API.
    PURCHASE_UNKNOWN("12"),
    PURCHASE_MALL_MISMATCH("12"),
    PURCHASE_CUSTOMER_MISMATCH("12"),
    PURCHASE_ORDER_MISMATCH("12"),
    PURCHASE_CURRENCY_MISMATCH("12"),
    PURCHASE_GOODS_MISMATCH("12"),
    PURCHASE_TOTAL_MISMATCH("12"),
    PURCHASE_EXPIRED("12"),
    PURCHASE_ALREADY_PAID("12"),
    SYSTEM_ERROR("96");

    public static final String APPROVED = "00";

    private final String responseCode;

    Decline(String responseCode) {
        this.responseCode = responseCode;
    }

    /** Field 39. */
    public String responseCode() {
        return responseCode;
    }
}
