// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.util.List;
import org.anonpay.authz.TransactionType;
import org.anonpay.ledger.Transfer;
import org.jpos.transaction.Context;

/** 0200 purchase: debits the card and credits the merchant's payable at once. */
public final class DebitPurchase extends MoneyStep {

    public DebitPurchase() {
        super(types(TransactionType.PURCHASE));
    }

    @Override
    protected void decide(Context ctx) {
        Transfer debit = spendingTransfer(ctx).orElseThrow();
        declineIfGuarded(ctx, apply(ctx, List.of(debit)));
        recordCardLeg(ctx, debit.id(), debit.amount());
        recordBalance(ctx, debit.debitAccountId());
    }
}
