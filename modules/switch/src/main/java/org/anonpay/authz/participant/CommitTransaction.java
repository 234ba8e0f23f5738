// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.io.Serializable;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.authz.GroupCommit;
import org.hibernate.Session;
import org.jpos.transaction.Context;
import org.jpos.transaction.TransactionParticipant;

/**
 * Commits the message's database work while still in the prepare phase, so that the response is
 * sent only after its ledger change is durable, and a failed commit can still turn the answer
 * into 96 (the abort path) instead of an approval whose money was never booked. With group commit
 * the message leaves its group and waits for the group's one commit.
 */
public final class CommitTransaction implements TransactionParticipant {

    @Override
    public int prepare(long id, Serializable serializable) {
        Context ctx = (Context) serializable;
        Session session = ctx.get(Ctx.DB_SESSION);
        if (session == null) return PREPARED | NO_JOIN | READONLY;
        try {
            if (commit(ctx, session)) return PREPARED | NO_JOIN;
            ctx.put(Ctx.DECLINE, Decline.SYSTEM_ERROR);
            return ABORTED;
        } catch (RuntimeException e) {
            AuthorizationStep.reportFailure(ctx, e);
            ctx.put(Ctx.DECLINE, Decline.SYSTEM_ERROR);
            return ABORTED;
        }
    }

    /** True when the message's work is committed. */
    private static boolean commit(Context ctx, Session session) {
        GroupCommit.Turn turn = ctx.get(Ctx.DB_TURN);
        if (turn == null) {
            session.getTransaction().commit();
            return true;
        }
        try {
            return turn.leaveAndAwaitCommit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the group commit", e);
        }
    }
}
