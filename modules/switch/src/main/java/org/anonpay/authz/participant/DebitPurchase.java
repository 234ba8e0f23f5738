// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.util.List;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.TransactionType;
import org.anonpay.ledger.Transfer;
import org.anonpay.ledger.TransferCode;
import org.anonpay.ledger.TransferId;
import org.jpos.transaction.Context;

/** 0200 purchase: debits the card and credits the merchant's payable at once. */
public final class DebitPurchase extends MoneyStep {

    public DebitPurchase() {
        super(types(TransactionType.PURCHASE));
    }

    @Override
    protected void decide(Context ctx) {
        long amount = ctx.get(Ctx.AMOUNT);
        long card = cardAccount(ctx);
        TransferId id = transferId(ctx, CARD_LEG);
        Transfer debit = Transfer.singlePhase(id, card, merchantAccount(ctx, cardCurrency(ctx)), amount, TransferCode.PURCHASE, reference(ctx));
        declineIfGuarded(ctx, apply(ctx, List.of(debit)));
        recordCardLeg(ctx, id, amount);
        recordBalance(ctx, card);
    }
}
