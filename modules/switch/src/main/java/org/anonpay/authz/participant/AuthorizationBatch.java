// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.anonpay.authz.CardUse;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.DaySpending;
import org.anonpay.authz.Decline;
import org.anonpay.authz.IssuerService;
import org.anonpay.authz.Journal;
import org.anonpay.authz.JournalEntry;
import org.anonpay.authz.KeyClaims;
import org.anonpay.authz.MessageKey;
import org.anonpay.authz.SensitivePan;
import org.anonpay.issuer.Card;
import org.anonpay.issuer.CardControls;
import org.anonpay.issuer.CardIssuer;
import org.anonpay.issuer.CardProgram;
import org.anonpay.issuer.LockedCard;
import org.anonpay.ledger.Balance;
import org.anonpay.ledger.Transfer;
import org.anonpay.ledger.TransferGroup;
import org.anonpay.ledger.TransferResult;
import org.jpos.iso.ISOMsg;
import org.jpos.transaction.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch form of the card authorization (issue 6, docs/performance.md "Batch-form
 * authorization"): the 0100 and 0200 card messages, the 0220 completions and the 0400/0420
 * reversals that arrived together are decided in one database transaction with a few statements
 * for all of them, instead of ~9 to ~11 each (the completions' and reversals' own steps:
 * {@link BatchedFollowUps}):
 * <ol>
 *   <li>their message keys claimed (one multi-row INSERT; a key taken by a repeat or an early
 *       reversal makes the whole batch fall back, see below);</li>
 *   <li>their cards and member controls read and locked (one statement, in the order of the PAN
 *       look-up hash index, the same for every batch);</li>
 *   <li>the cards' ledger rows locked (one statement, ascending id: {@link TransferGroup}) and the
 *       day's spending of every card summed (one statement, grouped by card);</li>
 *   <li>each message decided in arrival order, in memory, by the very checks the participants run
 *       one by one (CheckCardState, VerifyCardholder, CheckLimits, CheckCardControls, the ledger's
 *       balance guard): a card's second message sees its first one's hold, debit and spending;</li>
 *   <li>the transfers, the changed card totals and the journal rows written (one multi-row
 *       statement each), and one commit.</li>
 * </ol>
 * Each message's answer (BuildResponse, SendResponse) is made from its context as before, after the
 * commit. A message is answered 00 only once its ledger change is durable.
 * <p><b>Falling back.</b> Anything unusual (a taken key, a deadlock, a ledger refusal other than the
 * balance guard, a database failure) rolls the whole batch back, clears what it wrote into the
 * contexts, and every message of it is decided one by one by the participants, as if no batch had
 * been tried. Nothing of a batch is left that could make a message move money twice: either the
 * commit happened (and a message decided again finds its key journaled and is answered as a
 * repeat) or nothing did.
 */
final class AuthorizationBatch {

    private static final Logger LOG = LoggerFactory.getLogger("anonpay.authorization");

    /** What became of a batch. */
    enum Outcome {
        /** Decided, journaled and committed: every message is answered from its context. */
        COMMITTED,
        /** Rolled back and its context entries removed: each message is to be decided one by one. */
        FELL_BACK
    }

    /**
     * The steps of a batch, in their order, for the wall time ops see of each in the per-minute
     * summary: where a batch's time goes is where the latency of every message in it goes.
     */
    enum Phase { CLAIM_KEYS, LOCK_CARDS, LOCK_LEDGER, READ_SPENDING, DECIDE, WRITE, COMMIT }

    /** The context entries a batch writes into its messages, removed again when it falls back. */
    private static final List<String> WRITTEN = List.of(Ctx.CARD, Ctx.CARD_CONTROLS, Ctx.PROGRAM, Ctx.DECLINE, Ctx.ORIGINAL,
            Ctx.CARD_TRANSFER, Ctx.CARD_AMOUNT, Ctx.BALANCE, Ctx.APPROVAL_CODE, Ctx.JOURNAL_ENTRY, DetectDuplicate.FINGERPRINT,
            BatchedFollowUps.LEFT_TO_ONE_BY_ONE);

    private final IssuerService issuer;
    /** In arrival order, each with a key of its own. */
    private final List<Context> messages;
    /** The 0100 and 0200 of {@link #messages}, in arrival order (the rest are follow-ups). */
    private final List<Context> spending;
    private final BatchedFollowUps followUps;
    /** The cards' running day's spending as the batch changes it: its follow-ups' and its journal rows'. */
    private final DaySpending daySpending = new DaySpending();
    /** Wall time per {@link Phase}, added to (the caller sums them over many batches). */
    private final long[] phaseNanos;
    private long phaseStartNanos = System.nanoTime();

    private AuthorizationBatch(IssuerService issuer, List<Context> messages, long[] phaseNanos) {
        this.issuer = issuer;
        this.messages = messages;
        this.spending = messages.stream().filter(m -> !BatchedFollowUps.isFollowUp(m)).toList();
        this.followUps = new BatchedFollowUps(messages.stream().filter(BatchedFollowUps::isFollowUp).toList(), daySpending);
        this.phaseNanos = phaseNanos;
    }

    /**
     * Decides {@code messages} (distinct keys, arrival order) in one transaction, or falls back;
     * adds the wall time of each {@link Phase} it went through to {@code phaseNanos}.
     */
    static Outcome run(IssuerService issuer, List<Context> messages, long[] phaseNanos) {
        assert messages.stream().map(m -> m.get(Ctx.MESSAGE_KEY)).distinct().count() == messages.size() : "one message per key";
        assert phaseNanos.length == Phase.values().length : "a time per phase";
        AuthorizationBatch batch = new AuthorizationBatch(issuer, messages, phaseNanos);
        try (Connection c = issuer.database().dataSource().getConnection()) {
            return batch.runOn(c);
        } catch (SQLException | RuntimeException e) {
            return batch.fallBack(e);
        }
    }

    private Outcome runOn(Connection c) throws SQLException {
        try {
            if (!decide(c)) {
                c.rollback();
                clearContexts();
                return Outcome.FELL_BACK;
            }
            c.commit();
            ended(Phase.COMMIT);
            return Outcome.COMMITTED;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
    }

    /**
     * Also when the commit itself failed: whether it happened or not, deciding again one by one
     * finds the truth (the key journaled: a repeat; not: a new message).
     */
    private Outcome fallBack(Exception cause) {
        clearContexts();
        // the message of a SQLException names keys and ids, never card data (the database holds none in clear)
        LOG.warn("a batch of {} authorizations fell back to one by one: {}", messages.size(), cause.toString());
        return Outcome.FELL_BACK;
    }

    private void clearContexts() {
        for (Context ctx : messages) WRITTEN.forEach(ctx::remove);
    }

    /** True when every message is decided and journaled (not yet committed); false: fall back. */
    private boolean decide(Connection c) throws SQLException {
        List<MessageKey> keys = new ArrayList<>(messages.size());
        for (Context ctx : messages) {
            // a reversal claims no key of its own, as ClaimMessageKey claims none for it: its journal row's unique key tells a repeat
            if (ctx.get(Ctx.TYPE) != org.anonpay.authz.TransactionType.REVERSAL) keys.add(ctx.get(Ctx.MESSAGE_KEY));
            ctx.put(DetectDuplicate.FINGERPRINT, DetectDuplicate.fingerprint(ctx));
        }
        // a key taken means a repeat or a reversal that came first: ClaimMessageKey tells which, one by one
        if (!keys.isEmpty() && !KeyClaims.claimAll(c, keys)) return false;
        ended(Phase.CLAIM_KEYS);
        lockCards(c);
        followUps.findOriginals(c, issuer.issuer());
        ended(Phase.LOCK_CARDS);
        TransferGroup group = openLedgerGroup(c);
        ended(Phase.LOCK_LEDGER);
        Map<LocalDate, Map<Long, Long>> spent = group == null ? Map.of() : spentToday(c, group);
        ended(Phase.READ_SPENDING);
        for (Context ctx : messages) {
            if (BatchedFollowUps.isFollowUp(ctx)) followUps.decideOne(ctx, group, spent);
            else decideOne(c, ctx, group, spent.get(ctx.<LocalDate>get(CheckMessage.BUSINESS_DATE)));
        }
        ended(Phase.DECIDE);
        if (group != null) group.write();
        followUps.write(c);
        journal(c);
        ended(Phase.WRITE);
        return true;
    }

    private void ended(Phase phase) {
        long now = System.nanoTime();
        phaseNanos[phase.ordinal()] += now - phaseStartNanos;
        phaseStartNanos = now;
    }

    /** FindCard for all: the card, its controls and program in each context, or CARD_NOT_FOUND. */
    private void lockCards(Connection c) throws SQLException {
        if (spending.isEmpty()) return;
        List<String> pans = new ArrayList<>(spending.size());
        for (Context ctx : spending) pans.add(ctx.<SensitivePan>get(Ctx.PAN).reveal());
        Map<String, LockedCard> cards = issuer.issuer().lockAllForAuthorization(c, pans);
        for (Context ctx : spending) {
            LockedCard locked = cards.get(ctx.<SensitivePan>get(Ctx.PAN).reveal());
            Optional<CardProgram> program = locked == null ? Optional.empty() : issuer.programs().byId(locked.card().programId());
            if (program.isEmpty()) { // no such card, or its program was undeployed
                AuthorizationStep.decline(ctx, Decline.CARD_NOT_FOUND);
                continue;
            }
            ctx.put(Ctx.CARD, locked.card());
            ctx.put(Ctx.CARD_CONTROLS, locked.controls());
            ctx.put(Ctx.PROGRAM, program.get());
        }
    }

    /**
     * The ledger rows of the batch's cards, then the transfers its follow-ups post, void or mirror,
     * locked; null when no message has a card.
     */
    private TransferGroup openLedgerGroup(Connection c) {
        SortedSet<Long> cardAccounts = new TreeSet<>();
        for (Context ctx : messages) {
            Card card = ctx.get(Ctx.CARD);
            if (card != null) cardAccounts.add(card.ledgerAccountId());
        }
        return cardAccounts.isEmpty() ? null : issuer.ledger().openGroup(c, cardAccounts, followUps.transferIds());
    }

    /**
     * CheckLimits' day's spending for every card, by business date (one statement per date: nearly
     * always one), read only for the cards a daily limit could refuse. A card's day's spending is
     * never more than its live debits (debits posted + pending of its ledger row): every approved,
     * unreversed spending message of the day took or holds its card amount there. So when the live
     * debits plus everything this batch asks of the card stay within its program's and its member's
     * daily limits, no limit can refuse any of its messages, whatever the exact figure: the live
     * debits stand in for it, and the batch sends one statement less.
     */
    private Map<LocalDate, Map<Long, Long>> spentToday(Connection c, TransferGroup group) {
        Map<Long, Long> askedByCard = new HashMap<>();
        for (Context ctx : spending) {
            Card card = ctx.get(Ctx.CARD);
            if (card != null) askedByCard.merge(card.id(), ctx.<Long>get(Ctx.AMOUNT), Math::addExact);
        }
        Map<LocalDate, Map<Long, Long>> spent = new HashMap<>();
        Map<LocalDate, SortedSet<Long>> toRead = new TreeMap<>();
        for (Context ctx : spending) {
            Card card = ctx.get(Ctx.CARD);
            if (card == null) continue;
            LocalDate date = ctx.get(CheckMessage.BUSINESS_DATE);
            Balance totals = group.balance(card.ledgerAccountId());
            long liveDebits = Math.addExact(totals.debitsPosted(), totals.debitsPending());
            if (Math.addExact(liveDebits, askedByCard.get(card.id())) <= smallestDailyLimit(ctx)) {
                spent.computeIfAbsent(date, d -> new HashMap<>()).put(card.id(), liveDebits);
            } else {
                toRead.computeIfAbsent(date, d -> new TreeSet<>()).add(card.id());
            }
        }
        toRead.forEach((date, cards) -> spent.computeIfAbsent(date, d -> new HashMap<>()).putAll(Journal.spentOnAll(c, cards, date)));
        return spent;
    }

    /** The program's daily limit, or the member's when lower. */
    private static long smallestDailyLimit(Context ctx) {
        long limit = ctx.<CardProgram>get(Ctx.PROGRAM).limitDaily();
        CardControls controls = ctx.get(Ctx.CARD_CONTROLS);
        return controls == null || controls.limitDaily() == null ? limit : Math.min(limit, controls.limitDaily());
    }

    /** The participants' decision for one message, on the locked rows as the messages before it left them. */
    private void decideOne(Connection c, Context ctx, TransferGroup group, Map<Long, Long> spent) {
        if (AuthorizationStep.declined(ctx)) return;
        Decline refusal = checkCard(c, ctx, spent);
        if (refusal != null) {
            AuthorizationStep.decline(ctx, refusal);
            return;
        }
        Card card = ctx.get(Ctx.CARD);
        Optional<Transfer> transfer = MoneyStep.spendingTransfer(ctx);
        if (transfer.isPresent()) {
            TransferResult result = group.add(transfer.get());
            MoneyStep.declineIfGuarded(ctx, result); // any refusal but the guard throws: the batch falls back
            MoneyStep.recordCardLeg(ctx, transfer.get().id(), transfer.get().amount());
            if (result.ok()) spent.merge(card.id(), transfer.get().amount(), Math::addExact);
        }
        ctx.put(Ctx.BALANCE, group.balance(card.ledgerAccountId()));
        if (!AuthorizationStep.declined(ctx)) ctx.put(Ctx.APPROVAL_CODE, BuildResponse.approvalCode());
    }

    /** CheckCardState, VerifyCardholder, CheckLimits and CheckCardControls, in their order. */
    private Decline checkCard(Connection c, Context ctx, Map<Long, Long> spent) {
        Card card = ctx.get(Ctx.CARD);
        CardProgram program = ctx.get(Ctx.PROGRAM);
        ISOMsg request = ctx.get(Ctx.REQUEST);
        long amount = ctx.get(Ctx.AMOUNT);
        Decline refusal = CheckCardState.refusal(card, program, request, ctx.<Currency>get(Ctx.CURRENCY));
        if (refusal != null) return refusal;
        CardIssuer cards = issuer.issuer();
        refusal = VerifyCardholder.refusal(card, ctx.<SensitivePan>get(Ctx.PAN).reveal(), request, cards,
                (locked, pan, block) -> cards.checkPin(c, locked, pan, block));
        if (refusal != null) return refusal;
        long spentToday = spent.getOrDefault(card.id(), 0L);
        refusal = CheckLimits.refusal(program, request, amount, () -> spentToday);
        if (refusal != null) return refusal;
        // not put as Ctx.SPENT_TODAY: it may be the live debits standing in for the sum (spentToday above)
        return CheckCardControls.refusal(ctx.get(Ctx.CARD_CONTROLS), CardUse.of(request), amount, () -> spentToday);
    }

    /** WriteJournal for all but the messages left to the participants, one statement. */
    private void journal(Connection c) {
        List<Context> decided = messages.stream().filter(m -> !BatchedFollowUps.isLeft(m)).toList();
        List<JournalEntry> entries = new ArrayList<>(decided.size());
        for (Context ctx : decided) entries.add(WriteJournal.entry(ctx));
        Journal.writeAll(c, entries, daySpending);
        for (int i = 0; i < decided.size(); i++) decided.get(i).put(Ctx.JOURNAL_ENTRY, entries.get(i));
    }
}
