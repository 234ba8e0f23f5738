// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.anonpay.host.HostFixture.TestCard;
import org.anonpay.iso.IsoClient;
import org.anonpay.iso.MessageFactory;
import org.anonpay.iso.OriginalData;
import org.anonpay.iso.Terminal;
import org.anonpay.ledger.Ledger;
import org.anonpay.settlement.AuthorizationExpiry;
import org.anonpay.settlement.Break;
import org.anonpay.settlement.MerchantKey;
import org.anonpay.settlement.MerchantTotals;
import org.anonpay.settlement.Reconciliation;
import org.anonpay.settlement.Settlement;
import org.anonpay.settlement.SettlementConfig;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clearing and settlement of a day of real ISO 8583 traffic on the packaged host: purchases at two
 * malls and a USD shop, a partial completion, refunds, reversals (of a purchase, of a hold, of a
 * refund already spent), an advice past the balance. Settled with anonpay-ops; the files' totals are
 * the ledger's movements, reconciliation prints zero breaks, then the break of an altered file; a
 * re-run moves nothing twice; an old authorization expires and can no longer be completed.
 */
class SettlementHostIT {

    private static final String ACQ = Terminal.DEFAULT_ACQUIRER_ID;

    @TempDir
    Path tmp;

    @Test
    void aDayOfIsoTrafficIsSettledAndReconciled() throws Exception {
        try (HostFixture fx = HostFixture.start("settle"); IsoClient client = fx.connect()) {
            MessageFactory mall = new MessageFactory(Terminal.defaults().withTerminalId("TERM0001").withMerchantId("MALL00000000001"));
            MessageFactory shop = new MessageFactory(Terminal.defaults().withTerminalId("TERM0002").withMerchantId("SHOP00000000002"));
            TestCard krw = fx.issueCard("KRW-PREPAID", 500_000);
            TestCard poor = fx.issueCard("KRW-PREPAID", 10_000);
            TestCard usd = fx.issueCard("USD-PREPAID", 100_000);

            approve(client, mall.purchase(krw.iso(), 15_000));
            approve(client, mall.purchase(krw.iso(), 20_000));
            ISOMsg auth = approve(client, mall.authorization(krw.iso(), 30_000));
            approve(client, mall.completion(krw.iso(), 20_000, OriginalData.of(auth)));       // partial: 10 000 released
            approve(client, mall.refund(krw.iso(), 5_000));
            ISOMsg reversed = approve(client, mall.purchase(krw.iso(), 7_000));
            approve(client, mall.reversal(krw.iso(), "000000", 7_000, OriginalData.of(reversed)));
            ISOMsg released = approve(client, mall.authorization(krw.iso(), 4_000));
            approve(client, mall.reversal(krw.iso(), "000000", 4_000, OriginalData.of(released)));
            ISOMsg refund = approve(client, shop.refund(poor.iso(), 5_000));                  // the poor card: 15 000
            approve(client, shop.purchase(poor.iso(), 14_000));                               // 1 000 left
            approve(client, shop.reversal(poor.iso(), "200000", 5_000, OriginalData.of(refund))); // 1 000 card + 4 000 recovery
            approve(client, shop.authorizationAdvice(poor.iso(), 3_000));                    // 0 card + 3 000 recovery
            ISOMsg dollars = shop.purchase(usd.iso(), 1_220);
            dollars.set(49, "840");
            approve(client, dollars);
            ISOMsg old = approve(client, mall.authorization(krw.iso(), 50_000));             // expires below

            SettlementConfig config = new SettlementConfig(tmp.resolve("settlement"), ZoneId.of("Asia/Seoul"), LocalTime.MIDNIGHT,
                    new BigDecimal("250"), Map.of("SHOP00000000002", new BigDecimal("100")), 7);
            Path configFile = tmp.resolve("settlement.properties");
            Files.writeString(configFile, "output.dir=" + config.outputDir() + "\nbusiness.zone=Asia/Seoul\nbusiness.cutover=00:00\n"
                    + "fee.bps=250\nfee.bps.SHOP00000000002=100\nexpiry.days=7\n");
            LocalDate today = config.businessDateOf(Instant.now());

            Ops settle = ops(fx, "settle", "--date", today.toString(), "--settlement-config", configFile.toString());
            assertEquals(0, settle.exit(), settle.out());
            assertTrue(settle.out().contains("settled " + today + ": 3 merchants now, 0 already settled"), settle.out());

            Map<MerchantKey, MerchantTotals> totals = new java.util.HashMap<>();
            new Settlement(fx.db, new Ledger(), config, line -> {}).run(today).merchants().forEach(t -> totals.put(t.merchant(), t));
            MerchantKey mallKey = new MerchantKey(ACQ, "MALL00000000001", "KRW");
            MerchantKey shopKey = new MerchantKey(ACQ, "SHOP00000000002", "KRW");
            MerchantKey usdKey = new MerchantKey(ACQ, "SHOP00000000002", "USD");
            // 15 000 + 20 000 + 20 000 + 7 000 in; 5 000 refund + 7 000 reversal out; fee 2.5 % of 50 000
            assertEquals(new MerchantTotals(mallKey, 6, 62_000, 12_000, 1_250, 48_750), totals.get(mallKey));
            // 14 000 + 5 000 (refund reversed) + 3 000 (advice) in; 5 000 refund out; fee 1 % of 17 000
            assertEquals(new MerchantTotals(shopKey, 4, 22_000, 5_000, 170, 16_830), totals.get(shopKey));
            assertEquals(new MerchantTotals(usdKey, 1, 1_220, 0, 12, 1_208), totals.get(usdKey));

            // the files' totals are the ledger's movements: the settlement transfers and the payables
            Path dir = config.outputDir().resolve(today.toString());
            for (MerchantTotals t : totals.values()) {
                List<String> lines = Files.readAllLines(dir.resolve(t.merchant().fileName()));
                String[] total = lines.getLast().split(",");
                long net = new BigDecimal(total[5]).movePointRight(t.merchant().currency().equals("USD") ? 2 : 0).longValueExact();
                long fee = new BigDecimal(total[4]).movePointRight(t.merchant().currency().equals("USD") ? 2 : 0).longValueExact();
                assertEquals(net, fx.count("SELECT SUM(t.amount) FROM ledger_transfer t JOIN ledger_account a ON a.id = t.credit_account_id"
                        + " WHERE t.code = 'SETTLEMENT' AND a.code = '" + "settlement:" + ACQ + ":" + t.merchant().merchantId() + ":" + t.merchant().currency() + "'"));
                assertEquals(net + fee, fx.count("SELECT SUM(t.amount) FROM ledger_transfer t JOIN ledger_account a ON a.id = t.debit_account_id"
                        + " WHERE t.code = 'SETTLEMENT' AND a.code = 'merchant:" + ACQ + ":" + t.merchant().merchantId() + ":" + t.merchant().currency() + "'"));
                long payableMoved = fx.count("SELECT COALESCE(SUM(CASE WHEN t.credit_account_id = a.id THEN t.amount ELSE -t.amount END), 0)"
                        + " FROM ledger_transfer t JOIN ledger_account a ON a.id IN (t.credit_account_id, t.debit_account_id)"
                        + " WHERE t.code <> 'SETTLEMENT' AND t.kind IN ('SINGLE_PHASE', 'POST_PENDING')"
                        + " AND a.code = 'merchant:" + ACQ + ":" + t.merchant().merchantId() + ":" + t.merchant().currency() + "'");
                assertEquals(payableMoved, net + fee, "the day's movement on " + t.merchant() + " is settled in full");
            }
            fx.trialBalance().forEach(tb -> assertTrue(tb.balanced(), tb.toString()));

            Ops reconcile = ops(fx, "reconcile", "--date", today.toString(), "--settlement-config", configFile.toString());
            assertEquals(0, reconcile.exit(), reconcile.out());
            assertTrue(reconcile.out().contains("reconciled " + today + ": 0 breaks"), reconcile.out());

            Path file = dir.resolve(mallKey.fileName());
            String original = Files.readString(file);
            Files.writeString(file, original.replaceFirst(",20000,", ",21000,"));
            Ops broken = ops(fx, "reconcile", "--date", today.toString(), "--settlement-config", configFile.toString());
            assertEquals(1, broken.exit());
            assertTrue(broken.out().contains("BREAK FILE " + file), broken.out());
            assertTrue(broken.out().contains("rows add up to 51000, the ledger moved 50000"), broken.out());
            assertFalse(broken.out().contains(": 0 breaks"), broken.out());

            Ops again = ops(fx, "settle", "--date", today.toString(), "--settlement-config", configFile.toString());
            assertTrue(again.out().contains("0 merchants now, 3 already settled"), again.out());
            assertEquals(original, Files.readString(file), "a re-run rewrites the same file");
            assertEquals(0, ops(fx, "reconcile", "--date", today.toString(), "--settlement-config", configFile.toString()).exit());
            fx.trialBalance().forEach(tb -> assertTrue(tb.balanced(), tb.toString()));

            // an authorization not completed in 7 days expires: its hold is released, a late completion is declined
            long before = fx.balance(krw).available();
            fx.db.inJdbcTransaction(c -> c.createStatement().executeUpdate("UPDATE authz_journal SET created_at = created_at - INTERVAL 8 DAY"
                    + " WHERE mti = '0100' AND stan = '" + old.getString(11) + "' AND terminal_id = 'TERM0001'"));
            Ops expire = ops(fx, "expire-authorizations", "--settlement-config", configFile.toString());
            assertEquals(0, expire.exit(), expire.out());
            assertTrue(expire.out().contains("expired 1 authorizations"), expire.out());
            assertEquals(before + 50_000, fx.balance(krw).available());
            ISOMsg late = client.exchange(mall.completion(krw.iso(), 50_000, OriginalData.of(old)));
            assertEquals("12", late.getString(39), "an expired authorization cannot be completed");
            assertEquals(before + 50_000, fx.balance(krw).available());
            fx.trialBalance().forEach(tb -> assertTrue(tb.balanced(), tb.toString()));
            List<Break> after = new Reconciliation(fx.db, new Ledger(), config).run(today);
            assertEquals(new ArrayList<Break>(), after, "the declined late completion changes nothing to settle");
            assertEquals(0, new AuthorizationExpiry(fx.db, new Ledger(), null).run(7, Instant.now()).expired());
        }
    }

    private static ISOMsg approve(IsoClient client, ISOMsg request) throws Exception {
        ISOMsg response = client.exchange(request);
        assertEquals("00", response.getString(39), "answer to " + request.getMTI() + " " + request.getString(3));
        return request;
    }

    record Ops(int exit, String out) {}

    private static Ops ops(HostFixture fx, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--db-url", fx.settings.jdbcUrl(), "--db-user", fx.settings.user(),
                "--db-config", HostProcess.ROOT.resolve("cfg/db.properties").toString()));
        StringWriter out = new StringWriter();
        int exit = org.anonpay.tools.Ops.run(all.toArray(String[]::new), java.io.InputStream.nullInputStream(), new PrintWriter(out), new PrintWriter(out));
        return new Ops(exit, out.toString());
    }
}
