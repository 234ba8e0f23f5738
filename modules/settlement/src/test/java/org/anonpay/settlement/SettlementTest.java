// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.settlement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.anonpay.authz.JournalEntry;
import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.anonpay.ledger.Account;
import org.anonpay.ledger.Balance;
import org.anonpay.ledger.Ledger;
import org.anonpay.ledger.TrialBalance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A day with purchases, a partial completion, refunds and a reversal at two malls and a shop in
 * another currency: settlement moves each merchant's net minus fee, the files' totals are the
 * ledger's movements, reconciliation finds no break until a file is altered, a re-run moves
 * nothing twice, and an old authorization expires.
 */
class SettlementTest {

    private static final String ACQ = "12345";
    private static Database db;
    private final Ledger ledger = new Ledger();

    @TempDir
    Path out;

    @BeforeAll
    static void open() {
        db = TestMariaDb.freshDatabase("settlement");
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private SettlementConfig config() {
        return new SettlementConfig(out, ZoneId.of("Asia/Seoul"), LocalTime.MIDNIGHT, new BigDecimal("250"),
                Map.of("SHOP0002", new BigDecimal("100")), 7);
    }

    @Test
    void aDayIsSettledReconciledAndAnAlteredFileIsABreak() throws Exception {
        SettlementConfig config = config();
        LocalDate today = config.businessDateOf(Instant.now());
        SwitchDay krw = new SwitchDay(db, "card:test-krw", "KRW", 1_000_000);
        SwitchDay usd = new SwitchDay(db, "card:test-usd", "USD", 100_000);

        krw.purchase(ACQ, "MALL0001", 15_000);
        krw.purchase(ACQ, "MALL0001", 20_000);
        JournalEntry auth = krw.authorize(ACQ, "MALL0001", 30_000);
        krw.complete(auth, "MALL0001", 20_000);                 // partial completion: 10 000 released
        krw.refund(ACQ, "MALL0001", 5_000);
        JournalEntry reversed = krw.purchase(ACQ, "MALL0001", 7_000);
        krw.reverse(reversed, "MALL0001");
        JournalEntry released = krw.authorize(ACQ, "MALL0001", 4_000);
        krw.reverse(released, "MALL0001");                     // a hold released: nothing for the merchant
        krw.authorize(ACQ, "MALL0001", 9_000);                  // still open: nothing yet
        krw.purchase(ACQ, "SHOP0002", 10_000);
        usd.purchase("777", "SHOP0003", 1_220);                 // USD 12.20, fee 2.5 % = 0.305 → 0.30 (half-even)

        Settlement settlement = new Settlement(db, ledger, config, line -> {});
        Settlement.Report report = settlement.run(today);
        assertEquals(3, report.created());
        Map<MerchantKey, MerchantTotals> totals = new HashMap<>();
        report.merchants().forEach(t -> totals.put(t.merchant(), t));

        MerchantTotals mall = totals.get(new MerchantKey(ACQ, "MALL0001", "KRW"));
        // 15 000 + 20 000 + 20 000 (completion) + 7 000 (purchase later reversed) = 62 000; 5 000 refund + 7 000 reversal
        assertEquals(new MerchantTotals(mall.merchant(), 6, 62_000, 12_000, 1_250, 48_750), mall);
        assertEquals(new MerchantTotals(new MerchantKey(ACQ, "SHOP0002", "KRW"), 1, 10_000, 0, 100, 9_900),
                totals.get(new MerchantKey(ACQ, "SHOP0002", "KRW")));
        assertEquals(new MerchantTotals(new MerchantKey("777", "SHOP0003", "USD"), 1, 1_220, 0, 30, 1_190),
                totals.get(new MerchantKey("777", "SHOP0003", "USD")));

        // the files' totals are the ledger's movements
        Path dir = out.resolve(today.toString());
        for (MerchantTotals t : report.merchants()) {
            List<String> lines = Files.readAllLines(dir.resolve(t.merchant().fileName()));
            assertEquals(SettlementFiles.MERCHANT_HEADER, lines.getFirst());
            assertEquals(t.count() + 2, lines.size(), "header, one row per entry, total");
            String[] total = lines.getLast().split(",");
            assertEquals("TOTAL", total[0]);
            assertEquals(t.count(), Integer.parseInt(total[1]));
            String c = t.merchant().currency();
            long rows = 0;
            for (String row : lines.subList(1, lines.size() - 1)) rows += SettlementFiles.minor(row.split(",")[4], c);
            assertEquals(SettlementFiles.minor(total[2], c) - SettlementFiles.minor(total[3], c), rows);
            long net = SettlementFiles.minor(total[5], c);
            long fee = SettlementFiles.minor(total[4], c);
            assertEquals(net, balance(t.merchant().payoutAccountCode()).creditsPosted(), "payout account got the file's net");
            Balance payable = balance(Settlement.payableCode(t.merchant()));
            assertEquals(0, payable.posted(), "the day's posted payable is settled in full: " + payable);
        }
        assertEquals(1_250 + 100, balance("operator:fee-income:KRW").creditsPosted());
        assertEquals(30, balance("operator:fee-income:USD").creditsPosted());
        assertTrue(Files.readString(dir.resolve("summary.csv")).contains("TOTAL,,KRW,7,72000,12000,1350,58650\n"),
                Files.readString(dir.resolve("summary.csv")));
        assertTrue(Files.readString(dir.resolve("acquirer-777.csv")).contains("SHOP0003,USD,1,12.20,0.00,0.30,11.90\n"));
        assertTrue(Files.readString(dir.resolve(new MerchantKey(ACQ, "MALL0001", "KRW").fileName())).contains(",REFUND," + SwitchDay.CARD_MASK + ",-5000,"));
        assertTrialBalanceZero();

        Reconciliation reconciliation = new Reconciliation(db, ledger, config);
        assertEquals(List.of(), reconciliation.run(today), "a correct day has no break");

        // a re-run moves nothing twice and writes the same files
        Map<String, byte[]> before = files(dir);
        Settlement.Report again = settlement.run(today);
        assertEquals(0, again.created());
        assertEquals(3, again.existing());
        assertEquals(48_750, balance(new MerchantKey(ACQ, "MALL0001", "KRW").payoutAccountCode()).creditsPosted());
        Map<String, byte[]> after = files(dir);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, bytes) -> assertTrue(java.util.Arrays.equals(bytes, after.get(name)), name + " rewritten identically"));
        assertTrialBalanceZero();
        assertEquals(List.of(), reconciliation.run(today));

