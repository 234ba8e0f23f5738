// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.funding;

/** What a funding source is: another issuer's credit card, or a bank account. */
public enum FundingKind {
    CREDIT_CARD, BANK_ACCOUNT
}
