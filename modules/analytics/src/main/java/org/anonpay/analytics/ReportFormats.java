// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.analytics;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import org.anonpay.analytics.SpendingReport.Group;
import org.anonpay.analytics.SpendingReport.Report;
import org.anonpay.analytics.SpendingReport.Total;

/**
 * The report as a terminal table and as CSV. Both show only what {@link Report} holds: groups of
 * at least k members and the number of suppressed groups (never their sizes or totals).
 */
public final class ReportFormats {

    static final String[] COLUMNS = {"mcc", "business_date", "age_band", "currency", "members", "transactions", "amount"};

    private ReportFormats() {}

    /** "15,000" for KRW 15000, "12.50" for USD 1250: the currency's fraction digits. */
    public static String amount(long minor, String currency) {
        BigDecimal v = BigDecimal.valueOf(minor).movePointLeft(fractionDigits(currency));
        return String.format(Locale.ROOT, "%,." + fractionDigits(currency) + "f", v);
    }

    /** The same without grouping separators, for CSV. */
    static String plainAmount(long minor, String currency) {
        return BigDecimal.valueOf(minor).movePointLeft(fractionDigits(currency)).toPlainString();
    }

    static int fractionDigits(String currency) {
        try {
            int d = Currency.getInstance(currency).getDefaultFractionDigits();
            return Math.max(d, 0);
        } catch (IllegalArgumentException | NullPointerException e) {
            return 0;
        }
    }

    /** The line every format ends with. */
    public static String suppressedLine(Report r) {
        return "suppressed groups (fewer than " + r.minGroupSize() + " members, not shown): " + r.suppressedGroups();
    }

    static String title(Report r) {
        return "anonpay spending by merchant category, day and age band, " + r.from() + " to " + r.to()
                + " (k = " + r.minGroupSize() + ")";
    }

    private static String[] cells(Group g) {
        return new String[] {g.mcc(), g.businessDate().toString(), g.ageBand(), g.currency(), Long.toString(g.members()),
                Long.toString(g.transactions()), amount(g.amount(), g.currency())};
    }

    /** A plain-text table for the terminal, with totals by MCC and by age band of the shown groups. */
    public static String table(Report r) {
        StringBuilder out = new StringBuilder(title(r)).append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(COLUMNS);
        for (Group g : r.groups()) rows.add(cells(g));
        grid(out, rows, new boolean[] {false, false, false, false, true, true, true});
        if (r.groups().isEmpty()) out.append("(no group of at least ").append(r.minGroupSize()).append(" members)\n");
        totals(out, "by merchant category (shown groups only)", "mcc", r.byMcc());
        totals(out, "by age band (shown groups only)", "age_band", r.byAgeBand());
        return out.append('\n').append(suppressedLine(r)).append('\n').toString();
    }

    private static void totals(StringBuilder out, String title, String key, List<Total> totals) {
        if (totals.isEmpty()) return;
        out.append('\n').append(title).append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {key, "currency", "transactions", "amount"});
        for (Total t : totals) rows.add(new String[] {t.key(), t.currency(), Long.toString(t.transactions()), amount(t.amount(), t.currency())});
        grid(out, rows, new boolean[] {false, false, true, true});
    }

    private static void grid(StringBuilder out, List<String[]> rows, boolean[] right) {
        int[] w = new int[rows.get(0).length];
        for (String[] row : rows) for (int i = 0; i < row.length; i++) w[i] = Math.max(w[i], row[i].length());
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                if (i > 0) line.append(" | ");
                String pad = " ".repeat(w[i] - row[i].length());
                line.append(right[i] ? pad + row[i] : row[i] + pad);
            }
            out.append(line.toString().stripTrailing()).append('\n');
            if (r == 0) {
                StringBuilder rule = new StringBuilder();
                for (int i = 0; i < w.length; i++) rule.append(i > 0 ? "-+-" : "").append("-".repeat(w[i]));
                out.append(rule).append('\n');
            }
        }
    }

    /**
     * CSV (RFC 4180, CRLF): a header, one line per shown group (amount in major units, no grouping
     * separator), then one line {@code # suppressed groups ...: N}.
     */
    public static String csv(Report r) {
        StringBuilder out = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
        for (Group g : r.groups()) {
            out.append(field(g.mcc())).append(',').append(g.businessDate()).append(',').append(field(g.ageBand())).append(',')
                    .append(field(g.currency())).append(',').append(g.members()).append(',').append(g.transactions()).append(',')
                    .append(plainAmount(g.amount(), g.currency())).append("\r\n");
        }
        return out.append("# ").append(suppressedLine(r)).append("\r\n").toString();
    }

    private static String field(String v) {
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r") || v.startsWith("#")
                ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }
}
