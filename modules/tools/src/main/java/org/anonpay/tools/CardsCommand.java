// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.tools;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.Callable;
import org.anonpay.db.Database;
import org.anonpay.issuer.Card;
import org.anonpay.issuer.CardIssuer;
import org.anonpay.issuer.CardProgram;
import org.anonpay.issuer.CardPrograms;
import org.anonpay.issuer.CardState;
import org.anonpay.ledger.Balance;
import org.anonpay.ledger.Ledger;
import org.hibernate.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Lists cards with masked number, program, state and available balance. */
@Command(name = "cards", mixinStandardHelpOptions = true, description = "Lists cards: id, masked number, program, state, balance.")
final class CardsCommand implements Callable<Integer> {

    private static final String ROW = "%8s  %-16s  %-12s  %-7s  %4s  %20s%n";

    @Spec
    CommandSpec spec;

    @Mixin
    OpsEnvironment env;

    @Option(names = "--program", paramLabel = "ID", description = "only this program's cards")
    String programId;

    @Option(names = "--state", paramLabel = "STATE", description = "only cards in this state")
    CardState state;

    @Option(names = "--limit", defaultValue = "1000", paramLabel = "N", description = "at most N cards, lowest ids first (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
        CardPrograms programs = env.programs();
        Ledger ledger = new Ledger();
        try (Database db = env.openDatabase()) {
            CardIssuer issuer = env.issuer(programs);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(ROW, "id", "card", "program", "state", "pin", "balance");
            return db.inTransaction(s -> {
                for (Card card : cards(s)) {
                    String pin = issuer.pinBlocked(card) ? "BLKD" : "ok";
                    out.printf(ROW, card.id(), card.maskedPan(), card.programId(), card.state(), pin, balance(s, ledger, card, programs));
                }
                return 0;
            });
        }
    }

    private List<Card> cards(Session s) {
        return s.createSelectionQuery("from Card c where (:program is null or c.programId = :program) "
                        + "and (:state is null or c.state = :state) order by c.id", Card.class)
                .setParameter("program", programId)
                .setParameter("state", state)
                .setMaxResults(limit)
                .getResultList();
    }

    /** Available balance in major units, e.g. "12.50 USD", "30000 KRW". */
    private static String balance(Session s, Ledger ledger, Card card, CardPrograms programs) {
        if (card.ledgerAccountId() == 0) return "-";
        Balance b = s.doReturningWork(c -> ledger.balance(c, card.ledgerAccountId()));
        int digits = programs.byId(card.programId()).map(CardProgram::fractionDigits)
                .orElse(java.util.Currency.getInstance(b.currency()).getDefaultFractionDigits());
        return BigDecimal.valueOf(b.available(), digits).toPlainString() + " " + b.currency();
    }
}
