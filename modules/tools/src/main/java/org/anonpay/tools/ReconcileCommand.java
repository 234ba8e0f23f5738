// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.tools;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import org.anonpay.db.Database;
import org.anonpay.ledger.Ledger;
import org.anonpay.settlement.Break;
import org.anonpay.settlement.Reconciliation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Compares journal, ledger and settlement files of one business date and prints every break. */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = {"Reconciliation of one business date: authorization journal against ledger, ledger against "
                + "settlement batches and transfers, settlement files against both; and the trial balance.",
                "Prints every break and their number; exit code 0 with zero breaks, 1 with any."})
final class ReconcileCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OpsEnvironment env;

    @Mixin
    SettlementOptions settlement;

    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "the business date to reconcile")
    LocalDate date;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Database db = env.openDatabase()) {
            List<Break> breaks = new Reconciliation(db, new Ledger(), settlement.config()).run(date, out::println);
            breaks.forEach(out::println);
            out.println("reconciled " + date + ": " + breaks.size() + " breaks");
            return breaks.isEmpty() ? 0 : Ops.REFUSED;
        }
    }
}
