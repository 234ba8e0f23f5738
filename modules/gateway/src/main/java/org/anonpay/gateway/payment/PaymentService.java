// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.payment;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.anonpay.authz.Journal;
import org.anonpay.authz.JournalEntry;
import org.anonpay.authz.MessageKey;
import org.anonpay.db.Database;
import org.anonpay.gateway.References;
import org.anonpay.gateway.mall.Mall;
import org.anonpay.gateway.purchase.Goods;
import org.anonpay.iso.IsoMessages;
import org.anonpay.iso.MessageFactory;
import org.anonpay.iso.OriginalData;
import org.anonpay.iso.PinBlocks;
import org.anonpay.iso.ProcessingCode;
import org.anonpay.iso.StanCounter;
import org.anonpay.iso.WalletPayment;
import org.jpos.iso.ISOMsg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP-to-8583 adapter's money path (MISSION.md b6–b9): each mall request becomes one ISO 8583
 * message through the authorization transaction manager ({@link Door}); this class never touches
 * the ledger. The payment (or follow-up) row with its message key is committed before the message
 * is sent, so an answer lost to a timeout or a crash is found again: {@link #recoverPending} looks
 * the key up in the journal, or repeats the very same message (a repeat moves no money twice).
 * Wallet payments (Flow B) carry no card: the purchase the member confirmed names it. Card
 * (auto-fill) payments (Flow C, {@link #payCard}) carry it in their one message and store only the
 * masked card; a card payment lost before it arrived is reversed and declined rather than repeated.
 */
public final class PaymentService {

    private static final Logger LOG = LoggerFactory.getLogger("anonpay.gateway.payments");
    private static final String APPROVED = "00";

    /** The one authorization transaction manager ({@code TransactionDoor.authorization()::submit}). */
    @FunctionalInterface
    public interface Door {
        Optional<ISOMsg> submit(ISOMsg request, Duration timeout) throws InterruptedException;
    }

    /**
     * @param acquirerId    field 32 of the mall API's messages (the gateway as acquirer)
     * @param terminalId    field 41 (one per host: message keys stay unique)
     * @param answerTimeout how long a request waits for the transaction manager
     * @param zpkHex        the clear zone PIN key (hex) a card payment's PIN block is formed under
     *                      (field 52), as a VAN's terminal would; null: card payments are refused
     */
    public record Settings(String acquirerId, String terminalId, Duration answerTimeout, String zpkHex) {

        /** Without a ZPK: wallet payments only. */
        public Settings(String acquirerId, String terminalId, Duration answerTimeout) {
            this(acquirerId, terminalId, answerTimeout, null);
        }

        @Override
        public String toString() {
            return "Settings[acquirerId=" + acquirerId + ", terminalId=" + terminalId + ", answerTimeout=" + answerTimeout
                    + ", zpk=" + (zpkHex == null ? "none" : "present") + "]"; // never the key
        }
    }

    /** A wallet payment as the mall asked for it (b6). */
    public record WalletOrder(String purchaseRef, String customerRef, String orderId, Goods goods, long total, String currency,
                              boolean capture) {}

    /**
     * The card data the wallet program filled into the mall's form (or the customer typed, c5):
     * used for one message and never stored; {@link #toString()} shows the masked number only.
     *
     * @param expiry YYMM
     */
    public record CardData(String number, String expiry, String cvv2, String pin) {
        public String masked() {
            return IsoMessages.maskPan(number);
        }

        @Override
        public String toString() {
            return "CardData[" + masked() + "]";
        }
    }

    /** A card (auto-fill) payment as the mall asked for it (Flow C, c6): no purchase reference, the card instead. */
    public record CardOrder(String customerRef, String orderId, Goods goods, long total, String currency, boolean capture, CardData card) {}

    public enum PayStatus {
        /** Decided: approved or declined, see the payment. */
        DONE,
        /** The transaction manager did not answer in time; recovery finishes it. */
        PENDING
    }

    public record PayResult(PayStatus status, Payment payment) {}

    public enum OpStatus { SUCCEEDED, DECLINED, PENDING, NOT_FOUND, WRONG_STATE, AMOUNT_TOO_LARGE, NOTHING_TO_REFUND }

    /** @param op the follow-up, null unless it was sent */
    public record OpResult(OpStatus status, Payment payment, PaymentOp op) {}

    private final Database db;
    private final Door door;
    private final Settings settings;
    private final Clock clock;
    private final Payments payments = new Payments();
    private final WebhookOutbox outbox = new WebhookOutbox();
    /** A random first STAN: keys after a restart do not collide with the last run's in the same second. */
    private final StanCounter stans = new StanCounter(1 + new SecureRandom().nextInt(999_999));

    public PaymentService(Database db, Door door, Settings settings, Clock clock) {
        this.db = db;
        this.door = door;
        this.settings = settings;
        this.clock = clock;
    }

    // ---------------------------------------------------------------- b6: pay

    /** Work done in the transaction that stores a new payment, before its message is sent. */
    @FunctionalInterface
    public interface OnCreated {
        void created(java.sql.Connection c, Payment payment) throws java.sql.SQLException;
    }

    public PayResult payWallet(Mall mall, WalletOrder order) throws InterruptedException {
        return payWallet(mall, order, (c, p) -> { });
    }

    /** @param onCreated e.g. notes the payment on the request's Idempotency-Key */
    public PayResult payWallet(Mall mall, WalletOrder order, OnCreated onCreated) throws InterruptedException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Currency currency = Currency.getInstance(order.currency());
        ISOMsg request = factory(mall, currency, now, stans.next())
                .walletPayment(new WalletPayment(order.purchaseRef(), order.customerRef(), order.orderId(), order.goods().digestHex()),
                        order.total(), !order.capture());
        Payment pending = new Payment(References.random(Payment.ID_PREFIX), mall.mallId(), order.orderId(), order.customerRef(),
                order.purchaseRef(), order.goods().canonical(), order.total(), order.currency(),
                order.capture() ? Payment.CaptureMode.PURCHASE : Payment.CaptureMode.AUTHORIZE, Payment.Status.PENDING,
                null, null, null, null, null, 0, 0, keyOf(request), request.getString(0), now, now);
        return send(mall, pending, request, onCreated);
    }

    /**
     * A card (auto-fill) payment (MISSION.md c6–c7): a 0200 (or 0100 when {@code capture} is false)
     * from the mall's terminal with the card in fields 2 and 14, the CVV2 in 48 (tag 92) and the PIN
     * block under the ZPK in 52; the issuer participants check CVV2 and PIN through the security
     * module (VerifyCardholder). The payment row keeps only the masked card (first 6, last 4): the
     * number, CVV2 and PIN live in this one message and nowhere else, so a card payment whose
     * answer is lost cannot be repeated (see {@link #recoverPending}).
     */
    public PayResult payCard(Mall mall, CardOrder order, OnCreated onCreated) throws InterruptedException {
        if (settings.zpkHex() == null) throw new IllegalStateException("card payments need a ZPK (property zpk-file)");
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Currency currency = Currency.getInstance(order.currency());
        CardData data = order.card();
        org.anonpay.iso.Card card = org.anonpay.iso.Card.ofPan(data.number()).withExpiry(data.expiry()).withCvv2(data.cvv2())
                .withPinBlock(PinBlocks.encryptedIso0(data.number(), data.pin(), settings.zpkHex()));
        MessageFactory f = factory(mall, currency, now, stans.next());
        ISOMsg request = order.capture() ? f.purchase(card, order.total()) : f.authorization(card, order.total());
        Payment pending = new Payment(References.random(Payment.ID_PREFIX), mall.mallId(), order.orderId(), order.customerRef(),
                null, order.goods().canonical(), order.total(), order.currency(),
                order.capture() ? Payment.CaptureMode.PURCHASE : Payment.CaptureMode.AUTHORIZE, Payment.Status.PENDING,
                null, null, null, null, data.masked(), 0, 0, keyOf(request), request.getString(0), now, now);
        return send(mall, pending, request, onCreated);
    }

    /** Whether card payments can be formed (a ZPK is configured). */
    public boolean acceptsCards() {
        return settings.zpkHex() != null;
    }

    public PayResult payCard(Mall mall, CardOrder order) throws InterruptedException {
        return payCard(mall, order, (c, p) -> { });
    }

    private PayResult send(Mall mall, Payment pending, ISOMsg request, OnCreated onCreated) throws InterruptedException {
        db.inJdbcTransaction(c -> {
            payments.insert(c, pending);
            onCreated.created(c, pending);
            return null;
        });
        Optional<ISOMsg> answer = door.submit(request, settings.answerTimeout());
        if (answer.isEmpty()) {
            LOG.warn("payment {} of mall {}: no answer in {}; recovery will finish it", pending.paymentId(), mall.mallId(), settings.answerTimeout());
            return new PayResult(PayStatus.PENDING, pending);
        }
        return new PayResult(PayStatus.DONE, settle(pending, answer.get().getString(39), answer.get().getString(38)));
    }

    /**
     * Records the outcome of the payment's message (the answer's 39 and 38; the reason and card
     * from the journal) and its webhook event, once: a payment no longer PENDING is left as it is.
     */
    private Payment settle(Payment pending, String responseCode, String approvalCode) {
        Instant now = clock.instant();
        return db.inTransaction(s -> {
            Optional<JournalEntry> entry = Journal.find(s, pending.isoKey());
            return s.doReturningWork(c -> {
                Payment current = payments.lock(c, pending.mallId(), pending.paymentId()).orElseThrow();
                if (current.status() != Payment.Status.PENDING) return current;
                boolean approved = APPROVED.equals(responseCode);
                Payment.Status status = !approved ? Payment.Status.DECLINED
                        : current.captureMode() == Payment.CaptureMode.PURCHASE ? Payment.Status.APPROVED : Payment.Status.AUTHORIZED;
                Payment done = current.decided(status, entry.map(e -> e.declineReason() == null ? null : e.declineReason().name()).orElse(null),
                        responseCode, approved ? approvalCode : null, entry.map(JournalEntry::cardId).orElse(null), current.maskedCard(),
                        status == Payment.Status.APPROVED ? current.amount() : 0, now);
                payments.update(c, done);
                outbox.enqueue(c, done.mallId(), approved ? "payment." + status.name().toLowerCase(java.util.Locale.ROOT) : "payment.declined",
                        event(done, List.of()), now);
                return done;
            });
        });
    }

    // ---------------------------------------------------------------- capture, cancel, refund

    /** Captures an authorized payment for its amount or less (0220); {@code amount} null = all. */
    public OpResult capture(Mall mall, String paymentId, Long amount) throws InterruptedException {
        return followUp(mall, paymentId, PaymentOp.Kind.CAPTURE, amount);
    }

    /** Cancels an authorization before capture (0400): the hold is released. */
    public OpResult cancel(Mall mall, String paymentId) throws InterruptedException {
        return followUp(mall, paymentId, PaymentOp.Kind.CANCEL, null);
    }

    /** Refunds a paid or captured payment, in full ({@code amount} null) or in part (0200, processing code 20). */
    public OpResult refund(Mall mall, String paymentId, Long amount) throws InterruptedException {
        return followUp(mall, paymentId, PaymentOp.Kind.REFUND, amount);
    }

    /** The decision and the message, under the payment's row lock; the sending after commit. */
    private record Planned(OpStatus refusal, Payment payment, PaymentOp op, ISOMsg request) {
        static Planned refused(OpStatus status, Payment payment) {
            return new Planned(status, payment, null, null);
        }
    }

    private OpResult followUp(Mall mall, String paymentId, PaymentOp.Kind kind, Long amount) throws InterruptedException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Planned plan = db.inJdbcTransaction(c -> {
            Optional<Payment> locked = payments.lock(c, mall.mallId(), paymentId);
            if (locked.isEmpty()) return Planned.refused(OpStatus.NOT_FOUND, null);
            Payment p = locked.get();
            List<PaymentOp> ops = payments.ops(c, paymentId, settings.acquirerId());
            Planned planned = plan(mall, p, ops, kind, amount, now);
            if (planned.op() != null) payments.insertOp(c, planned.op());
            return planned;
        });
        if (plan.refusal() != null) return new OpResult(plan.refusal(), plan.payment(), null);
        Optional<ISOMsg> answer = door.submit(plan.request(), settings.answerTimeout());
        if (answer.isEmpty()) return new OpResult(OpStatus.PENDING, plan.payment(), plan.op());
        return finish(plan.op(), answer.get().getString(39));
    }

    private Planned plan(Mall mall, Payment p, List<PaymentOp> ops, PaymentOp.Kind kind, Long amount, Instant now) {
        if (ops.stream().anyMatch(o -> o.status() == PaymentOp.Status.PENDING && o.kind() != PaymentOp.Kind.REFUND)) {
            return Planned.refused(OpStatus.WRONG_STATE, p); // a capture or cancel is still in flight
        }
        MessageFactory f = factory(mall, Currency.getInstance(p.currency()), now, stans.next());
        return switch (kind) {
            case CAPTURE -> {
                long value = amount == null ? p.amount() : amount;
                if (p.status() != Payment.Status.AUTHORIZED) yield Planned.refused(OpStatus.WRONG_STATE, p);
                if (value > p.amount()) yield Planned.refused(OpStatus.AMOUNT_TOO_LARGE, p);
                yield planned(p, kind, value, opMessage(f, p, kind, value), now);
            }
            case CANCEL -> {
                if (p.status() != Payment.Status.AUTHORIZED) yield Planned.refused(OpStatus.WRONG_STATE, p);
                yield planned(p, kind, p.amount(), opMessage(f, p, kind, p.amount()), now);
            }
            case REFUND -> {
                if (p.status() != Payment.Status.APPROVED && p.status() != Payment.Status.CAPTURED) yield Planned.refused(OpStatus.WRONG_STATE, p);
                long open = p.refundable() - pendingRefunds(ops);
                long value = amount == null ? open : amount;
                if (open <= 0) yield Planned.refused(OpStatus.NOTHING_TO_REFUND, p);
                if (value > open) yield Planned.refused(OpStatus.AMOUNT_TOO_LARGE, p);
                yield planned(p, kind, value, opMessage(f, p, kind, value), now);
            }
        };
    }

    /**
     * A follow-up's message; none carries card data. A capture (0220) and a cancel (0400) name
     * the payment's message in field 90, whose journal entry names the card (wallet and card
     * payments alike). A refund (0200, processing code 20) names in field 48 tag 93 what it gives
     * money back for: a wallet payment's purchase ({@code pur_…}), or a card payment itself
     * ({@code pay_…}), whose card MatchPurchase finds through the payment's journal entry.
     */
    private static ISOMsg opMessage(MessageFactory f, Payment p, PaymentOp.Kind kind, long amount) {
        OriginalData original = OriginalData.of(p.isoMti(), p.isoKey().stan(), p.isoKey().transmissionTime(), p.isoKey().acquirerId());
        return switch (kind) {
            case CAPTURE -> f.walletCompletion(amount, original);
            case CANCEL -> f.walletReversal(ProcessingCode.PURCHASE, p.amount(), original);
            case REFUND -> f.walletRefund(p.cardPayment() ? p.paymentId() : p.purchaseRef(), amount);
        };
    }

    /** Refunds sent but not answered yet count as given: two refunds at once cannot exceed what was paid. */
    private static long pendingRefunds(List<PaymentOp> ops) {
        return ops.stream().filter(o -> o.kind() == PaymentOp.Kind.REFUND && o.status() == PaymentOp.Status.PENDING).mapToLong(PaymentOp::amount).sum();
    }

    private static Planned planned(Payment p, PaymentOp.Kind kind, long amount, ISOMsg request, Instant now) {
        String prefix = kind == PaymentOp.Kind.REFUND ? PaymentOp.REFUND_PREFIX : PaymentOp.OP_PREFIX;
        PaymentOp op = new PaymentOp(References.random(prefix), p.paymentId(), kind, amount, PaymentOp.Status.PENDING, null, null,
                keyOf(request), request.getString(0), now);
        return new Planned(null, p, op, request);
    }

    /** Records a follow-up's answer and what it did to the payment, once. */
    private OpResult finish(PaymentOp sent, String responseCode) {
        Instant now = clock.instant();
        return db.inTransaction(s -> {
            Optional<JournalEntry> entry = Journal.find(s, sent.isoKey());
            return s.doReturningWork(c -> {
                Payment p = payments.lock(c, paymentMall(c, sent), sent.paymentId()).orElseThrow();
                PaymentOp current = payments.ops(c, sent.paymentId(), settings.acquirerId()).stream()
                        .filter(o -> o.opId().equals(sent.opId())).findFirst().orElseThrow();
                if (current.status() != PaymentOp.Status.PENDING) return new OpResult(statusOf(current), p, current);
                boolean approved = APPROVED.equals(responseCode);
                PaymentOp done = current.finished(approved ? PaymentOp.Status.SUCCEEDED : PaymentOp.Status.FAILED, responseCode,
                        entry.map(e -> e.declineReason() == null ? null : e.declineReason().name()).orElse(null));
                payments.finishOp(c, done, now);
                Payment after = approved ? applied(p, done, now) : p;
                if (approved) payments.update(c, after);
                outbox.enqueue(c, p.mallId(), eventType(done), event(after, List.of(done)), now);
                return new OpResult(statusOf(done), after, done);
            });
        });
    }

    private static Payment applied(Payment p, PaymentOp op, Instant now) {
        return switch (op.kind()) {
            case CAPTURE -> p.withCapture(Payment.Status.CAPTURED, op.amount(), now);
            case CANCEL -> p.withCapture(Payment.Status.CANCELLED, 0, now);
            case REFUND -> p.withRefunded(Math.addExact(p.refundedAmount(), op.amount()), now);
        };
    }

    private static OpStatus statusOf(PaymentOp op) {
        return switch (op.status()) {
            case SUCCEEDED -> OpStatus.SUCCEEDED;
            case FAILED -> OpStatus.DECLINED;
            case PENDING -> OpStatus.PENDING;
        };
    }

    private static String eventType(PaymentOp op) {
        String outcome = op.status() == PaymentOp.Status.SUCCEEDED ? "succeeded" : "failed";
        return switch (op.kind()) {
            case CAPTURE -> "payment.capture." + outcome;
            case CANCEL -> "payment.cancel." + outcome;
            case REFUND -> "refund." + outcome;
        };
    }

    private static String paymentMall(java.sql.Connection c, PaymentOp op) throws java.sql.SQLException {
        try (var ps = c.prepareStatement("SELECT mall_id FROM mall_payment WHERE payment_id = ?")) {
            ps.setString(1, op.paymentId());
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    // ---------------------------------------------------------------- reads

    /** The mall's payment, if it exists. */
    public Optional<Payment> find(String mallId, String paymentId) {
        return db.inJdbcTransaction(c -> payments.find(c, mallId, paymentId));
    }

    /** The mall's payment with its refunds; empty for another mall's payment. */
    public Optional<Map<String, Object>> describe(String mallId, String paymentId) {
        return db.inJdbcTransaction(c -> {
            Optional<Payment> p = payments.find(c, mallId, paymentId);
            if (p.isEmpty()) return Optional.empty();
            return Optional.of(PaymentJson.payment(p.get(), payments.ops(c, paymentId, settings.acquirerId())));
        });
    }

    // ---------------------------------------------------------------- recovery

    /** Why a card payment lost before it reached the transaction manager was declined by recovery. */
    public static final String LOST_BEFORE_ARRIVAL = "LOST_BEFORE_ARRIVAL";

    /**
     * Finishes payments whose answer was lost (sent before {@code cutoff}, still PENDING): the
     * journal has the outcome if the message arrived; otherwise a wallet payment's very same
     * message is sent again as a repeat. A card payment's message cannot be rebuilt (its card
     * number, CVV2 and PIN were never stored): a reversal (0400) of its key is sent instead, to be
     * safe should it still arrive or have arrived meanwhile, and once that is answered the payment
     * is DECLINED with reason {@value #LOST_BEFORE_ARRIVAL}. (The transaction manager's queue drops
     * a message not taken within the answer timeout, and {@code cutoff} is later than that.)
     * Returns how many were finished.
     */
    public int recoverPending(Map<String, Mall> mallsById, Instant cutoff) throws InterruptedException {
        List<Payment> pending = db.inJdbcTransaction(c -> payments.pendingBefore(c, cutoff, 100));
        int finished = 0;
        for (Payment p : pending) {
            Mall mall = mallsById.get(p.mallId());
            if (mall == null) continue;
            Optional<JournalEntry> journaled = db.inTransaction(s -> Journal.find(s, p.isoKey()));
            if (journaled.isPresent()) {
                settle(p, journaled.get().responseCode(), journaled.get().approvalCode());
                finished++;
                continue;
            }
            if (p.cardPayment()) {
                if (reverseLost(mall, p)) finished++;
                continue;
            }
            Optional<ISOMsg> answer = door.submit(MessageFactory.repeatOf(rebuild(mall, p)), settings.answerTimeout());
            if (answer.isPresent()) {
                settle(p, answer.get().getString(39), answer.get().getString(38));
                finished++;
            }
        }
        if (finished > 0) LOG.info("recovered {} payment(s) whose answer was lost", finished);
        return finished;
    }

    /** A lost card payment: its key reversed (moves nothing unless it did arrive), then declined. */
    private boolean reverseLost(Mall mall, Payment p) throws InterruptedException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        OriginalData original = OriginalData.of(p.isoMti(), p.isoKey().stan(), p.isoKey().transmissionTime(), p.isoKey().acquirerId());
        ISOMsg reversal = factory(mall, Currency.getInstance(p.currency()), now, stans.next())
                .walletReversal(ProcessingCode.PURCHASE, p.amount(), original);
        Optional<ISOMsg> answer = door.submit(reversal, settings.answerTimeout());
        if (answer.isEmpty()) return false; // the next round sends another reversal: a second one moves nothing
        Instant at = clock.instant();
        db.inJdbcTransaction(c -> {
            Payment current = payments.lock(c, p.mallId(), p.paymentId()).orElseThrow();
            if (current.status() != Payment.Status.PENDING) return null;
            Payment done = current.decided(Payment.Status.DECLINED, LOST_BEFORE_ARRIVAL, null, null, null, current.maskedCard(), 0, at);
            payments.update(c, done);
            outbox.enqueue(c, done.mallId(), "payment.declined", event(done, List.of()), at);
            return null;
        });
        LOG.warn("card payment {} of mall {}: never reached the transaction manager; reversed its key (answer {}) and declined it",
                p.paymentId(), p.mallId(), answer.get().getString(39));
        return true;
    }

    /** The payment's message exactly as first sent: same key, same local times, same content (wallet payments only). */
    private ISOMsg rebuild(Mall mall, Payment p) {
        Instant sentAt = p.createdAt();
        MessageFactory f = factory(mall, Currency.getInstance(p.currency()), sentAt, p.isoKey().stan());
        Goods goods = Goods.parseCanonical(p.goodsCanonical());
        return f.walletPayment(new WalletPayment(p.purchaseRef(), p.customerRef(), p.orderId(), goods.digestHex()), p.amount(),
                p.captureMode() == Payment.CaptureMode.AUTHORIZE);
    }

    /**
     * Finishes captures, cancels and refunds whose answer was lost (sent before {@code cutoff},
     * still PENDING): the journal has the outcome if the message arrived; otherwise the very same
     * message, rebuilt from the follow-up and its payment (no card data in any of them), is sent
     * again as a repeat. Returns how many were finished.
     */
    public int recoverPendingOps(Map<String, Mall> mallsById, Instant cutoff) throws InterruptedException {
        List<PaymentOp> pending = db.inJdbcTransaction(c -> payments.pendingOpsBefore(c, cutoff, settings.acquirerId(), 100));
        int finished = 0;
        for (PaymentOp op : pending) {
            Payment p = db.inJdbcTransaction(c -> payments.findById(c, op.paymentId())).orElseThrow();
            Mall mall = mallsById.get(p.mallId());
            if (mall == null) continue;
            Optional<JournalEntry> journaled = db.inTransaction(s -> Journal.find(s, op.isoKey()));
            if (journaled.isPresent()) {
                finish(op, journaled.get().responseCode());
                finished++;
                continue;
            }
            MessageFactory f = factory(mall, Currency.getInstance(p.currency()), op.createdAt(), op.isoKey().stan());
            Optional<ISOMsg> answer = door.submit(MessageFactory.repeatOf(opMessage(f, p, op.kind(), op.amount())), settings.answerTimeout());
            if (answer.isPresent()) {
                finish(op, answer.get().getString(39));
                finished++;
            }
        }
        if (finished > 0) LOG.info("recovered {} capture(s), cancel(s) or refund(s) whose answer was lost", finished);
        return finished;
    }

    // ---------------------------------------------------------------- helpers

    private MessageFactory factory(Mall mall, Currency currency, Instant at, String stan) {
        return new MessageFactory(MallTerminal.of(mall, currency, settings), new StanCounter(Integer.parseInt(stan)),
                Clock.fixed(at, ZoneOffset.UTC));
    }

    private static MessageKey keyOf(ISOMsg m) {
        return new MessageKey(m.getString(32), m.getString(41), m.getString(11), m.getString(7), MessageKey.mtiClass(m.getString(0)));
    }

    private static Map<String, Object> event(Payment p, List<PaymentOp> ops) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("payment", PaymentJson.payment(p, ops));
        return data;
    }
}
