// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.io.Serializable;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.IssuerService;
import org.hibernate.Session;
import org.jpos.transaction.Context;
import org.jpos.transaction.TransactionParticipant;

/**
 * Opens the one database transaction in which a financial message is checked, moves its money
 * and is journaled (declines too: a wrong PIN must be counted). Messages without a key (format
 * errors, network management) get none. On abort everything done in it is rolled back.
 */
public final class OpenTransaction implements TransactionParticipant {

    @Override
    public int prepare(long id, Serializable serializable) {
        Context ctx = (Context) serializable;
        if (!ctx.hasKey(Ctx.MESSAGE_KEY)) return PREPARED | NO_JOIN | READONLY;
        return AuthorizationStep.guarded(ctx, () -> {
            Session session = IssuerService.get().database().sessionFactory().openSession();
            ctx.put(Ctx.DB_SESSION, session);
            session.beginTransaction();
            return PREPARED;
        });
    }

    @Override
    public void commit(long id, Serializable serializable) {
        close((Context) serializable);
    }

    @Override
    public void abort(long id, Serializable serializable) {
        close((Context) serializable);
    }

    /** Rolls back whatever CommitTransaction did not commit; safe to call twice. */
    private static void close(Context ctx) {
        Session session = ctx.remove(Ctx.DB_SESSION);
        if (session == null) return;
        try {
            if (session.getTransaction().isActive()) session.getTransaction().rollback();
        } finally {
            session.close();
        }
    }
}
