// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.settlement;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.anonpay.db.Database;
import org.anonpay.ledger.Account;
import org.anonpay.ledger.AccountKind;
import org.anonpay.ledger.Ledger;
import org.anonpay.ledger.Transfer;
import org.anonpay.ledger.TransferCode;
import org.anonpay.ledger.TransferId;
import org.anonpay.ledger.TransferResult;

/**
 * The end-of-day clearing and settlement of one business date (docs/settlement.md). Per merchant
 * (acquirer + card acceptor id + currency) it sums what the day's approved journal entries moved on
 * the merchant's payable, takes the fee, and moves the rest in the ledger, each merchant in one
 * transaction of its own:
 * <pre>
 *   payout: debit merchant:ACQ:MID:CUR (MERCHANT_PAYABLE)  credit settlement:ACQ:MID:CUR (SETTLEMENT)  net
 *   fee:    debit merchant:ACQ:MID:CUR (MERCHANT_PAYABLE)  credit operator:fee-income:CUR (SETTLEMENT) fee
 * </pre>
 * (a negative net, refunds above sales, runs the payout the other way). The transfer ids are
 * derived from the merchant and the date, and the batch row's key is the same: a re-run moves
 * nothing twice and finds the same totals. Then it writes the day's files.
 */
public final class Settlement {

    private final Database db;
    private final Ledger ledger;
    private final SettlementConfig config;
    private final Consumer<String> progress;

    public Settlement(Database db, Ledger ledger, SettlementConfig config, Consumer<String> progress) {
        this.db = Objects.requireNonNull(db);
        this.ledger = Objects.requireNonNull(ledger);
        this.config = Objects.requireNonNull(config);
        this.progress = progress == null ? line -> {} : progress;
    }

    /** What a run did. {@code created}: merchants whose transfers moved now; {@code existing}: settled before. */
    public record Report(LocalDate date, List<MerchantTotals> merchants, int created, int existing, List<Path> files) {}

    public static TransferId payoutTransferId(MerchantKey m, LocalDate date) {
        return TransferId.derive("settlement", date.toString(), m.acquirerId(), m.merchantId(), m.currency(), "payout");
    }

    public static TransferId feeTransferId(MerchantKey m, LocalDate date) {
        return TransferId.derive("settlement", date.toString(), m.acquirerId(), m.merchantId(), m.currency(), "fee");
    }

    static String feeAccountCode(String currency) {
        return "operator:fee-income:" + currency;
    }

    static String payableCode(MerchantKey m) {
        return "merchant:" + m.acquirerId() + ":" + m.merchantId() + ":" + m.currency();
    }

    public Report run(LocalDate date) {
        SettlementDay day = db.inTransaction(s -> SettlementDay.load(s, ledger, config, date));
        progress.accept("settlement " + date + ": " + day.entries().size() + " journal entries, " + day.totals().size() + " merchants");
        if (!day.ledgerProblems().isEmpty()) {
            throw new IllegalStateException("settlement " + date + " stopped, the ledger disagrees with itself: " + day.ledgerProblems());
        }
        int created = 0;
        int existing = 0;
        int done = 0;
        for (MerchantTotals t : day.totals().values()) {
            boolean moved = db.inJdbcTransaction(c -> settle(c, date, t));
            if (moved) created++;
            else existing++;
            done++;
            progress.accept("settlement " + date + ": " + done + "/" + day.totals().size() + " " + t.merchant()
                    + (moved ? " settled" : " already settled") + ", net " + SettlementFiles.amount(t.net(), t.merchant().currency()));
        }
        Path dir = SettlementFiles.dayDir(config.outputDir(), date);
        List<Path> files;
        try {
            files = SettlementFiles.write(dir, day, config.zone());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the settlement files in " + dir, e);
        }
        progress.accept("settlement " + date + ": " + files.size() + " files in " + dir);
        return new Report(date, List.copyOf(day.totals().values()), created, existing, files);
    }

