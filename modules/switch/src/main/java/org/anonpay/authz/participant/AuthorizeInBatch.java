// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.Set;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.IssuerService;
import org.anonpay.authz.TransactionType;
import org.jpos.core.Configurable;
import org.jpos.core.Configuration;
import org.jpos.core.ConfigurationException;
import org.jpos.transaction.Context;
import org.jpos.transaction.TransactionParticipant;
import org.jpos.util.Destroyable;

/**
 * Decides card authorizations (0100) and purchases (0200) in batches ({@link AuthorizationBatch}):
 * the messages that arrive while the database is busy with earlier ones are checked, debited,
 * journaled and committed together, with a few statements for all of them. A message decided so is
 * marked {@link Ctx#DECIDED_IN_BATCH}: OpenTransaction, the decision steps and WriteJournal leave it
 * alone, BuildResponse and SendResponse answer it. Every other message (completions, reversals,
 * refunds, loads, balance inquiries, wallet payments, repeats) and every message of a batch that
 * fell back is decided one by one by the participants that follow.
 *
 * <pre>
 *   property batch                 true or false (default): decide card spending in batches
 *   property batch-lanes           batches decided at once, a database connection each (default 1)
 *   property batch-max-messages    at most this many messages per batch (default 32)
 * </pre>
 */
public final class AuthorizeInBatch implements TransactionParticipant, Configurable, Destroyable {

    private static final Set<TransactionType> BATCHED = EnumSet.of(TransactionType.AUTHORIZATION, TransactionType.PURCHASE);

    private AuthorizationBatches batches;

    @Override
    public void setConfiguration(Configuration cfg) throws ConfigurationException {
        destroy();
        if (!cfg.getBoolean("batch", false)) return;
        try {
            int lanes = cfg.getInt("batch-lanes", 1);
            int messagesMax = cfg.getInt("batch-max-messages", 32);
            batches = new AuthorizationBatches(IssuerService::get, lanes, messagesMax);
            org.slf4j.LoggerFactory.getLogger("anonpay.authorization")
                    .info("batch authorization on: {} lanes, at most {} messages per batch", lanes, messagesMax);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    @Override
    public int prepare(long id, Serializable serializable) {
        Context ctx = (Context) serializable;
        if (batches == null || !batched(ctx)) return PREPARED | NO_JOIN | READONLY;
        return AuthorizationStep.guarded(ctx, () -> {
            if (await(ctx) == AuthorizationBatch.Outcome.COMMITTED) ctx.put(Ctx.DECIDED_IN_BATCH, Boolean.TRUE);
            return PREPARED | NO_JOIN | READONLY;
        });
    }

    /** A card-present spending message with a key, not declined yet (a wallet payment names no PAN). */
    private static boolean batched(Context ctx) {
        return ctx.hasKey(Ctx.MESSAGE_KEY) && BATCHED.contains(ctx.<TransactionType>get(Ctx.TYPE)) && ctx.hasKey(Ctx.PAN)
                && !AuthorizationStep.declined(ctx) && !ctx.hasKey(Ctx.REPLAY_OF);
    }

    private AuthorizationBatch.Outcome await(Context ctx) {
        try {
            return batches.decide(ctx);
        } catch (InterruptedException e) {
            // the host is stopping; whether the batch commits or not, SendResponse's abort answers truly
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the batch", e);
        }
    }

    @Override
    public void destroy() {
        if (batches != null) batches.close();
        batches = null;
    }
}
