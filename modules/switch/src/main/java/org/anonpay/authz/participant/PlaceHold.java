// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.util.List;
import java.util.Optional;
import org.anonpay.authz.TransactionType;
import org.anonpay.ledger.Transfer;
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
        Optional<Transfer> hold = spendingTransfer(ctx);
        if (hold.isPresent()) {
            declineIfGuarded(ctx, apply(ctx, List.of(hold.get())));
            recordCardLeg(ctx, hold.get().id(), hold.get().amount());
        }
        recordBalance(ctx, cardAccount(ctx));
    }
}
