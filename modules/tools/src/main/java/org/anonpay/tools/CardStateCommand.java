// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.tools;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import org.anonpay.db.Database;
import org.anonpay.issuer.Card;
import org.anonpay.issuer.CardIssuer;
import org.anonpay.issuer.CardState;
import org.anonpay.issuer.StateChange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Freezes, unfreezes, reports lost/stolen or closes a card. */
@Command(name = "card-state", mixinStandardHelpOptions = true,
        description = "Changes a card's state: ACTIVE <-> FROZEN; ACTIVE/FROZEN/EXPIRED -> LOST, STOLEN, CLOSED; LOST/STOLEN -> CLOSED.")
final class CardStateCommand implements Callable<Integer> {

    /** EXPIRED comes from the expiry date, never from an operator. */
    private static final Set<CardState> REQUESTABLE = EnumSet.of(CardState.ACTIVE, CardState.FROZEN, CardState.LOST,
            CardState.STOLEN, CardState.CLOSED);

    @Spec
    CommandSpec spec;

    @Mixin
    OpsEnvironment env;

    @Option(names = "--card-id", required = true, paramLabel = "N", description = "the card's id (see: cards)")
    long cardId;

    @Option(names = "--to", required = true, paramLabel = "STATE", description = "ACTIVE, FROZEN, LOST, STOLEN or CLOSED")
    CardState to;

    @Override
    public Integer call() {
        if (!REQUESTABLE.contains(to)) throw new ParameterException(spec.commandLine(), "--to must be one of " + REQUESTABLE);
        try (Database db = env.openDatabase()) {
            CardIssuer issuer = env.issuer(env.programs());
            return db.inTransaction(s -> {
                CardState before = issuer.findById(s, cardId).map(Card::state).orElse(null);
                StateChange change = issuer.changeState(s, cardId, to);
                return report(change, before);
            });
        }
    }

    private int report(StateChange change, CardState before) {
        if (change == StateChange.CHANGED) {
            spec.commandLine().getOut().println("card " + cardId + ": " + before + " -> " + to);
            return 0;
        }
        if (change == StateChange.ALREADY_IN_STATE) {
            spec.commandLine().getOut().println("card " + cardId + ": already " + to);
            return 0;
        }
        spec.commandLine().getErr().println("card " + cardId + ": not changed: " + change + (before == null ? "" : " (state " + before + ")"));
        return Ops.REFUSED;
    }
}
