// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.Set;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.authz.IssuerService;
import org.anonpay.authz.TransactionType;
import org.jpos.transaction.Context;
import org.jpos.transaction.TransactionParticipant;

/**
 * The shape of every decision step of the authorization: it runs only for the transaction types
 * it names, only while nothing has been declined and the message is not a repeat, and it reports
 * a decline as a {@link Decline} in the context, never by exception. A declined message still
 * goes on to be journaled and answered (so, e.g., a wrong PIN is counted); an exception is a
 * programmer or system error: the database work is rolled back and the answer is 96.
 */
public abstract class AuthorizationStep implements TransactionParticipant {

    private final Set<TransactionType> types;

    protected AuthorizationStep(Set<TransactionType> types) {
        this.types = EnumSet.copyOf(types);
    }

    @Override
    public final int prepare(long id, Serializable serializable) {
        Context ctx = (Context) serializable;
        if (!applies(ctx)) return PREPARED | NO_JOIN | READONLY;
        try {
            decide(ctx);
            return PREPARED | NO_JOIN;
        } catch (RuntimeException e) {
            AuthorizationStep.reportFailure(ctx, e);
            decline(ctx, Decline.SYSTEM_ERROR);
            return ABORTED;
        }
    }

    private boolean applies(Context ctx) {
        TransactionType type = ctx.get(Ctx.TYPE);
        return type != null && types.contains(type) && !declined(ctx) && !ctx.hasKey(Ctx.REPLAY_OF) && !ctx.hasKey(Ctx.DECIDED_IN_BATCH);
    }

    /** Does this step's one thing; calls {@link #decline} to refuse the message. */
    protected abstract void decide(Context ctx);

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("anonpay.authorization");

    /** A system failure: logged with the message key (never the message, which holds card data). */
    static void reportFailure(Context ctx, Exception e) {
        LOG.warn("failure deciding {}: {}", ctx.get(Ctx.MESSAGE_KEY, "(no key)"), e.toString(), e);
    }

    /**
     * Runs a participant's prepare so that a failure is reported here (the transaction manager
     * logs no context: it would print the request's card data) and becomes an abort (96).
     */
    static int guarded(Context ctx, java.util.function.IntSupplier prepare) {
        try {
            return prepare.getAsInt();
        } catch (RuntimeException e) {
            reportFailure(ctx, e);
            if (!ctx.hasKey(Ctx.DECLINE)) ctx.put(Ctx.DECLINE, Decline.SYSTEM_ERROR);
            return ABORTED;
        }
    }

    protected static void decline(Context ctx, Decline reason) {
        if (!ctx.hasKey(Ctx.DECLINE)) ctx.put(Ctx.DECLINE, reason);
    }

    protected static boolean declined(Context ctx) {
        return ctx.hasKey(Ctx.DECLINE);
    }

    protected static IssuerService issuer() {
        return IssuerService.get();
    }

    protected static Set<TransactionType> types(TransactionType first, TransactionType... rest) {
        return EnumSet.of(first, rest);
    }

    /** The types where the cardholder presents the card: it must be usable and is verified. */
    protected static Set<TransactionType> cardPresented() {
        Set<TransactionType> types = EnumSet.noneOf(TransactionType.class);
        for (TransactionType t : TransactionType.values()) if (t.presentsCard()) types.add(t);
        return types;
    }
}
