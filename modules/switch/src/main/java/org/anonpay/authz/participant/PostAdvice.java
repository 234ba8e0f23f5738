// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.TransactionType;
import org.anonpay.issuer.CardProgram;
import org.anonpay.ledger.AccountKind;
import org.anonpay.ledger.Balance;
import org.anonpay.ledger.Transfer;
import org.anonpay.ledger.TransferCode;
import org.anonpay.ledger.TransferId;
import org.jpos.transaction.Context;

/**
 * 0120: an authorization the network already approved in stand-in. It is always accepted and
 * posted: the card pays what it has available, and the shortfall is booked to the operator's
 * recovery account (to be collected from the cardholder), so the card never goes below zero and
 * the merchant is still owed the whole amount. An advice for a card the issuer does not know
 * (or in another currency) is booked to suspense for ops to resolve.
 */
public final class PostAdvice extends MoneyStep {

    public PostAdvice() {
        super(types(TransactionType.AUTHORIZATION_ADVICE));
    }

    @Override
    protected void decide(Context ctx) {
        long amount = ctx.get(Ctx.AMOUNT);
        if (amount == 0) return;
        if (cardUsable(ctx)) postOnCard(ctx, amount);
        else postToSuspense(ctx, amount);
    }

    private static boolean cardUsable(Context ctx) {
        return ctx.hasKey(Ctx.CARD) && ctx.<CardProgram>get(Ctx.PROGRAM).currency().equals(ctx.<Currency>get(Ctx.CURRENCY));
    }

    private static void postOnCard(Context ctx, long amount) {
        long card = cardAccount(ctx);
        String currency = cardCurrency(ctx);
        long merchant = merchantAccount(ctx, currency);
        Balance balance = withConnection(ctx, c -> issuer().ledger().lockBalance(c, card));
        long cardPart = Math.min(Math.max(balance.available(), 0), amount);
        long shortfall = amount - cardPart;
        List<Transfer> legs = new ArrayList<>(2);
        TransferId cardLeg = transferId(ctx, CARD_LEG);
        TransferId shortfallLeg = transferId(ctx, SHORTFALL_LEG);
        if (cardPart > 0) legs.add(Transfer.singlePhase(cardLeg, card, merchant, cardPart, TransferCode.ADVICE, reference(ctx)));
        if (shortfall > 0) {
            long recovery = issuer().accounts().operator(AccountKind.RECOVERY, currency);
            legs.add(Transfer.singlePhase(shortfallLeg, recovery, merchant, shortfall, TransferCode.ADVICE_SHORTFALL, reference(ctx)));
        }
        requireOk(apply(ctx, legs));
        if (cardPart > 0) recordCardLeg(ctx, cardLeg, cardPart);
        if (shortfall > 0) recordShortfallLeg(ctx, shortfallLeg, shortfall);
        recordBalance(ctx, card);
    }

    private static void postToSuspense(Context ctx, long amount) {
        String currency = ctx.<Currency>get(Ctx.CURRENCY).getCurrencyCode();
        long suspense = issuer().accounts().operator(AccountKind.SUSPENSE, currency);
        TransferId id = transferId(ctx, SHORTFALL_LEG);
        requireOk(apply(ctx, List.of(Transfer.singlePhase(id, suspense, merchantAccount(ctx, currency), amount,
                TransferCode.ADVICE_SHORTFALL, reference(ctx)))));
        recordShortfallLeg(ctx, id, amount);
    }
}
