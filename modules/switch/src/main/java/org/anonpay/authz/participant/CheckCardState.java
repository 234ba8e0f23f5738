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
        Card card = ctx.get(Ctx.CARD);
        ISOMsg request = ctx.get(Ctx.REQUEST);
        Decline stateDecline = switch (card.state()) {
            case ACTIVE -> null;
            case FROZEN -> Decline.CARD_FROZEN;
            case LOST -> Decline.CARD_LOST;
            case STOLEN -> Decline.CARD_STOLEN;
            case CLOSED -> Decline.CARD_CLOSED;
            case EXPIRED -> Decline.CARD_EXPIRED;
        };
        if (stateDecline != null) decline(ctx, stateDecline);
        else if (card.expiry().isBefore(YearMonth.now(ZoneId.of("UTC")))) decline(ctx, Decline.CARD_EXPIRED);
        else if (request.hasField(14) && !card.expiry().format(FIELD_14).equals(request.getString(14))) decline(ctx, Decline.EXPIRY_MISMATCH);
        else if (!ctx.<CardProgram>get(Ctx.PROGRAM).currency().equals(ctx.<Currency>get(Ctx.CURRENCY))) decline(ctx, Decline.CURRENCY_NOT_PERMITTED);
    }
}
