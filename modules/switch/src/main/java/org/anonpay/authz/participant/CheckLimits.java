// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.time.LocalDate;
import java.util.function.LongSupplier;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.authz.Journal;
import org.anonpay.authz.TransactionType;
import org.anonpay.issuer.Card;
import org.anonpay.issuer.CardProgram;
import org.hibernate.Session;
import org.jpos.iso.ISOMsg;
import org.jpos.transaction.Context;

/**
 * The card program's rules for spending: cash (processing code 01) only where the program allows
 * it, and the limits per transaction and per business day. The day's spending (the card's
 * running total, {@link org.anonpay.authz.DaySpending}) is read under the card's row lock, so two
 * messages cannot both slip under the limit.
 */
public final class CheckLimits extends AuthorizationStep {

    public CheckLimits() {
        super(types(TransactionType.AUTHORIZATION, TransactionType.PURCHASE));
    }

    @Override
    protected void decide(Context ctx) {
        Card card = ctx.get(Ctx.CARD);
        Decline refusal = refusal(ctx.get(Ctx.PROGRAM), ctx.get(Ctx.REQUEST), ctx.get(Ctx.AMOUNT), () -> {
            long spentToday = Journal.spentOn(ctx.<Session>get(Ctx.DB_SESSION), card.id(), ctx.<LocalDate>get(CheckMessage.BUSINESS_DATE));
            ctx.put(Ctx.SPENT_TODAY, spentToday); // CheckCardControls checks the member's daily limit against the same sum
            return spentToday;
        });
        if (refusal != null) decline(ctx, refusal);
    }

    /**
     * Why the program's rules refuse the spending, or null; {@code spentToday} is asked only when the
     * cheaper checks pass. Shared with the batch form (AuthorizationBatch).
     */
    static Decline refusal(CardProgram program, ISOMsg request, long amount, LongSupplier spentToday) {
        if (request.getString(3).startsWith("01") && !program.allowCash()) return Decline.CASH_NOT_PERMITTED;
        if (amount > program.limitPerTransaction()) return Decline.OVER_TRANSACTION_LIMIT;
        if (Math.addExact(spentToday.getAsLong(), amount) > program.limitDaily()) return Decline.OVER_DAILY_LIMIT;
        return null;
    }
}
