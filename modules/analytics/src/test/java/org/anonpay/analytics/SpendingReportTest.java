// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.anonpay.analytics.SpendingReport.Group;
import org.anonpay.analytics.SpendingReport.Report;
import org.anonpay.db.Database;
import org.anonpay.db.DatabaseSettings;
import org.anonpay.db.TestMariaDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The spending report on a real MariaDB, through the command as ops staff run it: no output
 * (table, CSV, HTML) shows a group of fewer than k members or any member identity; opted-out
 * members are not counted; k below 2 is refused.
 *
 * <p>The dataset, k = 3, business dates {@link #DAY1} and {@link #DAY2}:
 * <ul>
 *   <li>A: grocery (5411), DAY1, 30-39: four members, six counted transactions, 130,000 KRW (a
 *       decline, a reversed purchase, a hold, a refund and a load of the same members are not
 *       counted; a completion is);
 *   <li>C: café (5812), DAY1, 30-39: three of A's members, 3 x 4,500;
 *   <li>B: grocery, DAY1, 20-29: two members (77,777 and 11,111): suppressed;
 *   <li>D: a POS shop that is no mall (MCC unknown), DAY2, 60+: one member (33,333): suppressed;
 *   <li>outside: a purchase of the day before, and a purchase with a card of no member.
 * </ul>
 */
class SpendingReportTest {

    static final LocalDate DAY0 = LocalDate.of(2026, 11, 19), DAY1 = LocalDate.of(2026, 11, 20), DAY2 = LocalDate.of(2026, 11, 21);
    static final int K = 3;

    @TempDir
    Path dir;

    private DatabaseSettings settings;
    private Database database;
    private Dataset data;
    private Dataset.Card a3;

    @BeforeEach
    void setUp() throws Exception {
        settings = TestMariaDb.freshSettings("analytics", 4);
        database = Database.open(settings);
        data = new Dataset(database.dataSource());
        data.mall("GROCERYMALL01", "Fresh Grocer", "5411");
        data.mall("CAFEMALL02", "Bean Cafe", "5812");
        LocalDate thirties = LocalDate.of(1990, 5, 5), twenties = LocalDate.of(2000, 1, 1), sixties = LocalDate.of(1950, 2, 2);
        Dataset.Card a1 = data.member("minjun90", "김민준", "KIM MINJUN", thirties);
        Dataset.Card a2 = data.member("seoyeon90", "이서연", "LEE SEOYEON", thirties);
        a3 = data.member("jiho1990", "박지호", "PARK JIHO", thirties);
        Dataset.Card a4 = data.member("haeun90", "최하은", "CHOI HAEUN", thirties);
        Dataset.Card b1 = data.member("doyun00", "정도윤", "JUNG DOYUN", twenties);
        Dataset.Card b2 = data.member("sua2000", "강수아", "KANG SUA", twenties);
        Dataset.Card g1 = data.member("grandpa50", "윤영수", "YOON YOUNGSOO", sixties);
        Dataset.Card anonymous = data.anonymousCard();

        // A: 10,000 + 5,000 + 20,000 + 30,000 + 40,000 + completion 25,000 = 130,000 in 6
        data.purchase(a1, DAY1, "GROCERYMALL01", 10_000);
        data.purchase(a1, DAY1, "GROCERYMALL01", 5_000);
        data.purchase(a2, DAY1, "GROCERYMALL01", 20_000);
        data.purchase(a3, DAY1, "GROCERYMALL01", 30_000);
        data.purchase(a4, DAY1, "GROCERYMALL01", 40_000);
        long hold = data.journal(a4, DAY1, "AUTHORIZATION", "GROCERYMALL01", 60_000, "00", null, false);
        data.journal(a4, DAY1, "COMPLETION", "GROCERYMALL01", 25_000, "00", hold, false);
        // not spending: a decline, a reversed purchase (and its reversal), a refund, a load
        data.journal(a1, DAY1, "PURCHASE", "GROCERYMALL01", 99_000, "51", null, false);
        long reversed = data.journal(a2, DAY1, "PURCHASE", "GROCERYMALL01", 50_000, "00", null, true);
        data.journal(a2, DAY1, "REVERSAL", "GROCERYMALL01", 50_000, "00", reversed, false);
        data.journal(a3, DAY1, "REFUND", "GROCERYMALL01", 8_000, "00", null, false);
        data.journal(a1, DAY1, "LOAD", "WALLET", 200_000, "00", null, false);
        // C
        data.purchase(a1, DAY1, "CAFEMALL02", 4_500);
        data.purchase(a2, DAY1, "CAFEMALL02", 4_500);
        data.purchase(a3, DAY1, "CAFEMALL02", 4_500);
        // B and D: too small
        data.purchase(b1, DAY1, "GROCERYMALL01", 77_777);
        data.purchase(b2, DAY1, "GROCERYMALL01", 11_111);
        data.purchase(g1, DAY2, "SHOP0001", 33_333);
        // outside the report: the day before, and a card of no member
        data.purchase(a1, DAY0, "GROCERYMALL01", 12_345);
        data.purchase(anonymous, DAY1, "GROCERYMALL01", 66_666);
    }

    @AfterEach
    void tearDown() {
        if (database != null) database.close();
    }

    private record Outputs(int exit, String table, String csv, String html, String err) {
        List<String> all() {
            return List.of(table, csv, html);
        }
    }

    private Outputs command(String... extra) throws Exception {
        Path cfg = dir.resolve("analytics.properties");
        Files.writeString(cfg, "min-group-size=" + K + "\n");
        Path csv = dir.resolve("report.csv"), html = dir.resolve("charts/report.html");
        Files.deleteIfExists(csv);
        Files.deleteIfExists(html);
        List<String> args = new ArrayList<>(List.of("--from", DAY1.toString(), "--to", DAY2.toString(), "--csv", csv.toString(),
                "--html", html.toString(), "--settings", cfg.toString(), "--db-url", settings.jdbcUrl(), "--db-user", settings.user()));
        args.addAll(List.of(extra));
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = new CommandLine(new AnalyticsCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args.toArray(String[]::new));
        return new Outputs(exit, out.toString(), Files.exists(csv) ? Files.readString(csv) : null,
                Files.exists(html) ? Files.readString(html) : null, err.toString());
    }

    @Test
    void showsOnlyGroupsOfAtLeastKMembersAndCountsTheOthers() throws Exception {
        Report r = new SpendingReport(database.dataSource()).run(DAY1, DAY2, K);
        assertEquals(List.of(
                new Group("5411", DAY1, "30-39", "KRW", 4, 6, 130_000),
                new Group("5812", DAY1, "30-39", "KRW", 3, 3, 13_500)), r.groups());
        assertEquals(2, r.suppressedGroups(), "B (2 members) and D (1 member)");

        Outputs o = command();
        assertEquals(0, o.exit(), o.err());
        assertEveryOutputRespectsK(o, 2, 2);
        for (String out : o.all()) {
            assertTrue(out.contains("130,000") || out.contains("130000"), out);
            assertTrue(out.contains("13,500") || out.contains("13500"), out);
            // nothing of the suppressed groups: no band, MCC, amount or total of them
            for (String secret : List.of("20-29", "60+", SpendingReport.UNKNOWN_MCC, "77,777", "77777", "11,111", "11111",
                    "88,888", "88888", "33,333", "33333")) {
                assertFalse(out.contains(secret), "'" + secret + "' of a suppressed group in:\n" + out);
            }
            // nothing outside the report's spending: declines, reversed, holds, refunds, loads, other days, cards of no member
            for (String excluded : List.of("99,000", "99000", "50,000", "60,000", "200,000", "12,345", "66,666", "66666")) {
                assertFalse(out.contains(excluded), "'" + excluded + "' in:\n" + out);
            }
        }
        assertTrue(o.table().contains("suppressed groups (fewer than 3 members, not shown): 2"), o.table());
        assertTrue(o.html().contains("<svg xmlns=\"http://www.w3.org/2000/svg\""), "inline SVG");
        assertFalse(o.csv().contains(",2026-11-21,") || o.html().contains("<td>2026-11-21</td>"), "D's day has no shown group");
        assertFalse(o.html().contains("<script"), "no script in the chart page");
        assertFalse(o.html().contains("https://"), "nothing loaded from the internet");
    }

    @Test
    void noOutputContainsAMemberIdentity() throws Exception {
        Outputs o = command();
        assertEquals(0, o.exit(), o.err());
        assertFalse(data.identities.isEmpty());
        for (String out : o.all()) {
            for (String identity : data.identities) {
                assertFalse(out.contains(identity), "identity '" + identity + "' in:\n" + out);
            }
            assertFalse(out.contains("941000"), "no PAN prefix at all");
        }
    }

    @Test
    void optedOutMembersAreLeftOutEntirely() throws Exception {
        data.optOut(a3.memberRef());
        Report r = new SpendingReport(database.dataSource()).run(DAY1, DAY2, K);
        // A loses the member's 30,000; C falls to 2 members and is suppressed
        assertEquals(List.of(new Group("5411", DAY1, "30-39", "KRW", 3, 5, 100_000)), r.groups());
        assertEquals(3, r.suppressedGroups());

        Outputs o = command();
        assertEquals(0, o.exit(), o.err());
        assertEveryOutputRespectsK(o, 1, 3);
        for (String out : o.all()) {
            assertFalse(out.contains("130,000") || out.contains("130000"), "the total before the opt-out");
            assertTrue(out.contains("100,000") || out.contains("100000"), out);
            assertFalse(out.contains("5812"), "C is now below k:\n" + out);
            assertFalse(out.contains("9,000") || out.contains("9000"), "C's total:\n" + out);
        }
    }

    @Test
    void raisingKSuppressesMore() throws Exception {
        Outputs o = command("--min-group-size", "4");
        assertEquals(0, o.exit(), o.err());
        assertEveryOutputRespectsK(o, 1, 3, 4);
        for (String out : o.all()) assertFalse(out.contains("5812"), out);
    }

    @Test
    void kBelowTwoOrBelowTheConfiguredMinimumIsRefused() throws Exception {
        SpendingReport report = new SpendingReport(database.dataSource());
        assertThrows(IllegalArgumentException.class, () -> report.run(DAY1, DAY2, 1));
        assertThrows(IllegalArgumentException.class, () -> report.run(DAY1, DAY2, 0));
        assertThrows(IllegalArgumentException.class, () -> new AnalyticsSettings(1));

        Path bad = dir.resolve("bad.properties");
        Files.writeString(bad, "min-group-size=1\n");
        assertThrows(IllegalArgumentException.class, () -> AnalyticsSettings.load(bad));

        for (String k : List.of("1", "0", "-5", "2")) { // 2 is allowed in general but below the configured 3
            Outputs o = command("--min-group-size", k);
            assertEquals(2, o.exit(), "k = " + k);
            assertTrue(o.err().contains("refused"), o.err());
            assertTrue(o.table().isEmpty() && o.csv() == null && o.html() == null, "nothing written for k = " + k);
        }
        Outputs viaConfig = commandWithConfig("min-group-size=1\n");
        assertEquals(2, viaConfig.exit());
        assertTrue(viaConfig.csv() == null && viaConfig.table().isEmpty());
    }

    @Test
    void theShippedConfigurationAsksForFive() {
        assertEquals(5, AnalyticsSettings.load(Path.of("../../cfg/analytics/analytics.properties")).minGroupSize());
        assertEquals(AnalyticsSettings.DEFAULT_MIN_GROUP_SIZE, AnalyticsSettings.load(dir.resolve("missing.properties")).minGroupSize());
    }

    private Outputs commandWithConfig(String config) throws Exception {
        Path cfg = dir.resolve("other.properties");
        Files.writeString(cfg, config);
        Path csv = dir.resolve("other.csv");
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = new CommandLine(new AnalyticsCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(
                "--from", DAY1.toString(), "--to", DAY2.toString(), "--csv", csv.toString(), "--settings", cfg.toString(),
                "--db-url", settings.jdbcUrl());
        return new Outputs(exit, out.toString(), Files.exists(csv) ? Files.readString(csv) : null, null, err.toString());
    }

    /**
     * Every group row of every output has at least {@code k} members; each output has
     * {@code rows} group rows and says {@code suppressed} groups were suppressed.
     */
    private static void assertEveryOutputRespectsK(Outputs o, int rows, int suppressed) {
        assertEveryOutputRespectsK(o, rows, suppressed, K);
    }

    private static void assertEveryOutputRespectsK(Outputs o, int rows, int suppressed, int k) {
        String line = "suppressed groups (fewer than " + k + " members, not shown): " + suppressed;
        // table: the rows of the groups grid have 7 cells, the 5th the member count
        List<Long> tableMembers = new ArrayList<>();
        for (String l : o.table().split("\n")) {
            String[] cells = l.split(" \\| ");
            if (cells.length == 7 && cells[4].trim().matches("\\d+")) tableMembers.add(Long.parseLong(cells[4].trim()));
        }
        // CSV: every line but the header and the "#" line
        List<Long> csvMembers = new ArrayList<>();
        String[] csvLines = o.csv().split("\r\n");
        assertEquals(String.join(",", ReportFormats.COLUMNS), csvLines[0]);
        for (int i = 1; i < csvLines.length; i++) {
            if (csvLines[i].startsWith("#")) continue;
            csvMembers.add(Long.parseLong(csvLines[i].split(",")[4]));
        }
        // HTML: the members cells of the groups table
        List<Long> htmlMembers = new ArrayList<>();
        Matcher m = Pattern.compile("<td class=\"n members\">(\\d+)</td>").matcher(o.html());
        while (m.find()) htmlMembers.add(Long.parseLong(m.group(1)));

        for (Map.Entry<String, List<Long>> e : Map.of("table", tableMembers, "csv", csvMembers, "html", htmlMembers).entrySet()) {
            assertEquals(rows, e.getValue().size(), e.getKey() + " group rows");
            for (long members : e.getValue()) assertTrue(members >= k, e.getKey() + ": a group of " + members + " < k = " + k);
        }
        assertTrue(o.table().contains(line), o.table());
        assertTrue(o.csv().contains("# " + line + "\r\n"), o.csv());
        assertTrue(o.html().contains(line), o.html());
    }
}
