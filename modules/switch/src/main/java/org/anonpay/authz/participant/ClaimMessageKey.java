// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.util.Optional;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.authz.Journal;
import org.anonpay.authz.JournalEntry;
import org.anonpay.authz.KeyClaims;
import org.anonpay.authz.MessageKey;
import org.anonpay.authz.TransactionType;
import org.hibernate.Session;
import org.jpos.transaction.Context;

/**
 * Claims the message's key before anything moves money (see {@link KeyClaims}). A key already
 * journaled is a repeat (or a clash) and judged as DetectDuplicate would (it leaves the look-up of
 * these types to this step, so that a new message costs one statement fewer). A reversal that
 * got there first means the acquirer undid this message before it arrived: it is declined and
 * moves nothing. A twin that got there first (this message's repeat or original, sent while the
 * other was still running) has committed by now: this one is answered as a repeat of it.
 */
public final class ClaimMessageKey extends AuthorizationStep {

    private static final java.util.Set<TransactionType> CLAIMED = java.util.EnumSet.of(TransactionType.AUTHORIZATION,
            TransactionType.AUTHORIZATION_ADVICE, TransactionType.PURCHASE, TransactionType.REFUND, TransactionType.LOAD,
            TransactionType.COMPLETION);

    public ClaimMessageKey() {
        super(CLAIMED);
    }

    /** Whether this step will run for the message (as DetectDuplicate, just before it, asks). */
    static boolean willClaim(Context ctx) {
        return CLAIMED.contains(ctx.<TransactionType>get(Ctx.TYPE)) && !declined(ctx) && !ctx.hasKey(Ctx.REPLAY_OF);
    }

    @Override
    protected void decide(Context ctx) {
        Session session = ctx.get(Ctx.DB_SESSION);
        MessageKey key = ctx.get(Ctx.MESSAGE_KEY);
        KeyClaims.Claim claim = KeyClaims.claim(session, key, KeyClaims.Kind.ORIGINAL);
        if (claim.first()) return;
        // the key is taken: by this message's original or repeat (journaled), or by a reversal that came first
        Optional<JournalEntry> twin = Journal.find(session, key);
        if (twin.isPresent()) DetectDuplicate.judge(ctx, twin.get());
        else if (claim.earlier() == KeyClaims.Kind.EARLY_REVERSAL) decline(ctx, Decline.REVERSED_BEFORE_ARRIVAL);
        else decline(ctx, Decline.DUPLICATE_TRANSMISSION); // claimed and committed without a journal row: never expected
    }
}
