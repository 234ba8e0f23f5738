// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.issuer.Card;
import org.anonpay.issuer.CardProgram;
import org.jpos.iso.ISOMsg;
import org.jpos.transaction.Context;

/**
 * The card may be used: its state is ACTIVE, it has not expired, the expiry the terminal sent
 * (field 14) is the card's, and the message's currency is the card program's.
 */
public final class CheckCardState extends AuthorizationStep {

    private static final DateTimeFormatter FIELD_14 = DateTimeFormatter.ofPattern("yyMM");

    public CheckCardState() {
        super(cardPresented());
    }

    @Override
    protected void decide(Context ctx) {
        Decline refusal = refusal(ctx.get(Ctx.CARD), ctx.get(Ctx.PROGRAM), ctx.get(Ctx.REQUEST), ctx.get(Ctx.CURRENCY));
        if (refusal != null) decline(ctx, refusal);
    }

    /** Why the card may not be used for this message, or null (shared with the batch form, AuthorizationBatch). */
    static Decline refusal(Card card, CardProgram program, ISOMsg request, Currency currency) {
        Decline stateDecline = switch (card.state()) {
            case ACTIVE -> null;
            case FROZEN -> Decline.CARD_FROZEN;
            case LOST -> Decline.CARD_LOST;
            case STOLEN -> Decline.CARD_STOLEN;
            case CLOSED -> Decline.CARD_CLOSED;
            case EXPIRED -> Decline.CARD_EXPIRED;
        };
        if (stateDecline != null) return stateDecline;
        if (card.expiry().isBefore(YearMonth.now(ZoneId.of("UTC")))) return Decline.CARD_EXPIRED;
        if (request.hasField(14) && !card.expiry().format(FIELD_14).equals(request.getString(14))) return Decline.EXPIRY_MISMATCH;
        if (!program.currency().equals(currency)) return Decline.CURRENCY_NOT_PERMITTED;
        return null;
    }
}
