// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.anonpay.db.DatabaseSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code anonpay-ops}: the operator's command line for cards. It works on the same database as
 * the running host (cfg/db.properties, or the embedded MariaDB the host started on port 3307)
 * and with the same keys (cfg/keys). It never prints a full card number, CVV2 or PIN.
 *
 * <p>Exit codes: 0 done, 1 refused (the reason is printed), 2 wrong usage, 3 failure (database,
 * keys, files).
 *
 * <p>Every run of a command ends with one row in the append-only, hash-chained audit log
 * {@code ops_audit} (see {@link OpsAudit}, modules/tools/README.md): who, what, when, outcome.
 */
@Command(name = "anonpay-ops", mixinStandardHelpOptions = true, version = "anonpay-ops 0.1.0",
        description = {"anonpay operations: issue cards, change card state, unblock PINs, list cards.",
                "physical-cards: the queue of plastic cards to produce and ship (delivery address, state).",
                "physical-card: mark a request --produced, or --shipped --tracking REF.",
                "mall: partner and non-affiliated malls and their API secrets.",
                "settle, reconcile, expire-authorizations, purge-authorizations: end-of-day clearing, settlement and housekeeping (docs/settlement.md).",
                "transactions: recent journal entries of a masked card; audit: the audit log of every ops command run."},
        subcommands = {IssueCardCommand.class, CardStateCommand.class, UnblockPinCommand.class, CardsCommand.class, LoadCommand.class,
                PhysicalCardsCommand.class, PhysicalCardCommand.class, MallCommand.class,
                SettleCommand.class, ReconcileCommand.class, ExpireAuthorizationsCommand.class, PurgeAuthorizationsCommand.class,
                TransactionsCommand.class, AuditCommand.class,
                org.anonpay.statements.StatementCommand.class, org.anonpay.analytics.AnalyticsCommand.class, CommandLine.HelpCommand.class})
public final class Ops {

    public static final int REFUSED = 1;
    public static final int FAILED = 3;

    /** Where commands read the PIN from when no --pin-file is given; set by {@link #run}. */
    InputStream stdin = System.in;

    public static void main(String[] args) {
        // before anything touches a logger: only warnings from the pool, Flyway and Hibernate
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.hibernate", "error");
        System.setProperty("org.jboss.logging.provider", "slf4j");
        System.exit(run(args, System.in, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }

    /**
     * Runs one command line in this JVM; returns the exit code. Every run of a subcommand (not a
     * request for help) ends with one row in the audit log ({@link OpsAudit}): who, what, when and
     * the outcome, in its own transaction, also when the command was refused, failed or was used
     * wrongly. When the database cannot be reached the row is not written and stderr says so.
     */
    public static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
        Ops ops = new Ops();
        ops.stdin = in;
        CommandLine cl = new CommandLine(ops);
        StringWriter errCopy = new StringWriter();
        cl.setOut(out);
        cl.setErr(new PrintWriter(new TeeWriter(err, errCopy), true));
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // one line, no stack trace: a message of ours never holds card data
            commandLine.getErr().println("anonpay-ops: " + e.getMessage());
            return e instanceof CommandLine.ParameterException ? CommandLine.ExitCode.USAGE : FAILED;
        });
        String[] command = {null};
        boolean[] help = {false};
        cl.setExecutionStrategy(parseResult -> {
            List<String> names = new ArrayList<>();
            for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
                if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) help[0] = true;
                if (p.commandSpec().userObject() instanceof CommandLine.HelpCommand) help[0] = true;
                if (p != parseResult) names.add(p.commandSpec().name());
            }
            if (names.isEmpty()) help[0] = true;
            command[0] = String.join(" ", names);
            return new CommandLine.RunLast().execute(parseResult);
        });
        CommandLine.IParameterExceptionHandler usage = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((ex, rest) -> {
            List<String> names = new ArrayList<>();
            for (CommandLine c = ex.getCommandLine(); c != null && c.getParent() != null; c = c.getParent()) names.addFirst(c.getCommandName());
            command[0] = names.isEmpty() ? "(none)" : String.join(" ", names);
            return usage.handleParseException(ex, rest);
        });
        int exit;
        try {
            exit = cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
        if (!help[0]) audit(args, command[0] == null ? "(none)" : command[0], exit, errCopy.toString(), err);
        return exit;
    }

    /** Writes the run's audit row; a warning on stderr when it cannot. */
    private static void audit(String[] args, String command, int exit, String errText, PrintWriter err) {
        String firstLine = errText.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        String outcome = switch (exit) {
            case 0 -> "ok";
            case REFUSED -> "refused" + (firstLine.isEmpty() ? "" : ": " + firstLine);
            case CommandLine.ExitCode.USAGE -> "usage error" + (firstLine.isEmpty() ? "" : ": " + firstLine);
            case FAILED -> "failed" + (firstLine.isEmpty() ? "" : ": " + firstLine);
            default -> "exit " + exit + (firstLine.isEmpty() ? "" : ": " + firstLine);
        };
        List<String> quoted = new ArrayList<>();
        for (String a : args) quoted.add(a.isEmpty() || a.chars().anyMatch(Character::isWhitespace) ? "'" + a + "'" : a);
        try {
            new OpsAudit(auditDatabase(args)).append(osUser(), hostName(), command, String.join(" ", quoted), exit, outcome);
        } catch (Exception e) {
            err.println("anonpay-ops: warning: the audit log was not written (database not reachable?): " + OpsAudit.mask(String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
            err.flush();
        }
    }

    /** The database the command used: its --db-config/--db-settings, --db-url, --db-user, else the defaults. */
    private static DatabaseSettings auditDatabase(String[] args) {
        OpsEnvironment env = new OpsEnvironment();
        env.dbConfig = Path.of("cfg/db.properties");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : (i + 1 < args.length ? args[i + 1] : null);
            if (value == null) continue;
            switch (name) {
                case "--db-config", "--db-settings" -> env.dbConfig = Path.of(value);
                case "--db-url" -> env.dbUrl = value;
                case "--db-user" -> env.dbUser = value;
                default -> { }
            }
        }
        return env.databaseSettings();
    }

    private static String osUser() {
        String user = System.getProperty("user.name", "unknown");
        String sudo = System.getenv("SUDO_USER");
        return sudo != null && !sudo.isBlank() && !sudo.equals(user) ? sudo + " (as " + user + ")" : user;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }

    /** Writes to the caller's stderr and keeps a copy (the audit row's outcome is its first line). */
    private static final class TeeWriter extends Writer {
        private final Writer first;
        private final StringWriter copy;

        TeeWriter(Writer first, StringWriter copy) {
            this.first = first;
            this.copy = copy;
        }

        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            first.write(buf, off, len);
            if (copy.getBuffer().length() < 4096) copy.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
        }

        @Override
        public void close() throws IOException {
            first.flush();
        }
    }
}
