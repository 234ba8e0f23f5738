// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.util.Optional;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.authz.Journal;
import org.anonpay.authz.KeyClaims;
import org.anonpay.authz.JournalEntry;
import org.anonpay.authz.MessageKey;
import org.anonpay.authz.TransactionType;
import org.hibernate.Session;
import org.jpos.transaction.Context;

/**
 * Finds (and locks) the original message a completion or reversal names in field 90. A
 * completion of an unknown authorization is declined 25; a reversal of an unknown original is
 * acknowledged and moves nothing (the acquirer must be able to clear its reversal queue), and the
 * original, should it arrive after all, is declined ({@link ClaimMessageKey}).
 */
public final class FindOriginal extends AuthorizationStep {

    public FindOriginal() {
        super(types(TransactionType.COMPLETION, TransactionType.REVERSAL));
    }

    @Override
    protected void decide(Context ctx) {
        Session session = ctx.get(Ctx.DB_SESSION);
        MessageKey originalKey = ctx.get(Ctx.ORIGINAL_KEY);
        Optional<JournalEntry> original = Journal.lockOriginal(session, originalKey);
        if (original.isEmpty() && ctx.get(Ctx.TYPE) == TransactionType.REVERSAL) original = reversedBeforeArrival(session, originalKey);
        if (original.isEmpty()) {
            if (ctx.get(Ctx.TYPE) == TransactionType.COMPLETION) decline(ctx, Decline.ORIGINAL_NOT_FOUND);
            return;
        }
        ctx.put(Ctx.ORIGINAL, original.get());
        Long cardId = original.get().cardId();
        if (cardId != null) issuer().issuer().readCard(session, cardId).ifPresent(card -> ctx.put(Ctx.CARD, card));
    }

    /**
     * A reversal of a message not (yet) journaled claims that message's key, so the original, if
     * it still comes, is declined. If the original claimed it first, it was running: the claim
     * waited for it to commit, and now it can be found and reversed.
     */
    private static Optional<JournalEntry> reversedBeforeArrival(Session session, MessageKey originalKey) {
        KeyClaims.Claim claim = KeyClaims.claim(session, originalKey, KeyClaims.Kind.EARLY_REVERSAL);
        if (claim.earlier() != KeyClaims.Kind.ORIGINAL) return Optional.empty();
        return Journal.lockOriginal(session, originalKey);
    }
}
