// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.util.List;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.authz.Journal;
import org.anonpay.authz.JournalEntry;
import org.anonpay.authz.TransactionType;
import org.anonpay.ledger.StoredTransfer;
import org.anonpay.ledger.Transfer;
import org.anonpay.ledger.TransferCode;
import org.anonpay.ledger.TransferId;
import org.jpos.transaction.Context;

/**
 * 0220: posts the hold of the authorization named in field 90, for the held amount or less;
 * the ledger releases the rest. An authorization can be completed once, and not after a reversal.
 */
public final class PostCompletion extends MoneyStep {

    public PostCompletion() {
        super(types(TransactionType.COMPLETION));
    }

    @Override
    protected void decide(Context ctx) {
        JournalEntry authorization = ctx.get(Ctx.ORIGINAL);
        long amount = ctx.get(Ctx.AMOUNT);
        if (!openHold(authorization)) {
            decline(ctx, Decline.AUTHORIZATION_NOT_OPEN);
            return;
        }
        if (amount > authorization.cardAmount()) {
            decline(ctx, Decline.COMPLETION_EXCEEDS_HOLD);
            return;
        }
        TransferId holdId = new TransferId(authorization.cardTransferId());
        StoredTransfer hold = withConnection(ctx, c -> issuer().ledger().findTransfer(c, holdId)).orElseThrow();
        TransferId id = transferId(ctx, CARD_LEG);
        requireOk(apply(ctx, List.of(Transfer.postPending(id, holdId, hold.debitAccountId(), hold.creditAccountId(), amount,
                TransferCode.COMPLETION, reference(ctx)))));
        Journal.markCompleted(ctx.get(Ctx.DB_SESSION), authorization, amount);
        recordCardLeg(ctx, id, amount);
        recordBalance(ctx, hold.debitAccountId());
    }

    /** Whether the authorization holds money a completion may post (also for BatchedCompletions). */
    static boolean openHold(JournalEntry authorization) {
        return authorization.type() == TransactionType.AUTHORIZATION && authorization.approved()
                && authorization.cardTransferId() != null && !authorization.reversed() && authorization.completedAmount() == null;
    }
}
