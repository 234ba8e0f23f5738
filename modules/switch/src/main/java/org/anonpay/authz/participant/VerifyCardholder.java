// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.util.Optional;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.authz.SensitivePan;
import org.anonpay.iso.AdditionalData;
import org.anonpay.issuer.Card;
import org.anonpay.issuer.CardIssuer;
import org.anonpay.issuer.PinCheck;
import org.hibernate.Session;
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
        SensitivePan sensitive = ctx.get(Ctx.PAN);
        // a wallet payment carries no card data: the member proved who they are by logging in
        // to the wallet, and the purchase they confirmed there was matched (MISSION.md b5, b7)
        if (sensitive == null) return;
        CardIssuer issuer = issuer().issuer();
        Session session = ctx.get(Ctx.DB_SESSION);
        Decline refusal = refusal(ctx.get(Ctx.CARD), sensitive.reveal(), ctx.get(Ctx.REQUEST), issuer,
                (card, pan, block) -> issuer.checkPin(session, card, pan, block));
        if (refusal != null) decline(ctx, refusal);
    }

    /** Checks a PIN block against the locked card and counts a wrong one, in the caller's transaction. */
    @FunctionalInterface
    interface PinChecker {
        PinCheck check(Card lockedCard, String pan, byte[] pinBlock) throws java.sql.SQLException;
    }

    /**
     * Why the cardholder is not verified (CVV2 or PIN), or null; shared with the batch form
     * (AuthorizationBatch), which checks PINs on its own connection.
     */
    static Decline refusal(Card card, String pan, ISOMsg request, CardIssuer issuer, PinChecker pins) {
        Optional<String> cvv2 = AdditionalData.cvv2(request);
        if (cvv2.isPresent() && !issuer.checkCvv2(card, pan, cvv2.get())) return Decline.CVV2_MISMATCH;
        if (!request.hasField(52)) return null;
        PinCheck result;
        try {
            result = pins.check(card, pan, request.getBytes(52));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot count a wrong PIN", e);
        }
        return switch (result) {
            case VERIFIED -> null;
            case WRONG_PIN, FORMAT_ERROR -> Decline.PIN_INCORRECT;
            case TRIES_EXCEEDED -> Decline.PIN_TRIES_EXCEEDED;
        };
    }
}
