// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.extissuer;

/**
 * The outcome of charging another issuer's credit card for a prepaid top-up. Only {@link Status#APPROVED}
 * lets the caller load the prepaid card.
 *
 * @param responseCode field 39 of the answer to the charge; null when none came
 * @param approvalCode field 38 on approval (null if the issuer sent none), else null
 */
public record ChargeResult(Status status, String responseCode, String approvalCode) {
    public enum Status {
        /** 00: the credit card was charged; load the prepaid card. */
        APPROVED,
        /** Refused (see the response code, e.g. 51 over the limit); nothing was charged. */
        DECLINED,
        /** No answer in time; the charge was reversed and the issuer acknowledged it. Do not load. */
        TIMED_OUT_REVERSED,
        /**
         * No answer in time, and the reversal was not acknowledged within the configured bound. Do not
         * load; keep the charge id and clear it later with {@link ExternalIssuerClient#reverseCharge}.
         */
        TIMED_OUT_REVERSAL_PENDING,
        /** The link is down: nothing was sent, nothing charged. Do not load; try later. */
        ISSUER_UNAVAILABLE
    }

    public ChargeResult {
        assert status != null;
    }

    static ChargeResult approved(String approvalCode) {
        return new ChargeResult(Status.APPROVED, SimulatedIssuer.APPROVED, approvalCode);
    }

    static ChargeResult declined(String responseCode) {
        return new ChargeResult(Status.DECLINED, responseCode, null);
    }

    static ChargeResult of(Status status) {
        return new ChargeResult(status, null, null);
    }

    public boolean approved() {
        return status == Status.APPROVED;
    }
}
