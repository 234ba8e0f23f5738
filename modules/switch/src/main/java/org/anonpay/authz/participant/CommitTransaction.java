// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.io.Serializable;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.hibernate.Session;
import org.jpos.transaction.Context;
import org.jpos.transaction.TransactionParticipant;

/**
 * Commits the message's database transaction while still in the prepare phase, so that the
 * response is sent only after its ledger change is durable, and a failed commit can still turn
 * the answer into 96 (the abort path) instead of an approval whose money was never booked.
 */
public final class CommitTransaction implements TransactionParticipant {

    @Override
    public int prepare(long id, Serializable serializable) {
        Context ctx = (Context) serializable;
        Session session = ctx.get(Ctx.DB_SESSION);
        if (session == null) return PREPARED | NO_JOIN | READONLY;
        try {
            session.getTransaction().commit();
            return PREPARED | NO_JOIN;
        } catch (RuntimeException e) {
            AuthorizationStep.reportFailure(ctx, e);
            ctx.put(Ctx.DECLINE, Decline.SYSTEM_ERROR);
            return ABORTED;
        }
    }
}
