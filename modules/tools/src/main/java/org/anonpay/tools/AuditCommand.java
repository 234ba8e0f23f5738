// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.tools;

import java.io.PrintWriter;
import java.sql.Connection;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.anonpay.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Lists the ops audit log, or checks its hash chain. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Lists the newest rows of the ops audit log (who, what, when, outcome), newest first.",
                "--verify recomputes the hash chain: 'chain intact (N rows)', or the first broken row and exit code 1."})
final class AuditCommand implements Callable<Integer> {

    private static final String ROW = "%6s  %-26s  %-20s  %-24s  %4s  %s%n";

    @Spec
    CommandSpec spec;

    @Mixin
    OpsEnvironment env;

    @Option(names = "--verify", description = "recompute the hash chain over every row")
    boolean verify;

    @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "rows to list (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Database db = env.openDatabase(); Connection c = db.dataSource().getConnection()) {
            try {
                if (verify) {
                    int[] rows = {0};
                    Optional<String> broken = OpsAudit.verify(c, n -> rows[0] = n);
                    if (broken.isPresent()) {
                        spec.commandLine().getErr().println("chain broken: " + broken.get());
                        return Ops.REFUSED;
                    }
                    out.println("chain intact (" + rows[0] + " rows)");
                    return 0;
                }
                out.printf(ROW, "id", "at (UTC)", "user@host", "command", "exit", "arguments / outcome");
                for (OpsAudit.Entry e : OpsAudit.recent(c, limit)) {
                    out.printf(ROW, e.id(), e.at(), e.osUser() + "@" + e.hostName(), e.command(), e.exitCode(), e.arguments());
                    out.printf(ROW, "", "", "", "", "", "-> " + e.outcome());
                }
                return 0;
            } finally {
                c.rollback();
            }
        }
    }
}
