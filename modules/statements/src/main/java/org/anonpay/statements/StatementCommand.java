// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.statements;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.anonpay.db.Database;
import org.anonpay.db.DatabaseSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Sends (or finishes sending) the statements of one business date, the same job the Q2 service
 * runs daily: {@code statement --date 2026-11-23}. Safe to run while the host runs and to run
 * again: only statements not yet SENT or FAILED are sent. {@code --retry-failed} first puts the
 * FAILED ones back to PENDING (ops: re-send). Exit code 0 when every statement of the date is SENT,
 * 1 when some FAILED or are still being sent elsewhere.
 */
@Command(name = "statement", mixinStandardHelpOptions = true,
        description = "Send the next-day statements of a business date (default: yesterday, Asia/Seoul).")
public final class StatementCommand implements Callable<Integer> {

    @Option(names = "--date", description = "business date, YYYY-MM-DD (default: yesterday in Asia/Seoul)")
    LocalDate date;

    @Option(names = "--retry-failed", description = "send the date's FAILED statements again")
    boolean retryFailed;

    @Option(names = "--resend-member", paramLabel = "MEMBER_ID", description = "send this member's statement of the date again (sent or failed)")
    String resendMember;

    @Option(names = "--settings", defaultValue = "cfg/statements/statements.properties", description = "settings file (default: ${DEFAULT-VALUE})")
    Path settingsFile;

    @Option(names = "--db-settings", defaultValue = "cfg/db.properties", description = "database settings (default: ${DEFAULT-VALUE})")
    Path dbSettings;

    @Option(names = "--db-url", description = "JDBC URL of the database (overrides --db-settings)")
    String dbUrl;

    @Option(names = "--db-user", defaultValue = "root")
    String dbUser;

    @Override
    public Integer call() throws Exception {
        DatabaseSettings db = DatabaseSettings.ofCommandLine(dbUrl, dbUser, dbSettings, 4, System.getenv());
        if (!db.external()) {
            System.err.println("no database URL: give --db-url (the embedded MariaDB of a running host: see its log)");
            return 2;
        }
        StatementSettings settings = StatementSettings.load(settingsFile, System.getenv());
        Clock clock = Clock.system(StatementStore.KOREA);
        LocalDate day = date != null ? date : StatementJob.yesterday(clock);
        try (Database database = Database.open(db)) {
            StatementJob job = new StatementJob(database.dataSource(), settings, clock);
            if (retryFailed) System.out.println(job.store().resetFailed(day) + " failed statement(s) of " + day + " to send again");
            if (resendMember != null && !job.store().resetMember(resendMember, day)) {
                System.err.println("refused: member " + resendMember + " has no sent or failed statement of " + day);
                return 1;
            }
            StatementJob.Result r = job.run(day);
            System.out.printf("%s: %d members, %d sent now, %d failed now; in all %d sent, %d failed%n",
                    day, r.total(), r.sentNow(), r.failedNow(), r.counts().sent(), r.counts().failed());
            return r.counts().sent() == r.total() ? 0 : 1;
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new StatementCommand()).execute(args));
    }
}
