// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.DaySpending;
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
import org.anonpay.ledger.TransferResult;
import org.jpos.transaction.Context;

/**
 * The completions (0220) and reversals (0400/0420) of an {@link AuthorizationBatch}: the messages
 * that name an original. They are decided as FindOriginal, PostCompletion and ReverseOriginal
 * decide them one by one, with a statement for all of them at each step instead of ~10 each:
 * their originals locked (one statement), their cards read (one), the originals' card transfers
 * locked with the batch's ledger rows ({@link TransferGroup}), each hold posted or voided, or
 * each posted transfer mirrored, in memory in arrival order; the originals marked completed or
 * reversed (one statement each) when the batch writes.
 * <p>A reversal the batch cannot decide as ReverseOriginal would is <em>left</em> to the
 * participants, untouched (nothing of it is written; reversals claim no key): one of an original
 * not journaled (it claims the original's key, an insert racing the original), of an original with
 * a shortfall leg, or of a refund the card has spent meanwhile (the card gives what it has, the
 * rest is booked to recovery). A completion or reversal is put in a batch only after the batch
 * that held its original (AuthorizationBatches): its original is journaled before it is looked for.
 */
final class BatchedFollowUps {

    /** Marks a message of a committed batch that the batch left to the participants. */
    static final String LEFT_TO_ONE_BY_ONE = "LEFT_TO_ONE_BY_ONE";

    private final List<Context> followUps;
    /** Entry id of each authorization completed in this batch, and the amount. */
    private final Map<Long, Long> completedById = new LinkedHashMap<>();
    /** Entry ids of the originals reversed in this batch. */
    private final List<Long> reversedIds = new ArrayList<>();
    /** The batch's changes to the cards' running day's spending, written with its journal rows. */
    private final DaySpending daySpending;

    BatchedFollowUps(List<Context> followUps, DaySpending daySpending) {
        assert followUps.stream().allMatch(BatchedFollowUps::isFollowUp) : "completions and reversals only";
        this.followUps = followUps;
        this.daySpending = daySpending;
    }

    static boolean isFollowUp(Context ctx) {
        TransactionType type = ctx.get(Ctx.TYPE);
        return type == TransactionType.COMPLETION || type == TransactionType.REVERSAL;
    }

    static boolean isLeft(Context ctx) {
        return ctx.hasKey(LEFT_TO_ONE_BY_ONE);
    }

    /**
     * FindOriginal for all: each message's original, locked (in the order of the journal's unique
     * key, the same for every batch), and its card. A completion of an unknown authorization is
     * declined 25; a reversal of an unknown original is left to the participants.
     */
    void findOriginals(Connection c, CardIssuer cards) throws SQLException {
        if (followUps.isEmpty()) return;
        List<MessageKey> keys = new ArrayList<>(followUps.size());
        for (Context ctx : followUps) keys.add(ctx.get(Ctx.ORIGINAL_KEY));
        Map<MessageKey, JournalEntry> originals = Journal.lockOriginals(c, keys);
        SortedSet<Long> cardIds = new TreeSet<>();
        for (Context ctx : followUps) {
            JournalEntry original = originals.get(ctx.<MessageKey>get(Ctx.ORIGINAL_KEY));
            if (original == null) {
                if (ctx.get(Ctx.TYPE) == TransactionType.COMPLETION) AuthorizationStep.decline(ctx, Decline.ORIGINAL_NOT_FOUND);
                else leave(ctx);
                continue;
            }
            ctx.put(Ctx.ORIGINAL, original);
            if (original.cardId() != null) cardIds.add(original.cardId());
        }
        Map<Long, Card> byId = cardIds.isEmpty() ? Map.of() : cards.readCards(c, cardIds);
        for (Context ctx : followUps) {
            JournalEntry original = ctx.get(Ctx.ORIGINAL);
            Card card = original == null || original.cardId() == null ? null : byId.get(original.cardId());
            if (card != null) ctx.put(Ctx.CARD, card);
        }
    }

    /**
     * The card transfers the batch's ledger group must lock (after the card rows): the holds the
     * completions post, the transfers the reversals void or mirror.
     */
    List<TransferId> transferIds() {
        List<TransferId> ids = new ArrayList<>();
        for (Context ctx : followUps) {
            JournalEntry original = ctx.get(Ctx.ORIGINAL);
            if (original == null || isLeft(ctx)) continue;
            boolean needed = ctx.get(Ctx.TYPE) == TransactionType.COMPLETION ? PostCompletion.openHold(original)
                    : ReverseOriginal.reversible(original) && original.cardTransferId() != null;
            if (needed) ids.add(new TransferId(original.cardTransferId()));
        }
        return ids;
    }

    /** PostCompletion or ReverseOriginal for one, on the group as the messages before it left it. */
    void decideOne(Context ctx, TransferGroup group, Map<LocalDate, Map<Long, Long>> spent) {
        if (AuthorizationStep.declined(ctx) || isLeft(ctx)) return;
        if (ctx.get(Ctx.TYPE) == TransactionType.COMPLETION) complete(ctx, group, spent);
        else reverse(ctx, group, spent);
    }

