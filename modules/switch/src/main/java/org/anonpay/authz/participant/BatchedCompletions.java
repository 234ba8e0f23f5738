// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.authz.Journal;
import org.anonpay.authz.JournalEntry;
import org.anonpay.authz.MessageKey;
import org.anonpay.authz.TransactionType;
import org.anonpay.issuer.Card;
import org.anonpay.issuer.CardIssuer;
import org.anonpay.ledger.StoredTransfer;
import org.anonpay.ledger.Transfer;
import org.anonpay.ledger.TransferCode;
import org.anonpay.ledger.TransferGroup;
import org.anonpay.ledger.TransferId;
import org.jpos.transaction.Context;

/**
 * The completions (0220) of an {@link AuthorizationBatch}, decided as FindOriginal and
 * PostCompletion decide them one by one, with a statement for all of them at each step instead of
 * ~11 each: their authorizations locked (one statement), their cards read (one), their holds locked
 * with the batch's ledger rows ({@link TransferGroup}), each hold posted in memory in arrival order,
 * the authorizations marked completed (one statement) when the batch writes.
 * <p>A completion is only put in a batch after the batch that held its authorization
 * (AuthorizationBatches): its authorization is journaled before it is looked for.
 */
final class BatchedCompletions {

    private final List<Context> completions;
    /** Entry id of each authorization completed in this batch, and the amount. */
    private final Map<Long, Long> completedById = new LinkedHashMap<>();

    BatchedCompletions(List<Context> completions) {
        assert completions.stream().allMatch(BatchedCompletions::isCompletion) : "completions only";
        this.completions = completions;
    }

    static boolean isCompletion(Context ctx) {
        return ctx.get(Ctx.TYPE) == TransactionType.COMPLETION;
    }

    /**
     * FindOriginal for all: each completion's authorization, locked (in the order of the journal's
     * unique key, the same for every batch), and its card; a completion of an unknown authorization
     * is declined 25.
     */
    void findOriginals(Connection c, CardIssuer cards) throws SQLException {
        if (completions.isEmpty()) return;
        List<MessageKey> keys = new ArrayList<>(completions.size());
        for (Context ctx : completions) keys.add(ctx.get(Ctx.ORIGINAL_KEY));
        Map<MessageKey, JournalEntry> originals = Journal.lockOriginals(c, keys);
        SortedSet<Long> cardIds = new TreeSet<>();
        for (Context ctx : completions) {
            JournalEntry original = originals.get(ctx.<MessageKey>get(Ctx.ORIGINAL_KEY));
            if (original == null) {
                AuthorizationStep.decline(ctx, Decline.ORIGINAL_NOT_FOUND);
                continue;
            }
            ctx.put(Ctx.ORIGINAL, original);
            if (original.cardId() != null) cardIds.add(original.cardId());
        }
        Map<Long, Card> byId = cardIds.isEmpty() ? Map.of() : cards.readCards(c, cardIds);
        for (Context ctx : completions) {
            JournalEntry original = ctx.get(Ctx.ORIGINAL);
            Card card = original == null || original.cardId() == null ? null : byId.get(original.cardId());
            if (card != null) ctx.put(Ctx.CARD, card);
        }
    }

    /** The holds the batch's ledger group must lock: those of the completions' open authorizations. */
    List<TransferId> holdIds() {
        List<TransferId> ids = new ArrayList<>();
        for (Context ctx : completions) {
            JournalEntry original = ctx.get(Ctx.ORIGINAL);
            if (original != null && PostCompletion.openHold(original)) ids.add(new TransferId(original.cardTransferId()));
        }
        return ids;
    }

    /**
     * PostCompletion for one, on the group as the messages before it left it. {@code spent} is the
     * batch's day's spending by card (the authorization's business date): a completion for less than
     * the hold lowers it, as it lowers the journal's sum.
     */
    void decideOne(Context ctx, TransferGroup group, Map<LocalDate, Map<Long, Long>> spent) {
        if (AuthorizationStep.declined(ctx)) return;
        JournalEntry authorization = ctx.get(Ctx.ORIGINAL);
        long amount = ctx.get(Ctx.AMOUNT);
        if (!PostCompletion.openHold(authorization)) {
            AuthorizationStep.decline(ctx, Decline.AUTHORIZATION_NOT_OPEN);
            return;
        }
        if (amount > authorization.cardAmount()) {
            AuthorizationStep.decline(ctx, Decline.COMPLETION_EXCEEDS_HOLD);
            return;
        }
        TransferId holdId = new TransferId(authorization.cardTransferId());
        // locked at the group's opening; absent only if the journal names a hold the ledger lacks (a bug): fall back
        StoredTransfer hold = group.pending(holdId).orElseThrow(() -> new IllegalStateException("hold of " + authorization.key() + " not locked"));
        TransferId id = MoneyStep.transferId(ctx, MoneyStep.CARD_LEG);
        Transfer post = Transfer.postPending(id, holdId, hold.debitAccountId(), hold.creditAccountId(), amount,
                TransferCode.COMPLETION, MoneyStep.reference(ctx));
        MoneyStep.requireOk(group.add(post)); // any refusal is unexpected here: the batch falls back
        lowerSpending(spent, authorization, amount);
        authorization.markCompleted(amount); // the object only: written for all by write()
        completedById.put(authorization.id(), amount);
        MoneyStep.recordCardLeg(ctx, id, amount);
        ctx.put(Ctx.BALANCE, group.balance(hold.debitAccountId()));
        ctx.put(Ctx.APPROVAL_CODE, BuildResponse.approvalCode());
    }

    private static void lowerSpending(Map<LocalDate, Map<Long, Long>> spent, JournalEntry authorization, long amount) {
        Map<Long, Long> day = spent.get(authorization.businessDate());
        if (day != null && authorization.cardId() != null && day.containsKey(authorization.cardId())) {
            day.merge(authorization.cardId(), amount - authorization.cardAmount(), Math::addExact);
        }
    }

    /** Journal.markCompleted for all, one statement (before the batch's journal rows, which name these ids). */
    void write(Connection c) {
        Journal.markCompletedAll(c, new HashMap<>(completedById));
    }
}
