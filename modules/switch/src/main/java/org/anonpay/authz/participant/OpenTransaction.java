// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.io.Serializable;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.GroupCommit;
import org.anonpay.authz.IssuerService;
import org.hibernate.Session;
import org.jpos.core.Configurable;
import org.jpos.core.Configuration;
import org.jpos.core.ConfigurationException;
import org.jpos.transaction.Context;
import org.jpos.transaction.TransactionParticipant;

/**
 * Opens the database transaction in which a financial message is checked, moves its money and is
 * journaled (declines too: a wrong PIN must be counted). Messages without a key (format errors,
 * network management) get none, nor do messages decided in a batch (AuthorizeInBatch). On abort everything done in it is rolled back.
 *
 * <p>With group commit on (see {@link GroupCommit}; off by default) the message joins the open group's
 * transaction behind a savepoint of its own and holds the group's turn until CommitTransaction or
 * its abort; with it off, each message has a connection and a transaction of its own.
 *
 * <pre>
 *   property group-commit              true or false (default)
 *   property group-max-messages        at most this many messages per commit (default 32)
 *   property group-max-open-micros     a group takes no new message after this age (default 2000)
 * </pre>
 */
public final class OpenTransaction implements TransactionParticipant, Configurable {

    private GroupCommit groups;

    @Override
    public void setConfiguration(Configuration cfg) throws ConfigurationException {
        if (!cfg.getBoolean("group-commit", false)) {
            groups = null;
            return;
        }
        try {
            int maxMessages = cfg.getInt("group-max-messages", 32);
            long maxOpenMicros = cfg.getLong("group-max-open-micros", 2_000);
            groups = new GroupCommit(() -> IssuerService.get().database().sessionFactory(), maxMessages, maxOpenMicros);
            org.slf4j.LoggerFactory.getLogger("anonpay.authorization")
                    .info("group commit on: at most {} messages per commit, {} µs per group", maxMessages, maxOpenMicros);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    @Override
    public int prepare(long id, Serializable serializable) {
        Context ctx = (Context) serializable;
        if (!ctx.hasKey(Ctx.MESSAGE_KEY) || ctx.hasKey(Ctx.DECIDED_IN_BATCH)) return PREPARED | NO_JOIN | READONLY;
        return AuthorizationStep.guarded(ctx, () -> {
            if (groups != null) joinGroup(ctx);
            else openOwn(ctx);
            return PREPARED;
        });
    }

    private void joinGroup(Context ctx) {
        try {
            GroupCommit.Turn turn = groups.enter();
            ctx.put(Ctx.DB_TURN, turn);
            ctx.put(Ctx.DB_SESSION, turn.session());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the database turn", e);
        }
    }

    private static void openOwn(Context ctx) {
        Session session = IssuerService.get().database().sessionFactory().openSession();
        ctx.put(Ctx.DB_SESSION, session);
        session.beginTransaction();
    }

    @Override
    public void commit(long id, Serializable serializable) {
        close((Context) serializable);
    }

    @Override
    public void abort(long id, Serializable serializable) {
        close((Context) serializable);
    }

    /** Undoes whatever CommitTransaction did not commit; safe to call twice. */
    private static void close(Context ctx) {
        GroupCommit.Turn turn = ctx.remove(Ctx.DB_TURN);
        Session session = ctx.remove(Ctx.DB_SESSION);
        if (turn != null) {
            turn.leaveUndone(); // a no-op when CommitTransaction has left with the message already
            return;
        }
        if (session == null) return;
        try {
            if (session.getTransaction().isActive()) session.getTransaction().rollback();
        } finally {
            session.close();
        }
    }
}
