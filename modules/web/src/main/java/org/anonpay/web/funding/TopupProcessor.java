// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.funding;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.anonpay.db.Database;
import org.anonpay.extissuer.ChargeResult;
import org.anonpay.extissuer.ExternalIssuerClient;
import org.anonpay.extissuer.ReversalResult;
import org.anonpay.issuer.Card;
import org.anonpay.issuer.CardIssuer;
import org.anonpay.issuer.CardProgram;
import org.anonpay.web.funding.FundingSources.Source;
import org.anonpay.web.funding.TopupStore.Change;
import org.anonpay.web.funding.TopupStore.Topup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a top-up through its {@link TopupState}s: fund (charge the credit card at its issuer, or
 * debit the bank account), then load (0200/21 through the transaction manager), and undo the
 * funding when its outcome is unknown or the load was refused. Every step writes its outcome
 * before the next begins, and every step is safe to repeat (the charge id, the bank transfer id
 * and the load's message key all come from the top-up's id), so a worker that dies anywhere
 * leaves a row the recovery can finish:
 * <ul>
 *   <li>PENDING found by the recovery: the funding's outcome is unknown, so it is undone
 *       (reverseCharge / refund, both harmless if nothing was charged) and the top-up ends REVERSED;</li>
 *   <li>FUNDED: loaded again under the same key (a load that did run is answered from the journal);</li>
 *   <li>REVERSAL_PENDING / REFUND_PENDING: the undoing is repeated until acknowledged.</li>
 * </ul>
 * A worker holds a row through its lease (topup.lease_until); the recovery only takes rows whose
 * lease has run out, so it never races a request still at work.
 */
