// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.anonpay.analytics.SpendingReport.Group;
import org.anonpay.analytics.SpendingReport.Report;
import org.anonpay.analytics.SpendingReport.Total;
import org.junit.jupiter.api.Test;

/** The formats without a database: amounts, escaping, totals of shown groups only, and the guard of Report. */
class ReportFormatsTest {

    static final LocalDate DAY = LocalDate.of(2026, 11, 20);

    @Test
    void amountsUseTheCurrencysFractionDigits() {
        assertEquals("15,000", ReportFormats.amount(15_000, "KRW"));
        assertEquals("12.50", ReportFormats.amount(1_250, "USD"));
        assertEquals("1250", ReportFormats.plainAmount(1_250, "KRW"));
        assertEquals("12.50", ReportFormats.plainAmount(1_250, "USD"));
    }

    @Test
    void aReportCannotHoldAGroupBelowK() {
        assertThrows(IllegalStateException.class, () -> new Report(DAY, DAY, 5,
                List.of(new Group("5411", DAY, "30-39", "KRW", 4, 9, 1_000)), 0));
    }

    @Test
    void totalsAreByCurrencyAndOnlyOfShownGroups() {
        Report r = new Report(DAY, DAY.plusDays(1), 2, List.of(
                new Group("5411", DAY, "30-39", "KRW", 2, 3, 30_000),
                new Group("5411", DAY.plusDays(1), "under 20", "KRW", 3, 4, 10_000),
                new Group("5812", DAY, "60+", "USD", 2, 2, 1_250)), 7);
        assertEquals(List.of(new Total("5411", "KRW", 7, 40_000), new Total("5812", "USD", 2, 1_250)), r.byMcc());
        assertEquals(List.of(new Total("under 20", "KRW", 4, 10_000), new Total("30-39", "KRW", 3, 30_000),
                new Total("60+", "USD", 2, 1_250)), r.byAgeBand());
        String csv = ReportFormats.csv(r);
        assertTrue(csv.endsWith("# suppressed groups (fewer than 2 members, not shown): 7\r\n"), csv);
        assertTrue(csv.contains("5812,2026-11-20,60+,USD,2,2,12.50\r\n"), csv);
        String html = ChartPage.html(r);
        assertTrue(html.contains("(USD)</h2>") && html.contains("(KRW)</h2>"), "one chart per currency");
        assertFalse(html.contains("<script"));
    }

    @Test
    void textIsEscaped() {
        Report r = new Report(DAY, DAY, 2, List.of(new Group("<b>\"x,y\"", DAY, "30-39", "KRW", 2, 1, 1)), 0);
        assertFalse(ChartPage.html(r).contains("<b>"));
        assertTrue(ChartPage.html(r).contains("&lt;b&gt;&quot;x,y&quot;"));
        assertTrue(ReportFormats.csv(r).contains("\"<b>\"\"x,y\"\"\",2026-11-20"), ReportFormats.csv(r));
    }
}
