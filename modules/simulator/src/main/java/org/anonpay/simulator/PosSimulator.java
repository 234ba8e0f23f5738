// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.simulator;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code pos-sim}: a POS terminal / VAN simulator that sends one ISO 8583 request to the anonpay host,
 * prints the request and the response (card data masked) and a summary line. Exit code 0 when the host
 * answered (whatever the response code), 1 when it did not, 2 for bad options.
 */
@Command(name = "pos-sim",
        mixinStandardHelpOptions = true,
        version = "pos-sim 0.1.0",
        description = "Sends ISO 8583:1987 requests to the anonpay host as a POS terminal or VAN would.",
        subcommands = {
            Commands.Echo.class, Commands.SignOn.class, Commands.Purchase.class, Commands.Authorize.class,
            Commands.Complete.class, Commands.Advice.class, Commands.Refund.class, Commands.Load.class, Commands.Balance.class,
            Commands.Reverse.class})
public final class PosSimulator implements Runnable {
    public static final int EXIT_ANSWERED = 0;
    public static final int EXIT_NO_ANSWER = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line; output goes to {@code out}, errors and usage to {@code err}. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new PosSimulator());
        cli.setOut(out);
        cli.setErr(err);
        int exitCode = cli.execute(args);
        out.flush();
        err.flush();
        return exitCode;
    }

    /** Without a subcommand: show what there is. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
