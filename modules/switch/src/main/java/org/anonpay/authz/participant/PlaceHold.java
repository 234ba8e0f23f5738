// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.util.List;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.TransactionType;
import org.anonpay.ledger.Transfer;
import org.anonpay.ledger.TransferCode;
import org.anonpay.ledger.TransferId;
import org.jpos.transaction.Context;

/**
 * 0100: reserves the amount on the card (a pending ledger transfer to the merchant) until a
 * completion posts it or a reversal releases it. Amount 0 is an account verification: the card
 * checks ran, nothing is held.
 */
public final class PlaceHold extends MoneyStep {

    public PlaceHold() {
        super(types(TransactionType.AUTHORIZATION));
    }

    @Override
    protected void decide(Context ctx) {
        long amount = ctx.get(Ctx.AMOUNT);
        long card = cardAccount(ctx);
        if (amount > 0) {
            TransferId id = transferId(ctx, CARD_LEG);
            Transfer hold = Transfer.pending(id, card, merchantAccount(ctx, cardCurrency(ctx)), amount, TransferCode.AUTHORIZATION, reference(ctx));
            declineIfGuarded(ctx, apply(ctx, List.of(hold)));
            recordCardLeg(ctx, id, amount);
        }
        recordBalance(ctx, card);
    }
}
