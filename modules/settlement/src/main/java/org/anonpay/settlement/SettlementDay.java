// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.settlement;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.sql.Connection;
import org.anonpay.authz.JournalEntry;
import org.anonpay.authz.MessageKey;
import org.anonpay.authz.TransactionType;
import org.anonpay.ledger.Account;
import org.anonpay.ledger.AccountKind;
import org.anonpay.ledger.Ledger;
import org.anonpay.ledger.StoredTransfer;
import org.anonpay.ledger.TransferId;
import org.anonpay.ledger.TransferKind;
import org.hibernate.Session;

/**
 * A business date as settlement sees it: the approved journal entries written in its window
 * (cut-over to cut-over in the business zone) that touch a merchant, each with what the ledger
 * moved on the merchant's payable, and the totals per merchant. Read in one transaction.
 */
public record SettlementDay(LocalDate date, Instant from, Instant to, List<DayEntry> entries,
                            Map<MerchantKey, MerchantTotals> totals, List<String> ledgerProblems) {

    /** The legs of a message: the ids the switch derives from its message key (MoneyStep). */
    static final List<String> LEGS = List.of("card", "shortfall");

    static final Set<TransactionType> MERCHANT_TYPES = EnumSet.of(TransactionType.PURCHASE, TransactionType.COMPLETION,
            TransactionType.AUTHORIZATION_ADVICE, TransactionType.REFUND, TransactionType.REVERSAL);

    /** The rows of {@code merchant}'s file, in journal order. */
    public List<DayEntry> rowsOf(MerchantKey merchant) {
        return entries.stream().filter(e -> e.settles() && merchant.equals(e.merchant())).toList();
    }

    static SettlementDay load(Session s, Ledger ledger, SettlementConfig config, LocalDate date) {
        Instant from = config.startOf(date);
        Instant to = config.startOf(date.plusDays(1));
        List<JournalEntry> journal = s.createSelectionQuery("from JournalEntry where createdAt >= :from and createdAt < :to"
                        + " and responseCode = '00' and type in (:types) order by id", JournalEntry.class)
                .setParameter("from", from)
                .setParameter("to", to)
                .setParameterList("types", MERCHANT_TYPES)
                .getResultList();
        Map<Long, String> rrns = rrns(s, journal);
        Loader loader = new Loader(s, ledger);
        List<DayEntry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (JournalEntry j : journal) {
            DayEntry e = loader.entry(j, rrns.get(j.id()), problems);
            if (e != null) entries.add(e);
        }
        Map<MerchantKey, List<DayEntry>> byMerchant = new TreeMap<>();
        for (DayEntry e : entries) {
            if (e.settles()) byMerchant.computeIfAbsent(e.merchant(), k -> new ArrayList<>()).add(e);
        }
        Map<MerchantKey, MerchantTotals> totals = new LinkedHashMap<>();
        byMerchant.forEach((k, rows) -> totals.put(k, MerchantTotals.of(k, rows, config.feeBps(k.merchantId()))));
        return new SettlementDay(date, from, to, List.copyOf(entries), totals, List.copyOf(problems));
    }

    /** JournalEntry has no accessor for field 37: read it from the table for the day's ids. */
    private static Map<Long, String> rrns(Session s, List<JournalEntry> journal) {
        Map<Long, String> rrns = new HashMap<>();
        if (journal.isEmpty()) return rrns;
        List<Long> ids = journal.stream().map(JournalEntry::id).toList();
        for (int i = 0; i < ids.size(); i += 1000) {
            List<Long> chunk = ids.subList(i, Math.min(ids.size(), i + 1000));
            List<Object[]> rows = s.createNativeQuery("select id, rrn from authz_journal where id in (:ids)", Object[].class)
                    .setParameterList("ids", chunk).getResultList();
            for (Object[] r : rows) rrns.put(((Number) r[0]).longValue(), (String) r[1]);
        }
        return rrns;
    }

    private static final class Loader {
        private final Session s;
        private final Ledger ledger;
        private final Map<Long, Account> accounts = new HashMap<>();

        Loader(Session s, Ledger ledger) {
            this.s = s;
            this.ledger = ledger;
        }

        DayEntry entry(JournalEntry j, String rrn, List<String> problems) {
            MessageKey key = j.key();
            long ledgerAmount = 0;
            MerchantKey merchant = null;
            for (String leg : LEGS) {
                Optional<StoredTransfer> t = s.doReturningWork(c -> ledger.findTransfer(c, key.transferId(leg)));
                if (t.isEmpty()) continue;
                StoredTransfer transfer = t.get();
                Account debit = account(transfer.debitAccountId());
                Account credit = account(transfer.creditAccountId());
                boolean toMerchant = credit.kind() == AccountKind.MERCHANT_PAYABLE;
                boolean fromMerchant = debit.kind() == AccountKind.MERCHANT_PAYABLE;
                if (!toMerchant && !fromMerchant) continue;
                Account payable = toMerchant ? credit : debit;
                MerchantKey k = MerchantKey.ofPayableCode(payable.code()).orElse(null);
                if (k == null) {
                    problems.add("journal " + j.id() + ": merchant account " + payable.code() + " has no acquirer:merchant:currency code");
                    continue;
                }
                if (merchant != null && !merchant.equals(k)) problems.add("journal " + j.id() + ": legs on two merchants " + merchant + " and " + k);
                merchant = k;
                boolean posts = transfer.kind() == TransferKind.SINGLE_PHASE || transfer.kind() == TransferKind.POST_PENDING;
                if (posts) ledgerAmount += toMerchant ? transfer.amount() : -transfer.amount();
            }
            long journalAmount = journalAmount(j);
            if (merchant == null) {
                if (journalAmount == 0) return null; // e.g. a reversal that moved nothing, of a load
                merchant = new MerchantKey(key.acquirerId(), j.merchantId() == null ? "" : j.merchantId().trim(),
                        j.currency() == null ? "" : j.currency());
            }
            return new DayEntry(j.id(), j.createdAt(), j.type(), j.panMasked(), rrn, key.stan(), j.approvalCode(), merchant,
                    ledgerAmount, journalAmount);
        }

        /** What the journal's own amounts say the entry moved on the merchant's payable. */
        long journalAmount(JournalEntry j) {
            if (j.cardTransferId() == null && j.shortfallTransferId() == null) return 0;
            long own = j.cardAmount() + j.shortfallAmount();
            return switch (j.type()) {
                case PURCHASE, COMPLETION, AUTHORIZATION_ADVICE -> own;
                case REFUND -> -own;
                case REVERSAL -> {
                    JournalEntry original = j.originalId() == null ? null : s.find(JournalEntry.class, j.originalId());
                    if (original == null) yield 0;
                    long amount = original.cardAmount() + original.shortfallAmount();
                    yield switch (original.type()) {
                        case PURCHASE, COMPLETION, AUTHORIZATION_ADVICE -> -amount;
                        case REFUND -> amount;
                        default -> 0; // a hold released, a load undone: nothing on a merchant's payable
                    };
                }
                default -> 0;
            };
        }

        private Account account(long id) {
            return accounts.computeIfAbsent(id, k -> s.doReturningWork((Connection c) -> ledger.findAccount(c, k))
                    .orElseThrow(() -> new IllegalStateException("ledger: no account " + k)));
        }
    }
}
