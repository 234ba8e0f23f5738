// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import java.time.YearMonth;

/**
 * The outcome of {@link CardIssuer#issue}. When issued it carries what the cardholder is shown
 * once (full PAN, expiry, CVV2) — CVV2 exists nowhere else, the issuer only recomputes it.
 * {@link #toString()} shows the masked PAN only.
 */
public record IssueResult(IssueStatus status, long cardId, String pan, YearMonth expiry, String cvv2,
                          String maskedPan, long ledgerAccountId) {

    static IssueResult refused(IssueStatus status) {
        assert status != IssueStatus.ISSUED;
        return new IssueResult(status, 0, null, null, null, null, 0);
    }

    static IssueResult issued(Card card, String pan, String cvv2) {
        return new IssueResult(IssueStatus.ISSUED, card.id(), pan, card.expiry(), cvv2, card.maskedPan(), card.ledgerAccountId());
    }

    public boolean issued() {
        return status == IssueStatus.ISSUED;
    }

    @Override
    public String toString() {
        if (!issued()) return "IssueResult[" + status + "]";
        return "IssueResult[" + status + ", cardId=" + cardId + ", " + maskedPan + ", expiry=" + expiry
                + ", ledgerAccountId=" + ledgerAccountId + "]";
    }
}
