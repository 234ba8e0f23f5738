// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.Currency;
import java.util.concurrent.TimeUnit;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.authz.Journal;
import org.anonpay.authz.JournalEntry;
import org.anonpay.authz.MessageKey;
import org.anonpay.authz.SensitivePan;
import org.anonpay.authz.TransactionType;
import org.anonpay.issuer.Card;
import org.anonpay.ledger.TransferId;
import org.hibernate.Session;
import org.jpos.iso.ISOMsg;
import org.jpos.transaction.Context;
import org.jpos.transaction.TransactionParticipant;

/**
 * Journals the financial message with its answer (masked PAN, amount, response code, the
 * transfers it made, time taken), in the same database transaction as its money. Its unique
 * message key is what makes a racing duplicate fail here and be answered as a repeat.
 */
public final class WriteJournal implements TransactionParticipant {

    @Override
    public int prepare(long id, Serializable serializable) {
        Context ctx = (Context) serializable;
        if (!journaled(ctx)) return PREPARED | NO_JOIN | READONLY;
        return AuthorizationStep.guarded(ctx, () -> {
            Session session = ctx.get(Ctx.DB_SESSION);
            JournalEntry entry = entry(ctx);
            Journal.write(session, entry); // a racing repeat fails here, on the unique message key
            ctx.put(Ctx.JOURNAL_ENTRY, entry);
            return PREPARED | NO_JOIN;
        });
    }

    private static boolean journaled(Context ctx) {
        return ctx.hasKey(Ctx.DB_SESSION) && !ctx.hasKey(Ctx.REPLAY_OF) && ctx.get(Ctx.DECLINE) != Decline.DUPLICATE_TRANSMISSION;
    }

    static JournalEntry entry(Context ctx) {
        ISOMsg request = ctx.get(Ctx.REQUEST);
        MessageKey key = ctx.get(Ctx.MESSAGE_KEY);
        Decline decline = ctx.get(Ctx.DECLINE);
        Card card = ctx.get(Ctx.CARD);
        SensitivePan pan = ctx.get(Ctx.PAN);
        JournalEntry original = ctx.get(Ctx.ORIGINAL);
        Currency currency = ctx.get(Ctx.CURRENCY);
        return new JournalEntry(request.getString(0), ctx.<TransactionType>get(Ctx.TYPE), key)
                .request(request.getString(3), request.getString(42), request.getString(37), ctx.get(DetectDuplicate.FINGERPRINT))
                .merchantName(request.getString(43))
                .money(ctx.<Long>get(Ctx.AMOUNT), currency == null ? null : currency.getCurrencyCode(), ctx.<LocalDate>get(CheckMessage.BUSINESS_DATE))
                .card(card == null ? null : card.id(), pan != null ? pan.masked() : card != null ? card.maskedPan() : null)
                .outcome(decline == null ? Decline.APPROVED : decline.responseCode(), decline, ctx.get(Ctx.APPROVAL_CODE),
                        BuildResponse.balances(ctx))
                .transfers(bytes(ctx.get(Ctx.CARD_TRANSFER)), amount(ctx, Ctx.CARD_AMOUNT),
                        bytes(ctx.get(Ctx.SHORTFALL_TRANSFER)), amount(ctx, Ctx.SHORTFALL_AMOUNT))
                .original(original == null ? null : original.id())
                .took(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - ctx.<Long>get(Ctx.RECEIVED_NANOS)));
    }

    private static long amount(Context ctx, String key) {
        Long amount = ctx.get(key);
        return amount == null ? 0 : amount;
    }

    private static byte[] bytes(TransferId id) {
        return id == null ? null : id.bytes();
    }
}
