// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.tools;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.anonpay.db.Database;
import org.anonpay.issuer.Card;
import org.anonpay.issuer.CardIssuer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Allows PIN use again after too many wrong PINs, once the cardholder has been identified. */
@Command(name = "unblock-pin", mixinStandardHelpOptions = true,
        description = "Resets a card's count of wrong PINs, so that its PIN is accepted again.")
final class UnblockPinCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OpsEnvironment env;

    @Option(names = "--card-id", required = true, paramLabel = "N", description = "the card's id (see: cards)")
    long cardId;

    @Override
    public Integer call() {
        try (Database db = env.openDatabase()) {
            CardIssuer issuer = env.issuer(env.programs());
            return db.inTransaction(s -> {
                Optional<Card> card = issuer.findById(s, cardId);
                if (card.isEmpty()) {
                    spec.commandLine().getErr().println("no card with id " + cardId);
                    return Ops.REFUSED;
                }
                int wrongTries = card.get().pinTriesWrong();
                issuer.unblockPin(s, cardId);
                spec.commandLine().getOut().println("card " + cardId + " (" + card.get().maskedPan() + "): PIN unblocked"
                        + " (" + wrongTries + " wrong PIN" + (wrongTries == 1 ? "" : "s") + " cleared)");
                return 0;
            });
        }
    }
}
