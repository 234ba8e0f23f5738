// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.tools;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code anonpay-ops}: the operator's command line for cards. It works on the same database as
 * the running host (cfg/db.properties, or the embedded MariaDB the host started on port 3307)
 * and with the same keys (cfg/keys). It never prints a full card number, CVV2 or PIN.
 *
 * <p>Exit codes: 0 done, 1 refused (the reason is printed), 2 wrong usage, 3 failure (database,
 * keys, files).
 */
@Command(name = "anonpay-ops", mixinStandardHelpOptions = true, version = "anonpay-ops 0.1.0",
        description = {"anonpay operations: issue cards, change card state, unblock PINs, list cards.",
                "physical-cards: the queue of plastic cards to produce and ship (delivery address, state).",
                "physical-card: mark a request --produced, or --shipped --tracking REF.",
                "mall: partner and non-affiliated malls and their API secrets.",
                "settle, reconcile, expire-authorizations: end-of-day clearing and settlement (docs/settlement.md)."},
        subcommands = {IssueCardCommand.class, CardStateCommand.class, UnblockPinCommand.class, CardsCommand.class, LoadCommand.class,
                PhysicalCardsCommand.class, PhysicalCardCommand.class, MallCommand.class,
                SettleCommand.class, ReconcileCommand.class, ExpireAuthorizationsCommand.class,
                org.anonpay.statements.StatementCommand.class, CommandLine.HelpCommand.class})
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

    /** Runs one command line in this JVM; returns the exit code. */
    public static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
        Ops ops = new Ops();
        ops.stdin = in;
        CommandLine cl = new CommandLine(ops);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // one line, no stack trace: a message of ours never holds card data
            commandLine.getErr().println("anonpay-ops: " + e.getMessage());
            return e instanceof CommandLine.ParameterException ? CommandLine.ExitCode.USAGE : FAILED;
        });
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }
}
