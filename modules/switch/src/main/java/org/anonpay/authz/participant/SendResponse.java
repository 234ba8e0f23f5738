// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.io.IOException;
import java.io.Serializable;
import java.util.Optional;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.authz.IssuerService;
import org.anonpay.authz.Journal;
import org.anonpay.authz.JournalEntry;
import org.anonpay.authz.MessageKey;
import org.hibernate.Session;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISOSource;
import org.jpos.transaction.Context;

/**
 * Sends the answer once the transaction is decided: in commit (after CommitTransaction made it
 * durable), or in abort. An aborted message is answered 96, unless it lost a race with a
 * repeat of itself whose original is now journaled: then that original's answer is sent, the
 * same one every other repeat gets. A message whose MTI could not be read has no answer: its
 * connection is closed.
 */
public final class SendResponse extends AfterDecision {

    @Override
    public void commit(long id, Serializable serializable) {
        Context ctx = (Context) serializable;
        send(ctx, Optional.ofNullable(ctx.get(Ctx.RESPONSE)));
    }

    @Override
    public void abort(long id, Serializable serializable) {
        Context ctx = (Context) serializable;
        ISOMsg request = ctx.get(Ctx.REQUEST);
        Optional<JournalEntry> original = journaledOriginal(ctx);
        if (original.isEmpty()) ctx.put(Ctx.DECLINE, Decline.SYSTEM_ERROR);
        else ctx.put(Ctx.REPLAY_OF, original.get());
        Optional<ISOMsg> response = original.flatMap(o -> Responses.replay(request, o))
                .or(() -> Responses.answer(request, Decline.SYSTEM_ERROR.responseCode(), null, null));
        response.ifPresent(r -> ctx.put(Ctx.RESPONSE, r));
        send(ctx, response);
    }

    private static Optional<JournalEntry> journaledOriginal(Context ctx) {
        MessageKey key = ctx.get(Ctx.MESSAGE_KEY);
        if (key == null) return Optional.empty();
        byte[] fingerprint = ctx.get(DetectDuplicate.FINGERPRINT);
        try (Session session = IssuerService.get().database().sessionFactory().openSession()) {
            // only a true repeat (same content) may be given the original's answer
            return Journal.find(session, key).filter(o -> java.util.Arrays.equals(o.requestFingerprint(), fingerprint));
        } catch (RuntimeException e) {
            AuthorizationStep.reportFailure(ctx, e);
            return Optional.empty();
        }
    }

    private static void send(Context ctx, Optional<ISOMsg> response) {
        ISOSource source = ctx.get(Ctx.SOURCE);
        if (source == null || !source.isConnected()) return;
        try {
            if (response.isPresent()) source.send(response.get());
            else closeConnection(source);
        } catch (IOException | ISOException e) {
            AuthorizationStep.reportFailure(ctx, e);
        }
    }

    private static void closeConnection(ISOSource source) throws IOException {
        org.anonpay.iso.AnonpayChannel.closeConnection(source);
    }
}
