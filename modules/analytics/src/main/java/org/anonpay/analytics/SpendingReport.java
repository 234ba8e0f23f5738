// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Aggregated approved spending by merchant category (MCC), business date, age band and currency,
 * k-anonymous: a group is shown only when at least {@code minGroupSize} distinct members spent in
 * it; smaller groups are only counted. Members who opted out ({@code analytics_opt_out}, V80) are
 * left out entirely, before grouping. The query selects no identity at all: what leaves the
 * database is already the group key and its three sums, so no member id, card id, holder ref,
 * name or PAN can reach an output.
 *
 * <p>Spending: approved ({@code 00}) PURCHASE, COMPLETION and AUTHORIZATION_ADVICE rows of the
 * authorization journal that were not reversed (holds are counted when completed, by their
 * COMPLETION). Only cards of wallet members count (their age band comes from the member's birth
 * date on the business date); cards with no member have no age and no way to opt out and are
 * left out. The MCC is the gateway's {@code mall.mcc} when field 42 names a mall, else
 * {@value #UNKNOWN_MCC} (the journal does not keep field 18).
 */
public final class SpendingReport {

    public static final String UNKNOWN_MCC = "unknown";

    /** Age bands on the business date, youngest first. */
    public static final List<String> AGE_BANDS = List.of("under 20", "20-29", "30-39", "40-49", "50-59", "60+");

    static final String SPENDING = "j.response_code = '00' AND j.reversed = FALSE"
            + " AND j.txn_type IN ('PURCHASE', 'COMPLETION', 'AUTHORIZATION_ADVICE')";

    private static final String AGE = "TIMESTAMPDIFF(YEAR, m.birth_date, j.business_date)";

    private static final String QUERY = "SELECT COALESCE(ml.mcc, '" + UNKNOWN_MCC + "') AS mcc, j.business_date,"
            + " CASE WHEN " + AGE + " < 20 THEN 0 WHEN " + AGE + " < 30 THEN 1 WHEN " + AGE + " < 40 THEN 2"
            + " WHEN " + AGE + " < 50 THEN 3 WHEN " + AGE + " < 60 THEN 4 ELSE 5 END AS band,"
            + " j.currency, COUNT(DISTINCT m.id), COUNT(*), SUM(j.amount)"
            + " FROM authz_journal j"
            + " JOIN card c ON c.id = j.card_id"
            + " JOIN member m ON c.holder_ref = CONVERT(m.id USING utf8mb4) COLLATE utf8mb4_unicode_ci"
            + " LEFT JOIN mall ml ON ml.mall_id = CONVERT(TRIM(j.merchant_id) USING utf8mb4) COLLATE utf8mb4_unicode_ci"
            + " WHERE j.business_date BETWEEN ? AND ? AND " + SPENDING
            + " AND NOT EXISTS (SELECT 1 FROM analytics_opt_out o WHERE o.member_ref = m.id)"
            + " GROUP BY mcc, j.business_date, band, j.currency";

    /** One shown group: at least k distinct members. {@code amount} in the currency's minor units. */
    public record Group(String mcc, LocalDate businessDate, String ageBand, String currency,
                        long members, long transactions, long amount) {}

    /** A total of shown groups by one dimension (MCC or age band) and currency. */
    public record Total(String key, String currency, long transactions, long amount) {}

    /**
     * The report: only groups of at least {@code minGroupSize} members, and the number of groups
     * left out. Nothing else about a suppressed group (members, transactions, amounts) is kept.
     */
    public record Report(LocalDate from, LocalDate to, int minGroupSize, List<Group> groups, int suppressedGroups) {

        public Report {
            groups = List.copyOf(groups);
            for (Group g : groups) {
                if (g.members() < minGroupSize) throw new IllegalStateException("a group below the minimum size");
            }
        }

        /** Totals by MCC of the shown groups only (a total over suppressed groups could be subtracted). */
        public List<Total> byMcc() {
            return totals(Group::mcc, Comparator.naturalOrder());
        }

        /** Totals by age band of the shown groups only, youngest first. */
        public List<Total> byAgeBand() {
            return totals(Group::ageBand, Comparator.comparingInt(AGE_BANDS::indexOf));
        }

        private List<Total> totals(java.util.function.Function<Group, String> key, Comparator<String> order) {
            Map<String, Map<String, long[]>> byCurrency = new TreeMap<>();
            for (Group g : groups) {
                long[] t = byCurrency.computeIfAbsent(g.currency(), c -> new TreeMap<>(order))
                        .computeIfAbsent(key.apply(g), k -> new long[2]);
                t[0] += g.transactions();
                t[1] += g.amount();
            }
            List<Total> out = new ArrayList<>();
            byCurrency.forEach((currency, m) -> m.forEach((k, t) -> out.add(new Total(k, currency, t[0], t[1]))));
            return out;
        }
    }

    private final DataSource dataSource;

    public SpendingReport(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource);
    }

    /**
     * The report of business dates {@code from} to {@code to} (both included).
     *
     * @throws IllegalArgumentException when {@code minGroupSize} is below {@link AnalyticsSettings#FLOOR}
     */
    public Report run(LocalDate from, LocalDate to, int minGroupSize) throws SQLException {
        AnalyticsSettings.requireAllowed(minGroupSize);
        if (to.isBefore(from)) throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        List<Group> shown = new ArrayList<>();
        int suppressed = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(QUERY)) {
            c.setReadOnly(true);
            ps.setObject(1, from);
            ps.setObject(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long members = rs.getLong(5);
                    if (members < minGroupSize) {
                        suppressed++; // only counted: nothing of the group is kept
                        continue;
                    }
                    shown.add(new Group(rs.getString(1), rs.getObject(2, LocalDate.class), AGE_BANDS.get(rs.getInt(3)),
                            currency(rs.getString(4)), members, rs.getLong(6), rs.getLong(7)));
                }
            }
            c.commit();
        }
        shown.sort(Comparator.comparing(Group::businessDate).thenComparing(Group::mcc)
                .thenComparingInt(g -> AGE_BANDS.indexOf(g.ageBand())).thenComparing(Group::currency));
        return new Report(from, to, minGroupSize, shown, suppressed);
    }

    private static String currency(String c) {
        return c == null || c.isBlank() ? "?" : c.trim();
    }
}