    /** PostCompletion. */
    private void complete(Context ctx, TransferGroup group, Map<LocalDate, Map<Long, Long>> spent) {
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
        StoredTransfer hold = locked(group, holdId, authorization);
        TransferId id = MoneyStep.transferId(ctx, MoneyStep.CARD_LEG);
        Transfer post = Transfer.postPending(id, holdId, hold.debitAccountId(), hold.creditAccountId(), amount,
                TransferCode.COMPLETION, MoneyStep.reference(ctx));
        MoneyStep.requireOk(group.add(post)); // any refusal is unexpected here: the batch falls back
        // the object only: its row is written for all by write(), its day's spending with the journal rows
        recount(spent, authorization, daySpending.changed(authorization, () -> authorization.markCompleted(amount)));
        completedById.put(authorization.id(), amount);
        MoneyStep.recordCardLeg(ctx, id, amount);
        ctx.put(Ctx.BALANCE, group.balance(hold.debitAccountId()));
        ctx.put(Ctx.APPROVAL_CODE, BuildResponse.approvalCode());
    }

    /**
     * ReverseOriginal: a hold still pending is voided, a posted transfer mirrored; an original that
     * is not reversible (declined, reversed, completed, …) is acknowledged and moves nothing.
     */
    private void reverse(Context ctx, TransferGroup group, Map<LocalDate, Map<Long, Long>> spent) {
        JournalEntry original = ctx.get(Ctx.ORIGINAL);
        if (ReverseOriginal.reversible(original)) {
            if (original.shortfallTransferId() != null) {
                leave(ctx); // two legs, one of them an advice's shortfall: rare, left to ReverseOriginal
                return;
            }
            if (original.cardTransferId() != null && !undo(ctx, group, original)) return;
            recount(spent, original, daySpending.changed(original, original::markReversed)); // as for a completion
            reversedIds.add(original.id());
        }
        Card card = ctx.get(Ctx.CARD);
        if (card != null) ctx.put(Ctx.BALANCE, group.balance(card.ledgerAccountId()));
        ctx.put(Ctx.APPROVAL_CODE, BuildResponse.approvalCode());
    }

    /** Adds the undoing transfer; false when the message was left (a refund the card cannot give back in full). */
    private boolean undo(Context ctx, TransferGroup group, JournalEntry original) {
        StoredTransfer t = locked(group, new TransferId(original.cardTransferId()), original);
        TransferId id = MoneyStep.transferId(ctx, MoneyStep.CARD_LEG);
        String reference = MoneyStep.reference(ctx);
        Transfer undo = switch (t.kind()) {
            case PENDING -> Transfer.voidPending(id, t.id(), t.debitAccountId(), t.creditAccountId(), TransferCode.AUTHORIZATION_RELEASE, reference);
            case SINGLE_PHASE, POST_PENDING -> Transfer.singlePhase(id, t.creditAccountId(), t.debitAccountId(), t.amount(), TransferCode.REVERSAL, reference);
            case VOID_PENDING -> throw new IllegalStateException("a void is never an original's leg");
        };
        TransferResult result = group.add(undo);
        if (result == TransferResult.EXCEEDS_CREDITS) {
            leave(ctx); // nothing of it was accepted: ReverseOriginal splits it between the card and recovery
            return false;
        }
        MoneyStep.requireOk(result); // anything else is unexpected here: the batch falls back
        MoneyStep.recordCardLeg(ctx, id, original.cardAmount());
        return true;
    }

    /** Locked at the group's opening; absent only if the journal names a transfer the ledger lacks (a bug): fall back. */
    private static StoredTransfer locked(TransferGroup group, TransferId id, JournalEntry original) {
        return group.pending(id).orElseThrow(() -> new IllegalStateException("transfer of " + original.key() + " not locked"));
    }

    private static void leave(Context ctx) {
        ctx.remove(Ctx.ORIGINAL);
        ctx.remove(Ctx.CARD);
        ctx.put(LEFT_TO_ONE_BY_ONE, Boolean.TRUE);
    }

    /**
     * {@code spent} is the batch's day's spending by card and business date, as CheckLimits reads it
     * (or the card's live debits standing in for it, never less than it): a completion for less
     * than the hold and a reversal lower what their original counts there by {@code change} (from
     * {@link DaySpending#changed}), so a later message of the batch sees it.
     */
    private static void recount(Map<LocalDate, Map<Long, Long>> spent, JournalEntry original, long change) {
        if (change == 0) return;
        Map<Long, Long> day = spent.get(original.businessDate());
        if (day == null || !day.containsKey(original.cardId())) return;
        day.merge(original.cardId(), change, Math::addExact);
    }

    /** Journal.markCompleted and markReversed for all, a statement each (before the batch's journal rows). */
    void write(Connection c) {
        Journal.markCompletedAll(c, completedById);
        Journal.markReversedAll(c, reversedIds);
    }
}
