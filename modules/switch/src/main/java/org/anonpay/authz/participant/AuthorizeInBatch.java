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
 * Decides card authorizations (0100), purchases (0200), completions (0220) and reversals (0400/0420)
 * in batches ({@link AuthorizationBatch}):
 * the messages that arrive while the database is busy with earlier ones are checked, debited,
 * journaled and committed together, with a few statements for all of them. A message decided so is
 * marked {@link Ctx#DECIDED_IN_BATCH}: OpenTransaction, the decision steps and WriteJournal leave it
 * alone, BuildResponse and SendResponse answer it. Every other message (refunds, loads, balance
 * inquiries, wallet payments, repeats) and every message of a batch that
 * fell back, or that its batch left to them (a reversal it cannot decide as ReverseOriginal would),
 * is decided one by one by the participants that follow. Completions and reversals join the
 * batches unless {@code batch-completions} / {@code batch-reversals} is false.
 *
 * <pre>
 *   property batch                 true or false (default): decide card spending in batches
 *   property batch-lanes           batches decided at once, a database connection each (default 1)
 *   property batch-max-messages    at most this many messages per batch (default 32)
 *   property batch-completions     completions (0220) in the batches too (default true)
 *   property batch-reversals       reversals (0400, 0420) in the batches too (default true)
 * </pre>
 */
public final class AuthorizeInBatch implements TransactionParticipant, Configurable, Destroyable {

    private static final Set<TransactionType> BATCHED = EnumSet.of(TransactionType.AUTHORIZATION, TransactionType.PURCHASE);

    private AuthorizationBatches batches;
    private boolean completionsBatched;
    private boolean reversalsBatched;

    @Override
    public void setConfiguration(Configuration cfg) throws ConfigurationException {
        destroy();
        if (!cfg.getBoolean("batch", false)) return;
        try {
            int lanes = cfg.getInt("batch-lanes", 1);
            int messagesMax = cfg.getInt("batch-max-messages", 32);
            completionsBatched = cfg.getBoolean("batch-completions", true);
            reversalsBatched = cfg.getBoolean("batch-reversals", true);
            batches = new AuthorizationBatches(IssuerService::get, lanes, messagesMax);
            org.slf4j.LoggerFactory.getLogger("anonpay.authorization")
                    .info("batch authorization on: {} lanes, at most {} messages per batch, completions {}, reversals {}", lanes, messagesMax,
                            completionsBatched ? "batched" : "one by one", reversalsBatched ? "batched" : "one by one");
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    @Override
    public int prepare(long id, Serializable serializable) {
        Context ctx = (Context) serializable;
        if (batches == null || !batched(ctx)) return PREPARED | NO_JOIN | READONLY;
        return AuthorizationStep.guarded(ctx, () -> {
            boolean committed = await(ctx) == AuthorizationBatch.Outcome.COMMITTED;
            if (committed && !BatchedFollowUps.isLeft(ctx)) ctx.put(Ctx.DECIDED_IN_BATCH, Boolean.TRUE);
            ctx.remove(BatchedFollowUps.LEFT_TO_ONE_BY_ONE);
            return PREPARED | NO_JOIN | READONLY;
        });
    }

    /**
     * A card spending message (a wallet payment names no PAN), or a completion or reversal naming
     * its original, with a key, not declined yet, and not a repeat: a repeat's key is nearly always
     * taken (by its original), which would make its whole batch fall back to one by one.
     */
    private boolean batched(Context ctx) {
        if (!ctx.hasKey(Ctx.MESSAGE_KEY) || AuthorizationStep.declined(ctx) || ctx.hasKey(Ctx.REPLAY_OF)) return false;
        if (DetectDuplicate.repeatFlagged(ctx)) return false;
        TransactionType type = ctx.get(Ctx.TYPE);
        if (type == TransactionType.COMPLETION) return completionsBatched && ctx.hasKey(Ctx.ORIGINAL_KEY);
        if (type == TransactionType.REVERSAL) return reversalsBatched && ctx.hasKey(Ctx.ORIGINAL_KEY);
        return BATCHED.contains(type) && ctx.hasKey(Ctx.PAN);
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
