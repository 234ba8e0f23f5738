// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.settlement;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.anonpay.authz.JournalEntry;
import org.anonpay.db.Database;
import org.anonpay.ledger.Ledger;
import org.anonpay.ledger.StoredTransfer;
import org.anonpay.ledger.TransferId;
import org.anonpay.ledger.TransferKind;
import org.anonpay.ledger.TrialBalance;
import org.hibernate.Session;

/**
 * Compares, for one business date, the three records of the same money and lists every break
 * (docs/settlement.md):
 * <ol>
 *   <li>journal ↔ ledger: every approved journal entry's transfers exist with the journal's
 *       amounts, and what they moved on the merchant's payable is what the journal's amounts say;</li>
 *   <li>ledger ↔ settlement: every merchant of the day has a settlement batch with the day's
 *       totals, its payout and fee transfers exist with those amounts, and no batch is left over;</li>
 *   <li>files ↔ journal/ledger: every merchant file, the summary and the acquirer reports exist,
 *       have one row per entry with the entry's amount, and totals equal to the day's;</li>
 * </ol>
 * and that the ledger's trial balance is zero. A correct day has no break.
 */
public final class Reconciliation {

    private final Database db;
    private final Ledger ledger;
    private final SettlementConfig config;

    public Reconciliation(Database db, Ledger ledger, SettlementConfig config) {
        this.db = Objects.requireNonNull(db);
        this.ledger = Objects.requireNonNull(ledger);
        this.config = Objects.requireNonNull(config);
    }

    public List<Break> run(LocalDate date) {
        return run(date, line -> {});
    }

    public List<Break> run(LocalDate date, Consumer<String> progress) {
        List<Break> breaks = new ArrayList<>();
        SettlementDay day = db.inTransaction(s -> {
            SettlementDay d = SettlementDay.load(s, ledger, config, date);
            progress.accept("reconcile " + date + ": " + d.entries().size() + " journal entries, " + d.totals().size() + " merchants");
            journalAgainstLedger(s, d, breaks);
            return d;
        });
        progress.accept("reconcile " + date + ": journal and ledger compared");
        db.inJdbcTransaction(c -> {
            ledgerAgainstSettlement(c, day, breaks);
            trialBalance(c, breaks);
            return null;
        });
        progress.accept("reconcile " + date + ": ledger and settlement compared");
        files(day, breaks);
        progress.accept("reconcile " + date + ": files compared");
        return breaks;
    }

    private void journalAgainstLedger(Session s, SettlementDay day, List<Break> breaks) {
        day.ledgerProblems().forEach(p -> breaks.add(new Break(Break.Kind.JOURNAL_LEDGER, "ledger", p)));
        for (DayEntry e : day.entries()) {
            if (e.ledgerAmount() != e.journalAmount()) {
                breaks.add(new Break(Break.Kind.JOURNAL_LEDGER, "journal " + e.journalId() + " " + e.type() + " stan " + e.stan(),
                        "journal says " + signed(e.journalAmount(), e.merchant().currency()) + " on " + e.merchant()
                                + ", the ledger moved " + signed(e.ledgerAmount(), e.merchant().currency())));
            }
        }
        // every approved entry of the day (holds and loads too) has its recorded transfers, with its amounts
        List<JournalEntry> all = s.createSelectionQuery("from JournalEntry where createdAt >= :from and createdAt < :to"
                        + " and responseCode = '00' order by id", JournalEntry.class)
                .setParameter("from", day.from()).setParameter("to", day.to()).getResultList();
        for (JournalEntry j : all) {
            checkLeg(s, j, j.cardTransferId(), j.cardAmount(), "card", breaks);
            checkLeg(s, j, j.shortfallTransferId(), j.shortfallAmount(), "shortfall", breaks);
        }
    }

    private void checkLeg(Session s, JournalEntry j, byte[] id, long amount, String leg, List<Break> breaks) {
        if (id == null) return;
        String where = "journal " + j.id() + " " + j.type() + " stan " + j.key().stan();
        Optional<StoredTransfer> t = s.doReturningWork(c -> ledger.findTransfer(c, new TransferId(id)));
        if (t.isEmpty()) {
            breaks.add(new Break(Break.Kind.JOURNAL_LEDGER, where, "its " + leg + " transfer " + new TransferId(id) + " is not in the ledger"));
            return;
        }
        long moved = t.get().amount();
        if (t.get().kind() == TransferKind.VOID_PENDING) {
            moved = s.doReturningWork(c -> ledger.findTransfer(c, t.get().pendingId())).map(StoredTransfer::amount).orElse(-1L);
        }
        // a reversal's card leg may have been split (the card gave what it had, recovery the rest)
        if (j.type() == org.anonpay.authz.TransactionType.REVERSAL && moved < amount) {
            moved += s.doReturningWork(c -> ledger.findTransfer(c, j.key().transferId("shortfall"))).map(StoredTransfer::amount).orElse(0L);
        }
        if (moved != amount) {
            breaks.add(new Break(Break.Kind.JOURNAL_LEDGER, where, "journal " + leg + " amount " + amount + ", ledger transfer " + moved));
        }
    }

