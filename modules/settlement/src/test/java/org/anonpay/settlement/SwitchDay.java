// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.settlement;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.anonpay.authz.JournalEntry;
import org.anonpay.authz.LedgerAccounts;
import org.anonpay.authz.MessageKey;
import org.anonpay.authz.TransactionType;
import org.anonpay.db.Database;
import org.anonpay.ledger.AccountKind;
import org.anonpay.ledger.Ledger;
import org.anonpay.ledger.StoredTransfer;
import org.anonpay.ledger.Transfer;
import org.anonpay.ledger.TransferCode;
import org.anonpay.ledger.TransferId;
import org.anonpay.ledger.TransferResult;

/**
 * Writes journal and ledger as the switch's participants do (DebitPurchase, PlaceHold,
 * PostCompletion, CreditCard, ReverseOriginal, WriteJournal), through the switch's public pieces:
 * JournalEntry, MessageKey's transfer ids and LedgerAccounts' merchant payables.
 */
final class SwitchDay {

    static final String CARD_MASK = "941000******0013";
    private static final AtomicInteger STAN = new AtomicInteger(100);

    private final Database db;
    private final Ledger ledger = new Ledger();
    private final LedgerAccounts accounts;
    private final long card;
    private final String currency;

    SwitchDay(Database db, String cardCode, String currency, long funds) {
        this.db = db;
        this.currency = currency;
        this.accounts = new LedgerAccounts(() -> db, ledger);
        this.card = db.inJdbcTransaction(c -> ledger.openAccount(c, AccountKind.CARD_PREPAID, cardCode, currency).id());
        long funding = accounts.operator(AccountKind.FUNDING_CLEARING, currency);
        db.inJdbcTransaction(c -> ledger.createTransfers(c, List.of(Transfer.singlePhase(TransferId.derive("load", cardCode), funding, card, funds,
                TransferCode.LOAD, "test load"))));
    }

    long cardAccount() {
        return card;
    }

    JournalEntry purchase(String acq, String mid, long amount) {
        MessageKey key = key(acq, "020");
        return post(key, "0200", TransactionType.PURCHASE, mid, amount, null, () ->
                Transfer.singlePhase(key.transferId("card"), card, accounts.merchant(acq, mid, currency), amount, TransferCode.PURCHASE, key.toString()));
    }

    JournalEntry authorize(String acq, String mid, long amount) {
        MessageKey key = key(acq, "010");
        return post(key, "0100", TransactionType.AUTHORIZATION, mid, amount, null, () ->
                Transfer.pending(key.transferId("card"), card, accounts.merchant(acq, mid, currency), amount, TransferCode.AUTHORIZATION, key.toString()));
    }

    JournalEntry complete(JournalEntry authorization, String mid, long amount) {
        MessageKey key = key(authorization.key().acquirerId(), "022");
        TransferId hold = new TransferId(authorization.cardTransferId());
        StoredTransfer h = db.inJdbcTransaction(c -> ledger.findTransfer(c, hold)).orElseThrow();
        JournalEntry entry = post(key, "0220", TransactionType.COMPLETION, mid, amount, authorization, () ->
                Transfer.postPending(key.transferId("card"), hold, h.debitAccountId(), h.creditAccountId(), amount, TransferCode.COMPLETION, key.toString()));
        db.inTransaction(s -> {
            s.find(JournalEntry.class, authorization.id()).markCompleted(amount);
            return null;
        });
        return entry;
    }

    JournalEntry refund(String acq, String mid, long amount) {
        MessageKey key = key(acq, "020");
        return post(key, "0200", TransactionType.REFUND, mid, amount, null, () ->
                Transfer.singlePhase(key.transferId("card"), accounts.merchant(acq, mid, currency), card, amount, TransferCode.REFUND, key.toString()));
    }

    /** A reversal of a posted original: its mirror image. */
    JournalEntry reverse(JournalEntry original, String mid) {
        MessageKey key = key(original.key().acquirerId(), "040");
        StoredTransfer t = db.inJdbcTransaction(c -> ledger.findTransfer(c, new TransferId(original.cardTransferId()))).orElseThrow();
        JournalEntry entry = post(key, "0400", TransactionType.REVERSAL, mid, original.cardAmount(), original, () -> switch (t.kind()) {
            case PENDING -> Transfer.voidPending(key.transferId("card"), t.id(), t.debitAccountId(), t.creditAccountId(), TransferCode.AUTHORIZATION_RELEASE, key.toString());
            default -> Transfer.singlePhase(key.transferId("card"), t.creditAccountId(), t.debitAccountId(), t.amount(), TransferCode.REVERSAL, key.toString());
        });
        db.inTransaction(s -> {
            s.find(JournalEntry.class, original.id()).markReversed();
            return null;
        });
        return entry;
    }

    private JournalEntry post(MessageKey key, String mti, TransactionType type, String mid, long amount, JournalEntry original,
                              java.util.function.Supplier<Transfer> transfer) {
        Transfer t = transfer.get();
        return db.inTransaction(s -> {
            List<TransferResult> results = s.doReturningWork(c -> ledger.createTransfers(c, List.of(t)));
            if (!results.getFirst().ok()) throw new IllegalStateException(type + ": " + results);
            JournalEntry e = new JournalEntry(mti, type, key)
                    .request("000000", mid, "RRN" + key.stan(), new byte[32])
                    .money(amount, currency, LocalDate.now())
                    .card(null, CARD_MASK)
                    .outcome("00", null, "A" + key.stan().substring(1), null)
                    .transfers(t.id().bytes(), amount, null, 0)
                    .original(original == null ? null : original.id());
            s.persist(e);
            return e;
        });
    }

    private static MessageKey key(String acq, String mtiClass) {
        String stan = String.format("%06d", STAN.incrementAndGet());
        return new MessageKey(acq, "TERM0001", stan, "1124103000", mtiClass);
    }
}
