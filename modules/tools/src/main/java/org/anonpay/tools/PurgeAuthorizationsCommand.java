// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.tools;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.anonpay.authz.AuthorizationRetention;
import org.anonpay.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** What the settlement service's daily purge does (deploy/88_settlement.xml), by hand. */
@Command(name = "purge-authorizations", mixinStandardHelpOptions = true,
        description = "Purges what authorization needs only for a while: the key claims of messages journaled more than N days ago "
                + "(a repeat-flagged message is still answered from the journal) and the cards' days' spending of business dates "
                + "more than M days back (the daily limits read only the message's own day). The journal itself is kept.")
final class PurgeAuthorizationsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OpsEnvironment env;

    @Mixin
    SettlementOptions settlement;

    @Option(names = "--key-claims-days", paramLabel = "N", defaultValue = "" + AuthorizationRetention.DEFAULT_KEY_CLAIMS_DAYS,
            description = "default: ${DEFAULT-VALUE}")
    int keyClaimsDays;

    @Option(names = "--day-spending-days", paramLabel = "M", defaultValue = "" + AuthorizationRetention.DEFAULT_DAY_SPENDING_DAYS,
            description = "default: ${DEFAULT-VALUE}")
    int daySpendingDays;

    @Override
    public Integer call() {
        if (keyClaimsDays < 1) throw new ParameterException(spec.commandLine(), "--key-claims-days must be at least 1: " + keyClaimsDays);
        if (daySpendingDays < 1) throw new ParameterException(spec.commandLine(), "--day-spending-days must be at least 1: " + daySpendingDays);
        PrintWriter out = spec.commandLine().getOut();
        Instant now = Instant.now();
        try (Database db = env.openDatabase()) {
            AuthorizationRetention.Purged purged = new AuthorizationRetention(db, AuthorizationRetention.DEFAULT_CHUNK_ROWS, out::println)
                    .runKeeping(keyClaimsDays, daySpendingDays, now, settlement.config().businessDateOf(now));
            out.println("purged " + purged.keyClaims() + " key claims (" + purged.journalRowsWalked() + " journal rows walked), "
                    + purged.daySpendingRows() + " days' spending rows");
            return 0;
        }
    }
}
