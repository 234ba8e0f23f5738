// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.io.Serializable;
import org.anonpay.authz.Ctx;
import org.jpos.transaction.Context;

/**
 * Last participant: once the answer is sent and logged, it takes the request and the response
 * out of the context. The transaction manager writes the whole context to its log at the end of
 * every transaction, and an ISOMsg there would print the full PAN, expiry, CVV2 and PIN block
 * (ProtectedLogListener masks messages in a log event, not messages inside a context).
 */
public final class ScrubContext extends AfterDecision {

    private static final String[] CARD_DATA = {Ctx.REQUEST, Ctx.RESPONSE};

    @Override
    public void commit(long id, Serializable serializable) {
        scrub((Context) serializable);
    }

    @Override
    public void abort(long id, Serializable serializable) {
        scrub((Context) serializable);
    }

    private static void scrub(Context ctx) {
        for (String key : CARD_DATA) ctx.remove(key);
    }
}
