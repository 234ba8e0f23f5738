// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.util.List;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.authz.TransactionType;
import org.anonpay.issuer.CardProgram;
import org.anonpay.ledger.Balance;
import org.anonpay.ledger.Transfer;
import org.anonpay.ledger.TransferCode;
import org.anonpay.ledger.TransferId;
import org.jpos.transaction.Context;

/** 0200 processing code 20: the merchant gives money back to the card, up to the program's maximum balance. */
public final class CreditRefund extends MoneyStep {

    public CreditRefund() {
        super(types(TransactionType.REFUND));
    }

    @Override
    protected void decide(Context ctx) {
        long amount = ctx.get(Ctx.AMOUNT);
        long card = cardAccount(ctx);
        Balance before = withConnection(ctx, c -> issuer().ledger().lockBalance(c, card));
        if (Math.addExact(before.posted(), amount) > ctx.<CardProgram>get(Ctx.PROGRAM).maxBalance()) {
            decline(ctx, Decline.OVER_MAXIMUM_BALANCE);
            return;
        }
        TransferId id = transferId(ctx, CARD_LEG);
        requireOk(apply(ctx, List.of(Transfer.singlePhase(id, merchantAccount(ctx, cardCurrency(ctx)), card, amount, TransferCode.REFUND, reference(ctx)))));
        recordCardLeg(ctx, id, amount);
        recordBalance(ctx, card);
    }
}