        // one amount altered in a merchant file: the break is printed
        Path file = dir.resolve(new MerchantKey(ACQ, "MALL0001", "KRW").fileName());
        String original = Files.readString(file);
        Files.writeString(file, original.replace(",15000,", ",15001,"), StandardCharsets.UTF_8);
        List<Break> breaks = reconciliation.run(today);
        assertFalse(breaks.isEmpty());
        assertTrue(breaks.stream().allMatch(b -> b.kind() == Break.Kind.FILE && b.where().startsWith(file.toString())), breaks.toString());
        assertTrue(breaks.stream().anyMatch(b -> b.what().contains("amount 15001 in the file, 15000 in the journal and ledger")), breaks.toString());
        assertTrue(breaks.stream().anyMatch(b -> b.what().contains("rows add up to 50001, the ledger moved 50000")), breaks.toString());

        // the summary altered, a file removed: breaks too
        Files.writeString(file, original, StandardCharsets.UTF_8);
        Files.delete(dir.resolve("acquirer-777.csv"));
        List<Break> missing = reconciliation.run(today);
        assertEquals(1, missing.size(), missing.toString());
        assertTrue(missing.getFirst().what().equals("missing"));
        settlement.run(today);
        assertEquals(List.of(), reconciliation.run(today));

        // a settlement transfer of the date that is none of the day's merchants
        db.inJdbcTransaction(c -> {
            long from = ledger.findAccount(c, "operator:fee-income:KRW").orElseThrow().id();
            long to = ledger.findAccount(c, new MerchantKey(ACQ, "SHOP0002", "KRW").payoutAccountCode()).orElseThrow().id();
            return ledger.createTransfers(c, List.of(org.anonpay.ledger.Transfer.singlePhase(org.anonpay.ledger.TransferId.derive("stray"),
                    from, to, 1, org.anonpay.ledger.TransferCode.SETTLEMENT, "settlement " + today + " by hand")));
        });
        List<Break> stray = reconciliation.run(today);
        assertEquals(1, stray.size(), stray.toString());
        assertEquals(Break.Kind.LEDGER_SETTLEMENT, stray.getFirst().kind());

