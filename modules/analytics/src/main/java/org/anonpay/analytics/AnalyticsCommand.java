// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.analytics;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.anonpay.db.Database;
import org.anonpay.db.DatabaseSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code analytics --from 2026-11-01 --to 2026-11-23 [--csv FILE] [--html FILE] [--min-group-size N]}:
 * the k-anonymous spending report (modules/analytics/README.md) as a table on the terminal, and
 * optionally as CSV and as a static HTML chart page. k comes from {@code --settings} (default
 * {@code cfg/analytics/analytics.properties}); {@code --min-group-size} may raise it for one run,
 * never lower it, and nothing below 2 is accepted. Exit code 0 on success, 2 on a refused argument.
 */
@Command(name = "analytics", mixinStandardHelpOptions = true,
        description = "Aggregated spending by merchant category, day and age band; groups below the minimum size are suppressed.")
public final class AnalyticsCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", required = true, description = "first business date, YYYY-MM-DD")
    LocalDate from;

    @Option(names = "--to", required = true, description = "last business date, YYYY-MM-DD (included)")
    LocalDate to;

    @Option(names = "--csv", description = "also write the report as CSV to this file")
    Path csv;

    @Option(names = "--html", description = "also write the chart page (static HTML, inline SVG) to this file")
    Path html;

    @Option(names = "--min-group-size", description = "k for this run: at least the configured minimum, never below 2")
    Integer minGroupSize;

    @Option(names = "--settings", defaultValue = "cfg/analytics/analytics.properties", description = "settings file (default: ${DEFAULT-VALUE})")
    Path settingsFile;

    @Option(names = "--db-settings", defaultValue = "cfg/db.properties", description = "database settings (default: ${DEFAULT-VALUE})")
    Path dbSettings;

    @Option(names = "--db-url", description = "JDBC URL of the database (overrides --db-settings)")
    String dbUrl;

    @Option(names = "--db-user", defaultValue = "root")
    String dbUser;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int k;
        try {
            int configured = AnalyticsSettings.load(settingsFile).minGroupSize();
            k = configured;
            if (minGroupSize != null) {
                AnalyticsSettings.requireAllowed(minGroupSize);
                if (minGroupSize < configured) {
                    throw new IllegalArgumentException("--min-group-size " + minGroupSize + " is below the configured minimum "
                            + configured + " (" + settingsFile + "): it can only be raised");
                }
                k = minGroupSize;
            }
            if (to.isBefore(from)) throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        } catch (IllegalArgumentException e) {
            err.println("refused: " + e.getMessage());
            err.flush();
            return 2;
        }
        DatabaseSettings db = DatabaseSettings.ofCommandLine(dbUrl, dbUser, dbSettings, 2, System.getenv());
        if (!db.external()) {
            err.println("no database URL: give --db-url (the embedded MariaDB of a running host: see its log)");
            err.flush();
            return 2;
        }
        SpendingReport.Report report;
        try (Database database = Database.open(db)) {
            report = new SpendingReport(database.dataSource()).run(from, to, k);
        }
        out.print(ReportFormats.table(report));
        if (csv != null) {
            write(csv, ReportFormats.csv(report));
            out.println("CSV: " + csv);
        }
        if (html != null) {
            write(html, ChartPage.html(report));
            out.println("chart page: " + html);
        }
        out.flush();
        return 0;
    }

    private static void write(Path file, String text) throws java.io.IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new AnalyticsCommand()).execute(args));
    }
}
