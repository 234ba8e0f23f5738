// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.analytics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.anonpay.analytics.SpendingReport.Group;
import org.anonpay.analytics.SpendingReport.Report;
import org.anonpay.analytics.SpendingReport.Total;

/**
 * The chart page for ops staff: one static HTML file with inline SVG bar charts (spending by
 * merchant category and by age band, one chart per currency) and the table of shown groups. No
 * script, no style sheet, font or image from anywhere: it opens offline and loads nothing. Built
 * from the {@link Report} only, so it shows what the table shows: groups of at least k members
 * and the number of suppressed groups.
 */
public final class ChartPage {

    private static final int BAR_HEIGHT = 22, GAP = 6, LABEL_WIDTH = 110, BAR_AREA = 460, VALUE_WIDTH = 150;

    private ChartPage() {}

    public static String html(Report r) {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .append("<title>").append(esc(ReportFormats.title(r))).append("</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:2px 8px}td.n{text-align:right}.muted{color:#666}</style>\n")
                .append("</head>\n<body>\n<h1>").append(esc(ReportFormats.title(r))).append("</h1>\n")
                .append("<p class=\"muted\">Only groups of at least ").append(r.minGroupSize())
                .append(" distinct members are shown; members who opted out are not counted. Totals below are sums of shown groups only.</p>\n")
                .append("<p id=\"suppressed\">").append(esc(ReportFormats.suppressedLine(r))).append("</p>\n");
        charts(out, "Spending by merchant category", r.byMcc());
        charts(out, "Spending by age band", r.byAgeBand());
        out.append("<h2>Groups</h2>\n<table id=\"groups\">\n<tr>");
        for (String c : ReportFormats.COLUMNS) out.append("<th>").append(esc(c)).append("</th>");
        out.append("</tr>\n");
        for (Group g : r.groups()) {
            out.append("<tr><td>").append(esc(g.mcc())).append("</td><td>").append(g.businessDate()).append("</td><td>")
                    .append(esc(g.ageBand())).append("</td><td>").append(esc(g.currency())).append("</td><td class=\"n members\">")
                    .append(g.members()).append("</td><td class=\"n\">").append(g.transactions()).append("</td><td class=\"n\">")
                    .append(esc(ReportFormats.amount(g.amount(), g.currency()))).append("</td></tr>\n");
        }
        return out.append("</table>\n</body>\n</html>\n").toString();
    }

    private static void charts(StringBuilder out, String title, List<Total> totals) {
        Map<String, List<Total>> byCurrency = new LinkedHashMap<>();
        for (Total t : totals) byCurrency.computeIfAbsent(t.currency(), c -> new ArrayList<>()).add(t);
        if (byCurrency.isEmpty()) {
            out.append("<h2>").append(esc(title)).append("</h2>\n<p class=\"muted\">no group to show</p>\n");
            return;
        }
        byCurrency.forEach((currency, list) -> {
            out.append("<h2>").append(esc(title)).append(" (").append(esc(currency)).append(")</h2>\n");
            long max = list.stream().mapToLong(Total::amount).max().orElse(1);
            int height = list.size() * (BAR_HEIGHT + GAP) + GAP;
            int width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH;
            out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").append(width).append("\" height=\"")
                    .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\">\n")
                    .append("<title>").append(esc(title + " (" + currency + ")")).append("</title>\n");
            int y = GAP;
            for (Total t : list) {
                long w = max <= 0 ? 0 : Math.max(1, Math.round((double) Math.max(t.amount(), 0) * BAR_AREA / max));
                String value = ReportFormats.amount(t.amount(), t.currency()) + " " + t.currency();
                out.append("<text x=\"").append(LABEL_WIDTH - 6).append("\" y=\"").append(y + 16)
                        .append("\" text-anchor=\"end\" font-size=\"13\">").append(esc(t.key())).append("</text>")
                        .append("<rect x=\"").append(LABEL_WIDTH).append("\" y=\"").append(y).append("\" width=\"").append(w)
                        .append("\" height=\"").append(BAR_HEIGHT).append("\" fill=\"#3a6ea5\"><title>")
                        .append(esc(t.key() + ": " + value + ", " + t.transactions() + " transactions")).append("</title></rect>")
                        .append("<text x=\"").append(LABEL_WIDTH + w + 6).append("\" y=\"").append(y + 16)
                        .append("\" font-size=\"13\">").append(esc(value)).append("</text>\n");
                y += BAR_HEIGHT + GAP;
            }
            out.append("</svg>\n");
        });
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
