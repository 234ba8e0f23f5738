// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.authz.MessageKey;
import org.anonpay.authz.TransactionType;
import org.anonpay.issuer.Card;
import org.anonpay.issuer.CardProgram;
import org.anonpay.ledger.Balance;
import org.anonpay.ledger.Ledger;
import org.anonpay.ledger.Transfer;
import org.anonpay.ledger.TransferId;
import org.anonpay.ledger.TransferResult;
import org.hibernate.Session;
import org.jpos.iso.ISOMsg;
import org.jpos.transaction.Context;

/**
 * What the participants that move money share: the ledger calls inside the message's database
 * transaction, the merchant's account, and recording which transfers the message made (so a
 * reversal can undo exactly those).
 */
abstract class MoneyStep extends AuthorizationStep {

    static final String CARD_LEG = "card";
    static final String SHORTFALL_LEG = "shortfall";
    /** The card balances the last {@link #apply} left (Map of account id to Balance), for {@link #recordBalance}. */
    private static final String CARD_BALANCES = "CARD_BALANCES";

    MoneyStep(Set<TransactionType> types) {
        super(types);
    }

    static <T> T withConnection(Context ctx, Function<Connection, T> work) {
        return ctx.<Session>get(Ctx.DB_SESSION).doReturningWork(work::apply);
    }

    /** Applies the transfers all-or-nothing; returns the first failure, or CREATED/EXISTS. */
    static TransferResult apply(Context ctx, List<Transfer> transfers) {
        Ledger.Applied applied = withConnection(ctx, c -> issuer().ledger().applyTransfers(c, transfers));
        ctx.put(CARD_BALANCES, applied.cardBalances());
        List<TransferResult> results = applied.results();
        return results.stream().filter(r -> !r.ok() && r != TransferResult.LINKED_EVENT_FAILED).findFirst()
                .orElse(results.isEmpty() ? TransferResult.CREATED : results.getFirst());
    }

    /** Any result other than success or the balance guard is a programmer error here. */
    static void requireOk(TransferResult result) {
        if (!result.ok()) throw new IllegalStateException("ledger refused a transfer: " + result);
    }

    /**
     * The card leg a spending message makes: a 0200 purchase debits the card for the merchant at
     * once, a 0100 holds the amount (PENDING); empty for a 0100 of 0 (an account verification).
     * Shared with the batch form (AuthorizationBatch).
     */
    static java.util.Optional<Transfer> spendingTransfer(Context ctx) {
        long amount = ctx.get(Ctx.AMOUNT);
        TransactionType type = ctx.get(Ctx.TYPE);
        assert type == TransactionType.PURCHASE || type == TransactionType.AUTHORIZATION : type;
        if (type == TransactionType.AUTHORIZATION && amount == 0) return java.util.Optional.empty();
        TransferId id = transferId(ctx, CARD_LEG);
        long card = cardAccount(ctx);
        long merchant = merchantAccount(ctx, cardCurrency(ctx));
        return java.util.Optional.of(type == TransactionType.PURCHASE
                ? Transfer.singlePhase(id, card, merchant, amount, org.anonpay.ledger.TransferCode.PURCHASE, reference(ctx))
                : Transfer.pending(id, card, merchant, amount, org.anonpay.ledger.TransferCode.AUTHORIZATION, reference(ctx)));
    }

    static TransferId transferId(Context ctx, String leg) {
        return ctx.<MessageKey>get(Ctx.MESSAGE_KEY).transferId(leg);
    }

    static String reference(Context ctx) {
        return ctx.<MessageKey>get(Ctx.MESSAGE_KEY).toString();
    }

    static long merchantAccount(Context ctx, String currency) {
        ISOMsg request = ctx.get(Ctx.REQUEST);
        return issuer().accounts().merchant(ctx.<MessageKey>get(Ctx.MESSAGE_KEY).acquirerId(), request.getString(42), currency);
    }

    static String cardCurrency(Context ctx) {
        return ctx.<CardProgram>get(Ctx.PROGRAM).currency().getCurrencyCode();
    }

    static long cardAccount(Context ctx) {
        return ctx.<Card>get(Ctx.CARD).ledgerAccountId();
    }

    static void recordCardLeg(Context ctx, TransferId id, long amount) {
        ctx.put(Ctx.CARD_TRANSFER, id);
        ctx.put(Ctx.CARD_AMOUNT, amount);
    }

    static void recordShortfallLeg(Context ctx, TransferId id, long amount) {
        ctx.put(Ctx.SHORTFALL_TRANSFER, id);
        ctx.put(Ctx.SHORTFALL_AMOUNT, amount);
    }

    /**
     * The card's balance after the move, for field 54: as the ledger returned it from the transfers
     * just applied (no statement), else read.
     */
    static void recordBalance(Context ctx, long accountId) {
        Map<Long, Balance> applied = ctx.get(CARD_BALANCES, Map.of());
        Balance balance = applied.get(accountId);
        if (balance == null) balance = withConnection(ctx, c -> issuer().ledger().balance(c, accountId));
        ctx.put(Ctx.BALANCE, balance);
    }

    static void declineIfGuarded(Context ctx, TransferResult result) {
        if (result == TransferResult.EXCEEDS_CREDITS) decline(ctx, Decline.INSUFFICIENT_FUNDS);
        else requireOk(result);
    }
}
