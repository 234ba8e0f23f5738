// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.util.List;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.authz.TransactionType;
import org.anonpay.issuer.CardProgram;
import org.anonpay.ledger.AccountKind;
import org.anonpay.ledger.Balance;
import org.anonpay.ledger.Transfer;
import org.anonpay.ledger.TransferCode;
import org.anonpay.ledger.TransferId;
import org.jpos.transaction.Context;

/**
 * Puts money on the card, up to its program's maximum balance: a refund (0200 processing code
 * 20) comes from the merchant's payable, a load (processing code 21: cash at a desk, a transfer,
 * a credit card charge) from the operator's funding clearing.
 */
public final class CreditCard extends MoneyStep {

    public CreditCard() {
        super(types(TransactionType.REFUND, TransactionType.LOAD));
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
        boolean load = ctx.get(Ctx.TYPE) == TransactionType.LOAD;
        long from = load ? issuer().accounts().operator(AccountKind.FUNDING_CLEARING, cardCurrency(ctx))
                : merchantAccount(ctx, cardCurrency(ctx));
        TransferId id = transferId(ctx, CARD_LEG);
        TransferCode code = load ? TransferCode.LOAD : TransferCode.REFUND;
        requireOk(apply(ctx, List.of(Transfer.singlePhase(id, from, card, amount, code, reference(ctx)))));
        recordCardLeg(ctx, id, amount);
        recordBalance(ctx, card);
    }
}
