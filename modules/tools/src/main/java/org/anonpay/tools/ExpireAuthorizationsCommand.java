// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.tools;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.anonpay.db.Database;
import org.anonpay.ledger.Ledger;
import org.anonpay.settlement.AuthorizationExpiry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Releases the holds of authorizations not completed within N days. */
@Command(name = "expire-authorizations", mixinStandardHelpOptions = true,
        description = "Expires approved authorizations neither completed nor reversed within N days: their holds are voided "
                + "in the ledger and they are marked in the journal (a late completion is then declined).")
final class ExpireAuthorizationsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OpsEnvironment env;

    @Mixin
    SettlementOptions settlement;

    @Option(names = "--older-than-days", paramLabel = "N", description = "default: expiry.days of the settlement settings")
    Integer days;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int n = days != null ? days : settlement.config().expiryDays();
        try (Database db = env.openDatabase()) {
            AuthorizationExpiry.Report report = new AuthorizationExpiry(db, new Ledger(), out::println).run(n, Instant.now());
            out.println("expired " + report.expired() + " authorizations, " + report.amount() + " minor units released, "
                    + report.skipped() + " skipped");
            return 0;
        }
    }
}
