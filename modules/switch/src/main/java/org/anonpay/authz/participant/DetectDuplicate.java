// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.authz.IssuerService;
import org.anonpay.authz.Journal;
import org.anonpay.authz.JournalEntry;
import org.anonpay.authz.MessageKey;
import org.anonpay.authz.SensitivePan;
import org.jpos.iso.ISOMsg;
import org.jpos.transaction.Context;
import org.jpos.transaction.TransactionParticipant;

/**
 * A repeat (same acquirer, terminal, STAN, transmission time and MTI class; or the MTI ending in
 * 1) finds the journal entry of its original: the original response is answered again and
 * nothing else runs. The same key with different content (another amount, card or type) is not
 * a repeat but a clash: declined 94 and not journaled.
 */
public final class DetectDuplicate implements TransactionParticipant {

    public static final String FINGERPRINT = "FINGERPRINT";

    @Override
    public int prepare(long id, Serializable serializable) {
        Context ctx = (Context) serializable;
        if (!ctx.hasKey(Ctx.DB_SESSION)) return PREPARED | NO_JOIN | READONLY;
        return AuthorizationStep.guarded(ctx, () -> detect(ctx));
    }

    private static int detect(Context ctx) {
        byte[] fingerprint = fingerprint(ctx);
        ctx.put(FINGERPRINT, fingerprint);
        // a message whose key ClaimMessageKey claims next is looked up there, only when the claim
        // finds the key taken: one statement fewer for every new message. Not a repeat-flagged one:
        // its original's claim may have been purged (AuthorizationRetention), its journal row never is
        if (ClaimMessageKey.willClaim(ctx) && !repeatFlagged(ctx)) return PREPARED | NO_JOIN | READONLY;
        Optional<JournalEntry> earlier = Journal.find(ctx.get(Ctx.DB_SESSION), ctx.<MessageKey>get(Ctx.MESSAGE_KEY));
        earlier.ifPresent(e -> judge(ctx, e));
        return PREPARED | NO_JOIN | READONLY;
    }

    /** The MTI says the acquirer repeats a message it sent before (0201, 0221, 0401, …: last digit 1). */
    static boolean repeatFlagged(Context ctx) {
        String mti = ctx.<ISOMsg>get(Ctx.REQUEST).getString(0);
        return mti != null && mti.length() == 4 && mti.charAt(3) == '1';
    }

    /** A message whose key is journaled already: a true repeat is answered again, anything else is a clash (94). */
    static void judge(Context ctx, JournalEntry earlier) {
        if (Arrays.equals(earlier.requestFingerprint(), ctx.get(FINGERPRINT))) {
            ctx.put(Ctx.REPLAY_OF, earlier);
        } else {
            ctx.put(Ctx.DECLINE, Decline.DUPLICATE_TRANSMISSION);
        }
    }

    /** SHA-256 over what a true repeat repeats; the card enters as its keyed look-up hash only. */
    static byte[] fingerprint(Context ctx) {
        ISOMsg m = ctx.get(Ctx.REQUEST);
        SensitivePan pan = ctx.get(Ctx.PAN);
        // a wallet payment names its card through the purchase reference (field 48 tag 93); field 48
        // as a whole is not taken: it may hold a CVV2, which must not enter a stored hash
        String card = pan != null ? HexFormat.of().formatHex(IssuerService.get().vault().lookupHash(pan.reveal()))
                : org.anonpay.iso.AdditionalData.parse(m.getString(48)).flatMap(d -> d.get(org.anonpay.iso.AdditionalData.TAG_PURCHASE_REF)).orElse("");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {String.valueOf(ctx.<Object>get(Ctx.TYPE)), m.getString(3), m.getString(4),
                    m.getString(49), m.getString(90), card}) {
                sha.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '|');
            }
            return sha.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is always present", e);
        }
    }
}
