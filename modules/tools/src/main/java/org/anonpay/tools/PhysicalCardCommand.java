// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.tools;

import java.util.concurrent.Callable;
import org.anonpay.db.Database;
import org.anonpay.issuer.PhysicalCards;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Moves a physical card request on: REQUESTED -> PRODUCED -> SHIPPED (with the carrier's tracking reference). */
@Command(name = "physical-card", mixinStandardHelpOptions = true,
        description = "Marks a physical card request produced (--produced) or shipped (--shipped --tracking REF).")
final class PhysicalCardCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OpsEnvironment env;

    @Option(names = "--id", required = true, paramLabel = "N", description = "the request's id (see: physical-cards)")
    long id;

    static final class Step {
        @Option(names = "--produced", required = true, description = "the plastic card is made") boolean produced;
        @Option(names = "--shipped", required = true, description = "the card left with the carrier (needs --tracking)") boolean shipped;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Step step;

    @Option(names = "--tracking", paramLabel = "REF", description = "the carrier's tracking reference (with --shipped)")
    String tracking;

    @Override
    public Integer call() {
        if (step.shipped && tracking == null) throw new ParameterException(spec.commandLine(), "--shipped needs --tracking REF");
        if (step.produced && tracking != null) throw new ParameterException(spec.commandLine(), "--tracking goes with --shipped");
        PhysicalCards physical = PhysicalCards.load(env.keysDir);
        try (Database db = env.openDatabase()) {
            PhysicalCards.Transition t = db.inJdbcTransaction(c -> step.produced ? physical.markProduced(c, id) : physical.markShipped(c, id, tracking));
            return report(t, step.produced ? "PRODUCED" : "SHIPPED");
        }
    }

    private int report(PhysicalCards.Transition t, String to) {
        if (t == PhysicalCards.Transition.DONE) {
            spec.commandLine().getOut().println("physical card request " + id + ": " + to);
            return 0;
        }
        spec.commandLine().getErr().println("physical card request " + id + ": not changed: " + t
                + (t == PhysicalCards.Transition.WRONG_STATE ? " (REQUESTED -> PRODUCED -> SHIPPED, one step at a time)" : ""));
        return Ops.REFUSED;
    }
}
