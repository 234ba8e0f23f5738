// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.time.LocalDate;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.authz.Journal;
import org.anonpay.authz.TransactionType;
import org.anonpay.issuer.Card;
import org.anonpay.issuer.CardProgram;
import org.hibernate.Session;
import org.jpos.transaction.Context;

/**
 * The card program's rules for spending: cash (processing code 01) only where the program allows
 * it, and the limits per transaction and per business day. The day's spending
 * is summed from the journal under the card's row lock, so two messages cannot both slip under
 * the limit.
 */
public final class CheckLimits extends AuthorizationStep {

    public CheckLimits() {
        super(types(TransactionType.AUTHORIZATION, TransactionType.PURCHASE));
    }

    @Override
    protected void decide(Context ctx) {
        CardProgram program = ctx.get(Ctx.PROGRAM);
        long amount = ctx.get(Ctx.AMOUNT);
        if (ctx.<org.jpos.iso.ISOMsg>get(Ctx.REQUEST).getString(3).startsWith("01") && !program.allowCash()) {
            decline(ctx, Decline.CASH_NOT_PERMITTED);
            return;
        }
        if (amount > program.limitPerTransaction()) {
            decline(ctx, Decline.OVER_TRANSACTION_LIMIT);
            return;
        }
        Card card = ctx.get(Ctx.CARD);
        long spentToday = Journal.spentOn(ctx.<Session>get(Ctx.DB_SESSION), card.id(), ctx.<LocalDate>get(CheckMessage.BUSINESS_DATE));
        ctx.put(Ctx.SPENT_TODAY, spentToday); // CheckCardControls checks the member's daily limit against the same sum
        if (Math.addExact(spentToday, amount) > program.limitDaily()) decline(ctx, Decline.OVER_DAILY_LIMIT);
    }
}