    private void ledgerAgainstSettlement(Connection c, SettlementDay day, List<Break> breaks) throws Exception {
        Map<MerchantKey, Settlement.Batches.Row> batches = new TreeMap<>();
        for (Settlement.Batches.Row r : Settlement.Batches.read(c, day.date())) batches.put(r.totals().merchant(), r);
        for (MerchantTotals t : day.totals().values()) {
            Settlement.Batches.Row batch = batches.remove(t.merchant());
            String where = "settlement " + day.date() + " " + t.merchant();
            if (batch == null) {
                breaks.add(new Break(Break.Kind.LEDGER_SETTLEMENT, where, "not settled (no settlement batch; run settle)"));
                continue;
            }
            if (!batch.totals().equals(t)) {
                breaks.add(new Break(Break.Kind.LEDGER_SETTLEMENT, where, "batch " + describe(batch.totals()) + ", journal and ledger " + describe(t)));
            }
            checkSettlementTransfer(c, where, "payout", Settlement.payoutTransferId(t.merchant(), day.date()), Math.abs(t.net()), breaks);
            checkSettlementTransfer(c, where, "fee", Settlement.feeTransferId(t.merchant(), day.date()), t.fee(), breaks);
        }
        for (Settlement.Batches.Row left : batches.values()) {
            breaks.add(new Break(Break.Kind.LEDGER_SETTLEMENT, "settlement " + day.date() + " " + left.totals().merchant(),
                    "a settlement batch " + describe(left.totals()) + " for a merchant with no entries that day"));
        }
        // and no settlement transfer of the date in the ledger that is not one of the day's
        Set<TransferId> known = new HashSet<>();
        for (MerchantTotals t : day.totals().values()) {
            known.add(Settlement.payoutTransferId(t.merchant(), day.date()));
            known.add(Settlement.feeTransferId(t.merchant(), day.date()));
        }
        try (var s = c.prepareStatement("SELECT id, amount, reference FROM ledger_transfer WHERE code = 'SETTLEMENT' AND reference LIKE ?")) {
            s.setString(1, "settlement " + day.date() + " %");
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    TransferId id = new TransferId(rs.getBytes(1));
                    if (!known.contains(id)) {
                        breaks.add(new Break(Break.Kind.LEDGER_SETTLEMENT, "ledger transfer " + id,
                                "settlement transfer '" + rs.getString(3) + "' of " + rs.getLong(2) + " is not one of the day's merchants"));
                    }
                }
            }
        }
    }

    private void checkSettlementTransfer(Connection c, String where, String leg, TransferId id, long expected, List<Break> breaks) {
        Optional<StoredTransfer> t = ledger.findTransfer(c, id);
        long moved = t.map(StoredTransfer::amount).orElse(0L);
        if (moved != expected) {
            breaks.add(new Break(Break.Kind.LEDGER_SETTLEMENT, where, leg + " transfer in the ledger " + moved + ", expected " + expected));
        }
    }

    private void trialBalance(Connection c, List<Break> breaks) {
        for (TrialBalance tb : ledger.trialBalance(c)) {
            if (!tb.balanced()) breaks.add(new Break(Break.Kind.TRIAL_BALANCE, tb.currency(), tb.toString()));
        }
    }

    private void files(SettlementDay day, List<Break> breaks) {
        Path dir = SettlementFiles.dayDir(config.outputDir(), day.date());
        Set<String> expected = new HashSet<>();
        for (MerchantTotals t : day.totals().values()) {
            expected.add(t.merchant().fileName());
            merchantFile(dir.resolve(t.merchant().fileName()), day, t, breaks);
        }
        if (!day.totals().isEmpty() || Files.exists(dir.resolve(SettlementFiles.SUMMARY))) {
            expected.add(SettlementFiles.SUMMARY);
            compareText(dir.resolve(SettlementFiles.SUMMARY), SettlementFiles.summary(day.totals().values()), breaks);
            Map<String, List<MerchantTotals>> byAcquirer = new TreeMap<>();
            for (MerchantTotals t : day.totals().values()) byAcquirer.computeIfAbsent(t.merchant().acquirerId(), k -> new ArrayList<>()).add(t);
            byAcquirer.forEach((acq, list) -> {
                expected.add(SettlementFiles.acquirerFileName(acq));
                compareText(dir.resolve(SettlementFiles.acquirerFileName(acq)), SettlementFiles.acquirer(list), breaks);
            });
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".csv") && !expected.contains(n)).sorted()
                        .forEach(n -> breaks.add(new Break(Break.Kind.FILE, dir.resolve(n).toString(), "a file for no merchant of the day")));
            } catch (IOException e) {
                breaks.add(new Break(Break.Kind.FILE, dir.toString(), "cannot list: " + e.getMessage()));
            }
        }
    }

    /** Row by row: count, each row's journal id and amount, and the TOTAL line against the day's totals. */
    private void merchantFile(Path file, SettlementDay day, MerchantTotals t, List<Break> breaks) {
        String where = file.toString();
        List<String> lines = lines(file, breaks);
        if (lines == null) return;
        String currency = t.merchant().currency();
        if (lines.isEmpty() || !lines.getFirst().equals(SettlementFiles.MERCHANT_HEADER)) {
            breaks.add(new Break(Break.Kind.FILE, where, "header is not " + SettlementFiles.MERCHANT_HEADER));
        }
        List<DayEntry> rows = day.rowsOf(t.merchant());
        Map<Long, DayEntry> byId = new HashMap<>();
        rows.forEach(e -> byId.put(e.journalId(), e));
        int count = 0;
        long sum = 0;
        String[] total = null;
        Set<Long> seen = new HashSet<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            if (cells[0].equals("TOTAL")) {
                total = cells;
                continue;
            }
            try {
                long id = Long.parseLong(cells[0]);
                long amount = SettlementFiles.minor(cells[4], currency);
                count++;
                sum += amount;
                DayEntry e = byId.get(id);
                if (e == null || !seen.add(id)) {
                    breaks.add(new Break(Break.Kind.FILE, where + " line " + (i + 1), "journal entry " + id + " is not one of the merchant's entries of the day (or is listed twice)"));
                } else if (e.ledgerAmount() != amount) {
                    breaks.add(new Break(Break.Kind.FILE, where + " line " + (i + 1), "journal entry " + id + " amount " + cells[4]
                            + " in the file, " + SettlementFiles.amount(e.ledgerAmount(), currency) + " in the journal and ledger"));
                }
            } catch (RuntimeException ex) {
                breaks.add(new Break(Break.Kind.FILE, where + " line " + (i + 1), "unreadable row: " + lines.get(i)));
            }
        }
        if (count != t.count()) breaks.add(new Break(Break.Kind.FILE, where, count + " rows, the day has " + t.count() + " entries"));
        if (sum != t.gross() - t.refunds()) {
            breaks.add(new Break(Break.Kind.FILE, where, "rows add up to " + SettlementFiles.amount(sum, currency) + ", the ledger moved "
                    + SettlementFiles.amount(t.gross() - t.refunds(), currency)));
        }
        String expectedTotal = SettlementFiles.merchantFile(day, t, config.zone()).lines().reduce((a, b) -> b).orElseThrow();
        if (total == null) breaks.add(new Break(Break.Kind.FILE, where, "no TOTAL line"));
        else if (!String.join(",", total).equals(expectedTotal)) {
            breaks.add(new Break(Break.Kind.FILE, where, "total line " + String.join(",", total) + ", expected " + expectedTotal));
        }
    }

    /** The summary and acquirer reports: every line as the day's totals make it. */
    private void compareText(Path file, String expected, List<Break> breaks) {
        List<String> lines = lines(file, breaks);
        if (lines == null) return;
        List<String> want = expected.lines().toList();
        for (int i = 0; i < Math.max(lines.size(), want.size()); i++) {
            String got = i < lines.size() ? lines.get(i) : "(missing)";
            String exp = i < want.size() ? want.get(i) : "(none)";
            if (!got.equals(exp)) breaks.add(new Break(Break.Kind.FILE, file + " line " + (i + 1), "'" + got + "', expected '" + exp + "'"));
        }
    }

    private static List<String> lines(Path file, List<Break> breaks) {
        if (!Files.exists(file)) {
            breaks.add(new Break(Break.Kind.FILE, file.toString(), "missing"));
            return null;
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            breaks.add(new Break(Break.Kind.FILE, file.toString(), "cannot read: " + e.getMessage()));
            return null;
        }
    }

    private static String describe(MerchantTotals t) {
        String c = t.merchant().currency();
        return "count " + t.count() + " gross " + SettlementFiles.amount(t.gross(), c) + " refunds " + SettlementFiles.amount(t.refunds(), c)
                + " fee " + SettlementFiles.amount(t.fee(), c) + " net " + SettlementFiles.amount(t.net(), c);
    }

    private static String signed(long minor, String currency) {
        return (minor > 0 ? "+" : "") + SettlementFiles.amount(minor, currency);
    }
}
