// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import java.time.YearMonth;
import java.util.Objects;

/**
 * A card application (patent step a2) as the issuer needs it.
 *
 * @param programId       the card program, e.g. "KRW-PREPAID"
 * @param cardName        the name the cardholder gives the card, 1–15 characters (Hangul allowed)
 * @param pin             the 4-digit PIN; {@link CardIssuer#issue} wipes it
 * @param holderRef       the wallet's member reference, or null
 * @param requestedPan    null, or a card number to issue (demo data and tests only)
 * @param requestedExpiry null, or the expiry to give a requested card (demo data and tests only)
 */
public record IssueRequest(String programId, String cardName, char[] pin, String holderRef,
                           String requestedPan, YearMonth requestedExpiry) {

    public IssueRequest {
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(pin, "pin");
    }

    /** An ordinary application: the issuer picks the card number and expiry. */
    public static IssueRequest of(String programId, String cardName, char[] pin, String holderRef) {
        return new IssueRequest(programId, cardName, pin, holderRef, null, null);
    }

    /** The same application for a given card number and expiry (null: from the program). */
    public IssueRequest withRequestedCard(String pan, YearMonth expiry) {
        return new IssueRequest(programId, cardName, pin, holderRef, pan, expiry);
    }

    @Override
    public String toString() {
        // no PIN, and a requested PAN only masked
        return "IssueRequest[program=" + programId + ", cardName=" + cardName + ", holderRef=" + holderRef
                + (requestedPan == null ? "" : ", requestedPan=" + CardVault.mask(requestedPan)) + "]";
    }
}