        // a payment journaled after the day was settled: the batch no longer matches, and a re-run refuses to move it
        krw.purchase(ACQ, "MALL0001", 1_000);
        List<Break> late = reconciliation.run(today);
        assertTrue(late.stream().anyMatch(b -> b.kind() == Break.Kind.LEDGER_SETTLEMENT && b.what().startsWith("batch count 6")), late.toString());
        assertTrue(late.stream().anyMatch(b -> b.kind() == Break.Kind.FILE), late.toString());
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> settlement.run(today));
        assertTrue(refused.getMessage().contains("EXISTS_WITH_DIFFERENT_FIELDS"), refused.getMessage());
        assertEquals(48_750, balance(new MerchantKey(ACQ, "MALL0001", "KRW").payoutAccountCode()).creditsPosted(), "nothing moved");
        assertTrialBalanceZero();
    }

    @Test
    void anAuthorizationNotCompletedInTimeExpiresAndReleasesItsHold() {
        SwitchDay krw = new SwitchDay(db, "card:test-expiry", "KRW", 100_000);
        JournalEntry old = krw.authorize(ACQ, "MALL0009", 60_000);
        JournalEntry recent = krw.authorize(ACQ, "MALL0009", 10_000);
        db.inJdbcTransaction(c -> c.createStatement().executeUpdate(
                "UPDATE authz_journal SET created_at = created_at - INTERVAL 10 DAY WHERE id = " + old.id()));
        assertEquals(30_000, available(krw));

        AuthorizationExpiry expiry = new AuthorizationExpiry(db, ledger, line -> {});
        AuthorizationExpiry.Report report = expiry.run(7, Instant.now());
        assertEquals(1, report.expired());
        assertEquals(60_000, report.amount());
        assertEquals(90_000, available(krw), "the old hold is released, the recent one kept");
        assertTrue(db.<Boolean>inTransaction(s -> s.find(JournalEntry.class, old.id()).reversed()), "marked in the journal");
        assertFalse(db.<Boolean>inTransaction(s -> s.find(JournalEntry.class, recent.id()).reversed()));
        assertEquals(0, expiry.run(7, Instant.now()).expired(), "a re-run expires nothing twice");
        assertEquals(90_000, available(krw));
        assertTrialBalanceZero();
    }

    @Test
    void cutOverMovesLateTransactionsToTheNextBusinessDate() {
        SettlementConfig c = new SettlementConfig(out, ZoneId.of("Asia/Seoul"), LocalTime.of(23, 0), BigDecimal.ZERO, Map.of(), 7);
        Instant late = LocalDate.of(2026, 3, 1).atTime(23, 30).atZone(ZoneId.of("Asia/Seoul")).toInstant();
        Instant early = LocalDate.of(2026, 3, 1).atTime(22, 59).atZone(ZoneId.of("Asia/Seoul")).toInstant();
        assertEquals(LocalDate.of(2026, 3, 2), c.businessDateOf(late));
        assertEquals(LocalDate.of(2026, 3, 1), c.businessDateOf(early));
        assertEquals(LocalDate.of(2026, 3, 1).atTime(23, 0).atZone(ZoneId.of("Asia/Seoul")).toInstant(), c.startOf(LocalDate.of(2026, 3, 2)));
        assertEquals(0, MerchantTotals.fee(-500, new BigDecimal("250")), "no fee when refunds exceed sales");
        assertEquals(32, MerchantTotals.fee(1_260, new BigDecimal("250")), "31.5 → 32 (half-even)");
        assertEquals(30, MerchantTotals.fee(1_220, new BigDecimal("250")), "30.5 → 30 (half-even)");
    }

    private long available(SwitchDay day) {
        return db.inJdbcTransaction(c -> ledger.balance(c, day.cardAccount()).available());
    }

    private Balance balance(String code) {
        return db.inJdbcTransaction(c -> {
            Account a = ledger.findAccount(c, code).orElseThrow(() -> new AssertionError("no account " + code));
            return ledger.balance(c, a.id());
        });
    }

    private void assertTrialBalanceZero() {
        List<TrialBalance> tb = db.inJdbcTransaction(ledger::trialBalance);
        assertFalse(tb.isEmpty());
        tb.forEach(line -> assertTrue(line.balanced(), line.toString()));
    }

    private static Map<String, byte[]> files(Path dir) throws Exception {
        Map<String, byte[]> files = new HashMap<>();
        List<Path> paths = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.forEach(paths::add);
        }
        for (Path p : paths) files.put(p.getFileName().toString(), Files.readAllBytes(p));
        return files;
    }
}
