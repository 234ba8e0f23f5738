// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.util.Optional;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.authz.SensitivePan;
import org.anonpay.iso.AdditionalData;
import org.anonpay.issuer.Card;
import org.anonpay.issuer.CardIssuer;
import org.jpos.iso.ISOMsg;
import org.jpos.transaction.Context;

/**
 * Verifies what the cardholder presented, through the issuer's security module: the CVV2 in
 * field 48 (tag 92) and the ISO format 0 PIN block in field 52, each when present. A wrong PIN is
 * counted on the locked card row; the third in a row blocks PIN use (75).
 */
public final class VerifyCardholder extends AuthorizationStep {

    public VerifyCardholder() {
        super(cardPresented());
    }

    @Override
    protected void decide(Context ctx) {
        ISOMsg request = ctx.get(Ctx.REQUEST);
        Card card = ctx.get(Ctx.CARD);
        SensitivePan sensitive = ctx.get(Ctx.PAN);
        // a wallet payment carries no card data: the member proved who they are by logging in
        // to the wallet, and the purchase they confirmed there was matched (MISSION.md b5, b7)
        if (sensitive == null) return;
        String pan = sensitive.reveal();
        CardIssuer issuer = issuer().issuer();
        Optional<String> cvv2 = AdditionalData.cvv2(request);
        if (cvv2.isPresent() && !issuer.checkCvv2(card, pan, cvv2.get())) {
            decline(ctx, Decline.CVV2_MISMATCH);
            return;
        }
        if (!request.hasField(52)) return;
        switch (issuer.checkPin(ctx.get(Ctx.DB_SESSION), card, pan, request.getBytes(52))) {
            case VERIFIED -> { }
            case WRONG_PIN -> decline(ctx, Decline.PIN_INCORRECT);
            case TRIES_EXCEEDED -> decline(ctx, Decline.PIN_TRIES_EXCEEDED);
            case FORMAT_ERROR -> decline(ctx, Decline.PIN_INCORRECT);
        }
    }
}
