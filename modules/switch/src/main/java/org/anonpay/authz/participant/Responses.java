// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.util.Optional;
import org.anonpay.authz.JournalEntry;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;

/** Builds an answer from its request; also rebuilds the answer of a journaled original. */
final class Responses {

    /** Fields of a request that are never echoed: track data, CVV2 container, PIN block, chip data, expiry. */
    private static final int[] NOT_ECHOED = {14, 35, 45, 48, 52, 53, 55};

    private Responses() {}

    /** Empty when the request's MTI cannot be read: then the only answer is closing the connection. */
    static Optional<ISOMsg> answer(ISOMsg request, String responseCode, String approvalCode, String additionalAmounts) {
        try {
            ISOMsg response = (ISOMsg) request.clone();
            response.setResponseMTI();
            response.unset(NOT_ECHOED);
            response.set(39, responseCode);
            if (approvalCode != null) response.set(38, approvalCode);
            if (additionalAmounts != null) response.set(54, additionalAmounts);
            return Optional.of(response);
        } catch (ISOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The original's answer again, to a repeat of it: same code, approval code and balances. */
    static Optional<ISOMsg> replay(ISOMsg repeat, JournalEntry original) {
        return answer(repeat, original.responseCode(), original.approvalCode(), original.additionalAmounts())
                .map(Responses::withOriginalMti);
    }

    /** A repeat (MTI ending in 1) is answered with the plain response MTI (0201 → 0210). */
    private static ISOMsg withOriginalMti(ISOMsg response) {
        try {
            String mti = response.getMTI();
            if (mti.charAt(3) == '1') response.setMTI(mti.substring(0, 3) + "0");
            return response;
        } catch (ISOException e) {
            throw new IllegalStateException(e);
        }
    }
}
