// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.time.LocalDate;
import java.util.function.LongSupplier;
import org.anonpay.authz.CardUse;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.authz.Journal;
import org.anonpay.authz.TransactionType;
import org.anonpay.issuer.Card;
import org.anonpay.issuer.CardControls;
import org.hibernate.Session;
import org.jpos.iso.ISOMsg;
import org.jpos.transaction.Context;

/**
 * The controls the cardholder set on the card in the wallet: online or offline use switched off
 * ({@link CardUse} tells which a message is), the member's own per-transaction and daily
 * limits. Only spending is controlled (as in {@link CheckLimits}); a load, refund, completion or
 * reversal is never stopped by them. The controls are read with the card, when {@link FindCard}
 * locked its row, and the day's spending is summed under that lock, so two messages cannot both slip
 * under the member's daily limit.
 */
public final class CheckCardControls extends AuthorizationStep {

    public CheckCardControls() {
        super(types(TransactionType.AUTHORIZATION, TransactionType.PURCHASE));
    }

    @Override
    protected void decide(Context ctx) {
        Card card = ctx.get(Ctx.CARD);
        Session session = ctx.get(Ctx.DB_SESSION);
        Decline refusal = refusal(controls(ctx, session, card), CardUse.of(ctx.<ISOMsg>get(Ctx.REQUEST)), ctx.get(Ctx.AMOUNT),
                () -> spentToday(ctx, session, card));
        if (refusal != null) decline(ctx, refusal);
    }

    /** Why the member's controls refuse the spending, or null. Shared with the batch form (AuthorizationBatch). */
    static Decline refusal(CardControls controls, CardUse use, long amount, LongSupplier spentToday) {
        Decline refusal = useRefusal(controls, use);
        if (refusal == null && controls.overTransactionLimit(amount)) refusal = Decline.MEMBER_TRANSACTION_LIMIT;
        if (refusal == null && controls.limitDaily() != null && controls.overDailyLimit(spentToday.getAsLong(), amount)) {
            refusal = Decline.MEMBER_DAILY_LIMIT;
        }
        return refusal;
    }

    /** FindCard's, read with the card under its lock; read here only if it did not run. */
    private CardControls controls(Context ctx, Session session, Card card) {
        CardControls controls = ctx.get(Ctx.CARD_CONTROLS);
        if (controls != null) return controls;
        controls = issuer().issuer().controls(session, card.id());
        ctx.put(Ctx.CARD_CONTROLS, controls);
        return controls;
    }

    private static Decline useRefusal(CardControls controls, CardUse use) {
        if (use == CardUse.ONLINE && !controls.allowOnline()) return Decline.ONLINE_USE_DISABLED;
        if (use == CardUse.OFFLINE && !controls.allowOffline()) return Decline.OFFLINE_USE_DISABLED;
        return null;
    }

    /** CheckLimits' sum when it ran (same lock, same transaction), else summed here. */
    private static long spentToday(Context ctx, Session session, Card card) {
        Long spent = ctx.get(Ctx.SPENT_TODAY);
        return spent != null ? spent : Journal.spentOn(session, card.id(), ctx.<LocalDate>get(CheckMessage.BUSINESS_DATE));
    }
}
