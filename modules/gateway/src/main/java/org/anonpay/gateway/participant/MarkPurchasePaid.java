// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.participant;

import java.time.Duration;
import java.time.Instant;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.MessageKey;
import org.anonpay.authz.TransactionType;
import org.anonpay.authz.participant.AuthorizationStep;
import org.anonpay.gateway.purchase.Purchase;
import org.anonpay.gateway.purchase.Purchases;
import org.hibernate.Session;
import org.jpos.transaction.Context;

/**
 * A matched wallet purchase becomes PAID in the same database transaction as the debit or hold
 * that pays it, after the money participants approved. A declined payment (e.g. insufficient
 * funds) leaves the purchase pending: the member may top up and the mall may ask again.
 */
public final class MarkPurchasePaid extends AuthorizationStep {

    private final Purchases purchases = new Purchases(Duration.ofMinutes(15));

    public MarkPurchasePaid() {
        super(types(TransactionType.AUTHORIZATION, TransactionType.PURCHASE));
    }

    @Override
    protected void decide(Context ctx) {
        Purchase purchase = ctx.get(MatchPurchase.PURCHASE);
        if (purchase == null) return;
        MessageKey key = ctx.get(Ctx.MESSAGE_KEY);
        Session session = ctx.get(Ctx.DB_SESSION);
        Purchases.PayStatus status = session.doReturningWork(c -> purchases.markPaid(c, purchase, key.toString(), Instant.now()));
        // the row has been locked since MatchPurchase found it PENDING: anything else is a bug, and
        // the exception makes the whole transaction roll back (answer 96) rather than pay twice
        if (status != Purchases.PayStatus.PAID) throw new IllegalStateException("matched purchase not pending at payment: " + status);
    }
}
