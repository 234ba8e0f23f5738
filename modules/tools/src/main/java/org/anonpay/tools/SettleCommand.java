// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.tools;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.anonpay.db.Database;
import org.anonpay.ledger.Ledger;
import org.anonpay.settlement.MerchantTotals;
import org.anonpay.settlement.Settlement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Settles one business date: ledger transfers per merchant and the settlement files (docs/settlement.md). */
@Command(name = "settle", mixinStandardHelpOptions = true,
        description = {"Clearing and settlement of one business date: per merchant, the day's net minus the fee moved from "
                + "its payable to its settlement account, and the settlement files (per merchant, summary, per acquirer).",
                "A re-run moves nothing twice and rewrites the same files."})
final class SettleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OpsEnvironment env;

    @Mixin
    SettlementOptions settlement;

    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "the business date to settle")
    LocalDate date;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Database db = env.openDatabase()) {
            Settlement.Report report = new Settlement(db, new Ledger(), settlement.config(), out::println).run(date);
            out.printf("%-11s  %-15s  %-3s  %6s  %16s  %16s  %14s  %16s%n", "acquirer", "merchant", "cur", "count", "gross", "refunds", "fee", "net");
            for (MerchantTotals t : report.merchants()) {
                String c = t.merchant().currency();
                out.printf("%-11s  %-15s  %-3s  %6d  %16s  %16s  %14s  %16s%n", t.merchant().acquirerId(), t.merchant().merchantId(), c,
                        t.count(), Money.major(t.gross(), c), Money.major(t.refunds(), c), Money.major(t.fee(), c), Money.major(t.net(), c));
            }
            out.println("settled " + date + ": " + report.created() + " merchants now, " + report.existing() + " already settled, "
                    + report.files().size() + " files");
            return 0;
        }
    }
}
