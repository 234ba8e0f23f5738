// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.io.Serializable;
import java.security.SecureRandom;
import java.util.Currency;
import java.util.Optional;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.authz.JournalEntry;
import org.anonpay.authz.TransactionType;
import org.anonpay.iso.AdditionalAmounts;
import org.anonpay.issuer.CardProgram;
import org.anonpay.ledger.Balance;
import org.jpos.iso.ISOMsg;
import org.jpos.transaction.Context;
import org.jpos.transaction.TransactionParticipant;

/**
 * Builds the answer: the request's fields echoed (never its card secrets), field 39 from the
 * decline (or 00), an approval code (38) for approved financial messages and the card's ledger
 * and available balances (54) when they were read. A repeat gets its original's answer.
 */
public final class BuildResponse implements TransactionParticipant {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public int prepare(long id, Serializable serializable) {
        Context ctx = (Context) serializable;
        return AuthorizationStep.guarded(ctx, () -> {
            ISOMsg request = ctx.get(Ctx.REQUEST);
            JournalEntry original = ctx.get(Ctx.REPLAY_OF);
            Optional<ISOMsg> response = original != null ? Responses.replay(request, original) : fresh(ctx, request);
            response.ifPresent(r -> ctx.put(Ctx.RESPONSE, r));
            return PREPARED | NO_JOIN | READONLY;
        });
    }

    private static Optional<ISOMsg> fresh(Context ctx, ISOMsg request) {
        Decline decline = ctx.get(Ctx.DECLINE);
        String responseCode = decline == null ? Decline.APPROVED : decline.responseCode();
        TransactionType type = ctx.get(Ctx.TYPE);
        // a batch gave its approved messages their codes already: the journal row holds it
        String approvalCode = ctx.get(Ctx.APPROVAL_CODE);
        if (approvalCode == null && decline == null && type != null && type.financial()) approvalCode = approvalCode();
        if (approvalCode != null) ctx.put(Ctx.APPROVAL_CODE, approvalCode);
        return Responses.answer(request, responseCode, approvalCode, balances(ctx));
    }

    static String approvalCode() {
        return String.format("%06d", RANDOM.nextInt(1_000_000));
    }

    /** Field 54: ledger (01) and available (02) balance of the card, in its currency. */
    static String balances(Context ctx) {
        Balance balance = ctx.get(Ctx.BALANCE);
        if (balance == null || !ctx.hasKey(Ctx.PROGRAM)) return null;
        Currency currency = ctx.<CardProgram>get(Ctx.PROGRAM).currency();
        return AdditionalAmounts.balances(currency.getNumericCodeAsString(), balance.posted(), balance.available()).format();
    }
}
