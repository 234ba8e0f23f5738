// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

/** What a message asks the issuer to do, from its MTI and processing code (field 3). */
public enum TransactionType {
    NETWORK_MANAGEMENT(false),
    /** 0100, processing code 00: place a hold. Amount 0 is an account verification: no hold. */
    AUTHORIZATION(true),
    /** 0120: stand-in authorization advice, always accepted and posted. */
    AUTHORIZATION_ADVICE(true),
    /** 0200, processing code 00: debit at once. */
    PURCHASE(true),
    /** 0200, processing code 20: credit the card. */
    REFUND(true),
    /** 0200, processing code 21: loads (tops up) the card from the operator's funding clearing. */
    LOAD(true),
    /** 0200, processing code 31: no money moves; balances in field 54. */
    BALANCE_INQUIRY(true),
    /** 0220: posts an earlier authorization's hold, for its amount or less. */
    COMPLETION(true),
    /** 0400 / 0420: undoes an earlier message named in field 90. */
    REVERSAL(true);

    private final boolean financial;

    TransactionType(boolean financial) {
        this.financial = financial;
    }

    /** True for messages that are journaled and may move money. */
    public boolean financial() {
        return financial;
    }

    /** The types whose card must be present, in a usable state and verified. */
    public boolean presentsCard() {
        return this == AUTHORIZATION || this == PURCHASE || this == REFUND || this == LOAD || this == BALANCE_INQUIRY;
    }

    /** The types that spend from the card and count against its limits. */
    public boolean spends() {
        return this == AUTHORIZATION || this == PURCHASE;
    }

    /** The types that name an original message in field 90. */
    public boolean refersToOriginal() {
        return this == COMPLETION || this == REVERSAL;
    }
}
