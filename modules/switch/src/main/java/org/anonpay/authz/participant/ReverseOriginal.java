// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Journal;
import org.anonpay.authz.JournalEntry;
import org.anonpay.authz.TransactionType;
import org.anonpay.ledger.AccountKind;
import org.anonpay.ledger.Balance;
import org.anonpay.ledger.StoredTransfer;
import org.anonpay.ledger.Transfer;
import org.anonpay.ledger.TransferCode;
import org.anonpay.ledger.TransferId;
import org.anonpay.ledger.TransferResult;
import org.jpos.transaction.Context;

/**
 * 0400/0420: undoes exactly the ledger transfers the original message made. A hold still
 * pending is voided; a posted transfer is answered by its mirror image (credit and debit
 * swapped, same amount). A reversal of an unknown, declined or already reversed original is
 * acknowledged and moves nothing. An authorization already completed is not reversed here: its
 * completion is what the acquirer must reverse (so money cannot be credited back twice).
 */
public final class ReverseOriginal extends MoneyStep {

    public ReverseOriginal() {
        super(types(TransactionType.REVERSAL));
    }

    @Override
    protected void decide(Context ctx) {
        JournalEntry original = ctx.get(Ctx.ORIGINAL);
        if (!reversible(original)) return;
        List<Transfer> undo = new ArrayList<>(2);
        mirror(ctx, original.cardTransferId(), CARD_LEG).ifPresent(undo::add);
        mirror(ctx, original.shortfallTransferId(), SHORTFALL_LEG).ifPresent(undo::add);
        TransferResult result = apply(ctx, undo);
        if (result == TransferResult.EXCEEDS_CREDITS) result = apply(ctx, withShortfall(ctx, undo));
        requireOk(result);
        Journal.markReversed(ctx.get(Ctx.DB_SESSION), original);
        if (!undo.isEmpty()) {
            Transfer first = undo.getFirst();
            recordCardLeg(ctx, first.id(), original.cardAmount());
        }
        if (ctx.hasKey(Ctx.CARD)) recordBalance(ctx, cardAccount(ctx));
    }

    /**
     * Undoing a refund takes money back from the card, which may have spent it meanwhile. A
     * reversal must still be accepted: the card gives what it has, the rest is booked to the
     * operator's recovery account (as for a stand-in advice), and the card never goes below zero.
     */
    private static List<Transfer> withShortfall(Context ctx, List<Transfer> undo) {
        Transfer cardDebit = undo.getFirst();
        Balance balance = withConnection(ctx, c -> issuer().ledger().lockBalance(c, cardDebit.debitAccountId()));
        long cardPart = Math.min(Math.max(balance.available(), 0), cardDebit.amount());
        long shortfall = cardDebit.amount() - cardPart;
        String currency = withConnection(ctx, c -> issuer().ledger().findAccount(c, cardDebit.debitAccountId())).orElseThrow().currency();
        long recovery = issuer().accounts().operator(AccountKind.RECOVERY, currency);
        List<Transfer> split = new ArrayList<>(undo.subList(1, undo.size()));
        if (cardPart > 0) split.add(Transfer.singlePhase(cardDebit.id(), cardDebit.debitAccountId(), cardDebit.creditAccountId(), cardPart, TransferCode.REVERSAL, reference(ctx)));
        split.add(Transfer.singlePhase(transferId(ctx, SHORTFALL_LEG), recovery, cardDebit.creditAccountId(), shortfall, TransferCode.ADVICE_SHORTFALL, reference(ctx)));
        return split;
    }

    /** Whether the reversal moves money back (also for BatchedFollowUps); else it is acknowledged and moves nothing. */
    static boolean reversible(JournalEntry original) {
        if (original == null || !original.approved() || original.reversed()) return false;
        boolean completedAuthorization = original.type() == TransactionType.AUTHORIZATION && original.completedAmount() != null;
        return !completedAuthorization && original.type().financial() && original.type() != TransactionType.REVERSAL;
    }

    /** The transfer that undoes {@code originalId}: a void for a pending hold, a mirror for a posted one. */
    private static Optional<Transfer> mirror(Context ctx, byte[] originalId, String leg) {
        if (originalId == null) return Optional.empty();
        TransferId id = transferId(ctx, leg);
        StoredTransfer t = withConnection(ctx, c -> issuer().ledger().findTransfer(c, new TransferId(originalId))).orElseThrow();
        return Optional.of(switch (t.kind()) {
            case PENDING -> Transfer.voidPending(id, t.id(), t.debitAccountId(), t.creditAccountId(), TransferCode.AUTHORIZATION_RELEASE, reference(ctx));
            case SINGLE_PHASE, POST_PENDING -> Transfer.singlePhase(id, t.creditAccountId(), t.debitAccountId(), t.amount(), TransferCode.REVERSAL, reference(ctx));
            case VOID_PENDING -> throw new IllegalStateException("a void is never an original's leg");
        });
    }
}