final class TopupProcessor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("anonpay.web.topup");

    private final Database db;
    private final TopupStore store;
    private final FundingSources sources;
    private final CardIssuer issuer;
    private final ExternalIssuers issuers;
    private final BankTransfers bank;
    private final TopupLoads loads;
    private final Duration lease;
    private ScheduledExecutorService recovery;

    TopupProcessor(Database db, TopupStore store, FundingSources sources, CardIssuer issuer, ExternalIssuers issuers,
                   BankTransfers bank, TopupLoads loads, Duration lease) {
        this.db = db;
        this.store = store;
        this.sources = sources;
        this.issuer = issuer;
        this.issuers = issuers;
        this.bank = bank;
        this.loads = loads;
        this.lease = lease;
    }

    Duration lease() {
        return lease;
    }

    // ---------------------------------------------------------------- running one top-up

    /**
     * Works on a row this worker holds the lease of until it is finished or can make no progress
     * now (no answer), then gives the lease up. {@code fresh}: the row was just written by this
     * request, so PENDING means "not yet funded" rather than "outcome unknown".
     */
    Topup run(long id, boolean fresh) {
        try {
            Topup t = store.byId(id).orElseThrow();
            while (!t.state().finished()) {
                TopupState before = t.state();
                step(t, fresh);
                fresh = false;
                t = store.byId(id).orElseThrow();
                // no answer this time, or an undoing not yet acknowledged: the recovery comes back to it
                if (t.state() == before || t.state() == TopupState.REVERSAL_PENDING || t.state() == TopupState.REFUND_PENDING) break;
            }
            return t;
        } finally {
            store.release(id);
        }
    }

    private void step(Topup t, boolean fresh) {
        Source source = db.inJdbcTransaction(c -> sources.anySource(c, t.memberRef(), t.sourceId())).orElseThrow();
        switch (t.state()) {
            case PENDING -> {
                if (fresh) fund(t, source);
                else undo(t, source, TopupState.PENDING);
            }
            case FUNDED -> load(t, source);
            case REVERSAL_PENDING -> undo(t, source, TopupState.REVERSAL_PENDING);
            case REFUND_PENDING -> giveBack(t, source, t.loadCode());
            default -> throw new IllegalStateException("finished top-up " + t.id() + " has no step");
        }
    }

    // ---------------------------------------------------------------- funding

    private void fund(Topup t, Source source) {
        if (source.kind() == FundingKind.CREDIT_CARD) charge(t, source);
        else debit(t, source);
    }

    private void charge(Topup t, Source source) {
        Optional<ExternalIssuerClient> client = issuers.client();
        if (client.isEmpty()) {
            change(t, Change.to(TopupState.PENDING, TopupState.UNAVAILABLE));
            return;
        }
        ChargeResult r = client.get().charge(source.number(), source.expiryYymm(), t.amountMinor(), currencyNumeric(t), t.fundingId());
        Change change = switch (r.status()) {
            case APPROVED -> Change.to(TopupState.PENDING, TopupState.FUNDED).funding("00", r.approvalCode());
            case DECLINED -> Change.to(TopupState.PENDING, TopupState.DECLINED).funding(r.responseCode(), null);
            case ISSUER_UNAVAILABLE -> Change.to(TopupState.PENDING, TopupState.UNAVAILABLE);
            case TIMED_OUT_REVERSED -> Change.to(TopupState.PENDING, TopupState.REVERSED);
            case TIMED_OUT_REVERSAL_PENDING -> Change.to(TopupState.PENDING, TopupState.REVERSAL_PENDING);
        };
        change(t, change);
    }

    private void debit(Topup t, Source source) {
        BankTransfers.Debit d = bank.debit(t.fundingId(), source.bankCode(), source.number(), t.amountMinor(), t.currency());
        switch (d.status()) {
            case DEBITED -> change(t, Change.to(TopupState.PENDING, TopupState.FUNDED).funding("00", d.reference()));
            case INSUFFICIENT_FUNDS, REFUSED -> change(t, Change.to(TopupState.PENDING, TopupState.DECLINED).funding(d.code(), null));
            // no answer: the bank may have debited, so refund (harmless if it did not)
            case UNAVAILABLE -> undo(t, source, TopupState.PENDING);
        }
    }

    /** Undoes a funding whose outcome is unknown: REVERSED once acknowledged, else REVERSAL_PENDING. */
    private void undo(Topup t, Source source, TopupState from) {
        boolean undone = giveFundingBack(t, source);
        if (undone) change(t, Change.to(from, TopupState.REVERSED));
        else if (from != TopupState.REVERSAL_PENDING) change(t, Change.to(from, TopupState.REVERSAL_PENDING));
    }

    /** Reverses the charge or refunds the debit; true once the issuer or bank acknowledged it. */
    private boolean giveFundingBack(Topup t, Source source) {
        if (source.kind() == FundingKind.BANK_ACCOUNT) {
            return bank.refund(t.fundingId(), source.bankCode(), source.number(), t.amountMinor(), t.currency()) == BankTransfers.RefundStatus.REFUNDED;
        }
        Optional<ExternalIssuerClient> client = issuers.client();
        if (client.isEmpty()) return false;
        return client.get().reverseCharge(source.number(), source.expiryYymm(), t.amountMinor(), currencyNumeric(t), t.fundingId())
                == ReversalResult.ACKNOWLEDGED;
    }

    // ---------------------------------------------------------------- load

    private void load(Topup t, Source source) {
        PrepaidCard card = prepaidCard(t.cardId());
        Optional<String> code = loads.load(t.id(), card.pan(), card.expiryYymm(), t.amountMinor(), card.currencyNumeric());
        if (code.isEmpty()) {
            LOG.warn("top-up {}: no answer to its load yet; it stays FUNDED and is loaded again later under the same key", t.id());
            return;
        }
        if ("00".equals(code.get())) {
            change(t, Change.to(TopupState.FUNDED, TopupState.LOADED).load("00"));
            return;
        }
        LOG.warn("top-up {}: load declined {}; giving the funding back", t.id(), code.get());
        change(t, Change.to(TopupState.FUNDED, TopupState.REFUND_PENDING).load(code.get()));
        giveBack(store.byId(t.id()).orElseThrow(), source, code.get());
    }

    private void giveBack(Topup t, Source source, String loadCode) {
        if (giveFundingBack(t, source)) change(t, Change.to(TopupState.REFUND_PENDING, TopupState.FAILED).load(loadCode));
    }

    /** What the load needs of the prepaid card; the PAN only in memory, for the message. */
    private record PrepaidCard(String pan, String expiryYymm, String currencyNumeric) {
        @Override
        public String toString() {
            return "PrepaidCard[" + currencyNumeric + "]";
        }
    }

    private PrepaidCard prepaidCard(long cardId) {
        return db.inTransaction(s -> {
            Card card = issuer.findById(s, cardId).orElseThrow();
            CardProgram program = issuer.programOf(card).orElseThrow(() -> new IllegalStateException("card " + cardId + ": program not configured"));
            return new PrepaidCard(issuer.revealPan(card), card.expiryYymm(), program.currencyNumeric());
        });
    }

    private static String currencyNumeric(Topup t) {
        return String.format("%03d", java.util.Currency.getInstance(t.currency()).getNumericCode());
    }

    private void change(Topup t, Change change) {
        if (store.change(t.id(), change)) {
            LOG.info("top-up {} ({} of card {}): {} -> {}", t.id(), t.sourceKind(), t.cardId(), change.from(), change.to());
        } else {
            LOG.warn("top-up {}: not {} any more; {} not applied", t.id(), change.from(), change.to());
        }
    }

    // ---------------------------------------------------------------- recovery

    /** Finishes top-ups left unfinished (crash, timeout) at start and every {@code interval}. */
    synchronized void startRecovery(Duration firstDelay, Duration interval) {
        if (recovery != null) return;
        recovery = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "topup-recovery");
            thread.setDaemon(true); // never keeps a stopping JVM alive; an interrupted step is finished next time
            return thread;
        });
        recovery.scheduleWithFixedDelay(this::recoverAll, firstDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One pass over the unfinished rows whose lease has run out; returns how many it worked on. */
    int recoverAll() {
        int worked = 0;
        try {
            for (Topup t : store.unfinishedWithoutLease()) {
                if (!store.claim(t.id(), lease)) continue;
                Topup after = run(t.id(), false);
                LOG.info("recovery: top-up {} {} -> {}", t.id(), t.state(), after.state());
                worked++;
            }
        } catch (RuntimeException e) {
            // the next pass tries again; one bad row must not stop the recovery of the others for good
            LOG.error("top-up recovery pass failed", e);
        }
        return worked;
    }

    @Override
    public synchronized void close() {
        if (recovery != null) recovery.shutdownNow();
        recovery = null;
    }
}
