// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.util.Optional;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.authz.SensitivePan;
import org.anonpay.authz.TransactionType;
import org.anonpay.issuer.Card;
import org.anonpay.issuer.CardIssuer;
import org.anonpay.issuer.LockedCard;
import org.hibernate.Session;
import org.jpos.transaction.Context;

/**
 * Finds the card by its PAN's keyed look-up hash (or, for a wallet payment, by the card id of
 * the matched purchase) and locks its row for the rest of the
 * transaction, so that two authorizations on one card are decided one after the other. The
 * member's controls come with it (one statement; CheckCardControls reads them from the context).
 * An unknown card is declined 14, except for a stand-in advice, which is booked to suspense.
 */
public final class FindCard extends AuthorizationStep {

    public FindCard() {
        super(withAdvice(cardPresented()));
    }

    /** A stand-in advice names a card too, though nobody presented it to the issuer. */
    private static java.util.Set<TransactionType> withAdvice(java.util.Set<TransactionType> types) {
        types.add(TransactionType.AUTHORIZATION_ADVICE);
        return types;
    }

    @Override
    protected void decide(Context ctx) {
        Optional<LockedCard> locked = lock(ctx, issuer().issuer(), ctx.get(Ctx.DB_SESSION));
        if (locked.isEmpty()) {
            if (ctx.get(Ctx.TYPE) != TransactionType.AUTHORIZATION_ADVICE) decline(ctx, Decline.CARD_NOT_FOUND);
            return;
        }
        Card card = locked.get().card();
        ctx.put(Ctx.CARD, card);
        ctx.put(Ctx.CARD_CONTROLS, locked.get().controls());
        issuer().programs().byId(card.programId()).ifPresent(p -> ctx.put(Ctx.PROGRAM, p));
        if (!ctx.hasKey(Ctx.PROGRAM)) decline(ctx, Decline.CARD_NOT_FOUND); // its program was undeployed
    }

    /** By the PAN the message carries, or by the id a matched wallet purchase named; the member's controls with it. */
    private static Optional<LockedCard> lock(Context ctx, CardIssuer issuer, Session session) {
        SensitivePan pan = ctx.get(Ctx.PAN);
        if (pan != null) return issuer.lockForAuthorization(session, pan.reveal());
        Long cardId = ctx.get(Ctx.CARD_ID);
        return cardId == null ? Optional.empty() : issuer.lockForAuthorization(session, cardId);
    }
}