    /** One merchant's transfers and batch row, all or nothing; true if money moved now. */
    private boolean settle(Connection c, LocalDate date, MerchantTotals t) throws SQLException {
        MerchantKey m = t.merchant();
        String reference = "settlement " + date + " " + m.acquirerId() + ":" + m.merchantId() + ":" + m.currency();
        List<Transfer> transfers = new ArrayList<>(2);
        TransferId payoutId = t.net() == 0 ? null : payoutTransferId(m, date);
        TransferId feeId = t.fee() == 0 ? null : feeTransferId(m, date);
        if (payoutId != null || feeId != null) {
            Account payable = ledger.findAccount(c, payableCode(m))
                    .orElseThrow(() -> new IllegalStateException("settlement: no ledger account " + payableCode(m)));
            Account payout = ledger.openAccount(c, AccountKind.SETTLEMENT, m.payoutAccountCode(), m.currency());
            if (payoutId != null) {
                transfers.add(t.net() > 0
                        ? Transfer.singlePhase(payoutId, payable.id(), payout.id(), t.net(), TransferCode.SETTLEMENT, reference)
                        : Transfer.singlePhase(payoutId, payout.id(), payable.id(), -t.net(), TransferCode.SETTLEMENT, reference));
            }
            if (feeId != null) {
                Account fee = ledger.openAccount(c, AccountKind.SETTLEMENT, feeAccountCode(m.currency()), m.currency());
                transfers.add(Transfer.singlePhase(feeId, payable.id(), fee.id(), t.fee(), TransferCode.SETTLEMENT, reference + " fee"));
            }
        }
        List<TransferResult> results = ledger.createTransfers(c, transfers);
        for (TransferResult r : results) {
            if (!r.ok()) {
                throw new IllegalStateException("settlement of " + m + " for " + date + " refused by the ledger: " + r
                        + (r == TransferResult.EXISTS_WITH_DIFFERENT_FIELDS ? " (settled before with other totals: reconcile)" : ""));
            }
        }
        boolean moved = results.contains(TransferResult.CREATED);
        recordBatch(c, date, t, payoutId, feeId);
        return moved;
    }

    private static void recordBatch(Connection c, LocalDate date, MerchantTotals t, TransferId payoutId, TransferId feeId) throws SQLException {
        MerchantKey m = t.merchant();
        try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO settlement_batch (business_date, acquirer_id, merchant_id,"
                + " currency, entries, gross, refunds, fee, net, payout_transfer_id, fee_transfer_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
            s.setObject(1, date);
            s.setString(2, m.acquirerId());
            s.setString(3, m.merchantId());
            s.setString(4, m.currency());
            s.setInt(5, t.count());
            s.setLong(6, t.gross());
            s.setLong(7, t.refunds());
            s.setLong(8, t.fee());
            s.setLong(9, t.net());
            s.setBytes(10, payoutId == null ? null : payoutId.bytes());
            s.setBytes(11, feeId == null ? null : feeId.bytes());
            if (s.executeUpdate() == 1) return;
        }
        MerchantTotals stored = Batches.read(c, date).stream().filter(b -> b.totals().merchant().equals(m)).findFirst()
                .orElseThrow(() -> new IllegalStateException("settlement batch " + m + " " + date + " neither inserted nor found")).totals();
        if (!stored.equals(t)) {
            throw new IllegalStateException("settlement of " + m + " for " + date + " was run before with other totals " + stored
                    + ", now " + t + ": reconcile");
        }
    }

    /** The settlement_batch rows of a date. */
    static final class Batches {
        record Row(MerchantTotals totals, byte[] payoutTransferId, byte[] feeTransferId) {}

        static List<Row> read(Connection c, LocalDate date) throws SQLException {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT acquirer_id, merchant_id, currency, entries, gross, refunds, fee, net,"
                    + " payout_transfer_id, fee_transfer_id FROM settlement_batch WHERE business_date = ?"
                    + " ORDER BY acquirer_id, merchant_id, currency")) {
                s.setObject(1, date);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(new MerchantTotals(new MerchantKey(rs.getString(1), rs.getString(2), rs.getString(3)),
                                rs.getInt(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8)), rs.getBytes(9), rs.getBytes(10)));
                    }
                }
            }
            return rows;
        }
    }
}
