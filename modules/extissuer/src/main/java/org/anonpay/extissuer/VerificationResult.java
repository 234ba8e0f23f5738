// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.extissuer;

/** The other issuer's answer to "does this credit card belong to the member?" (zero-amount 0100). */
public enum VerificationResult {
    /** 00: the card is the issuer's and expiry and CVV2 match: it may go into the wallet. */
    VERIFIED,
    /** 14: the issuer does not know the card number. */
    UNKNOWN_CARD,
    /** 54: the expiry does not match (or the card expired). */
    WRONG_EXPIRY,
    /** N7: the CVV2 does not match. */
    WRONG_CVV2,
    /** Any other refusal (the response code is logged). */
    DECLINED,
    /** No answer in time, or the link is down: nothing is known; ask the member to try later. */
    ISSUER_UNAVAILABLE;

    static VerificationResult of(String responseCode) {
        if (responseCode == null) {
            return DECLINED; // an answer without field 39 confirms nothing
        }
        return switch (responseCode) {
            case SimulatedIssuer.APPROVED -> VERIFIED;
            case SimulatedIssuer.UNKNOWN_CARD -> UNKNOWN_CARD;
            case SimulatedIssuer.WRONG_EXPIRY -> WRONG_EXPIRY;
            case SimulatedIssuer.WRONG_CVV2 -> WRONG_CVV2;
            default -> DECLINED;
        };
    }
}
