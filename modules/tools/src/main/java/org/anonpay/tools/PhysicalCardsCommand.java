// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.tools;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.anonpay.db.Database;
import org.anonpay.issuer.PhysicalCards;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The issuer staff's queue of plastic cards to produce and ship (a6). It prints the clear delivery
 * address: that is what goes on the parcel. The card number stays masked.
 */
@Command(name = "physical-cards", mixinStandardHelpOptions = true,
        description = "Lists physical card requests not yet shipped: id, card id, masked number, card name, delivery, address, state, requested at.")
final class PhysicalCardsCommand implements Callable<Integer> {

    private static final String ROW = "%6s  %8s  %-16s  %-15s  %-6s  %-9s  %-20s  %s%n";

    @Spec
    CommandSpec spec;

    @Mixin
    OpsEnvironment env;

    @Option(names = "--all", description = "shipped requests too")
    boolean all;

    @Option(names = "--limit", defaultValue = "1000", paramLabel = "N", description = "at most N requests, oldest first (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
        PhysicalCards physical = PhysicalCards.load(env.keysDir);
        try (Database db = env.openDatabase()) {
            List<PhysicalCards.QueueEntry> queue = db.inJdbcTransaction(c -> physical.queue(c, all, limit));
            PrintWriter out = spec.commandLine().getOut();
            out.printf(ROW, "id", "card", "number", "name", "to", "state", "requested at", "address");
            for (PhysicalCards.QueueEntry e : queue) {
                // one line per request: line breaks of the address would break the table
                out.printf(ROW, e.requestId(), e.cardId(), e.maskedPan(), e.cardName(), e.delivery(), e.state(),
                        e.requestedAt().toString(), e.address().replace('\n', ' '));
            }
            return 0;
        }
    }
}
