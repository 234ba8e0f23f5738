// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.tools;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.anonpay.db.Database;
import org.anonpay.issuer.Card;
import org.anonpay.issuer.CardIssuer;
import org.anonpay.issuer.CardProgram;
import org.anonpay.iso.AdditionalAmounts;
import org.anonpay.iso.IsoClient;
import org.anonpay.iso.MessageFactory;
import org.anonpay.iso.ResponseCode;
import org.anonpay.iso.Terminal;
import org.jpos.iso.ISOMsg;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Cash top-up at the ops desk (a7): the money goes onto the card the way every load does, as an
 * ISO 8583 message (0200, processing code 21) through the host's one transaction manager, never
 * by writing the ledger from here. The desk is a terminal of its own (field 41/42).
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Cash top-up at the ops desk: sends a 0200 load (processing code 21) for the card to the running host.")
final class LoadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OpsEnvironment env;

    @Option(names = "--card-id", required = true, paramLabel = "N", description = "the card's id (see: cards)")
    long cardId;

    @Option(names = "--amount", required = true, paramLabel = "MINOR", description = "amount in minor units of the card's currency (KRW: won, USD: cents)")
    long amountMinor;

    @Option(names = "--host", defaultValue = "localhost", description = "the host's ISO 8583 server (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "8583", description = "(default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--desk", defaultValue = "OPSDESK1", description = "the desk's terminal id, 8 characters (default: ${DEFAULT-VALUE})")
    String desk;

    @Override
    public Integer call() throws Exception {
        if (amountMinor <= 0) {
            spec.commandLine().getErr().println("--amount must be positive");
            return Ops.REFUSED;
        }
        Optional<ISOMsg> request = loadRequest();
        if (request.isEmpty()) return Ops.REFUSED;
        ISOMsg response;
        try (IsoClient client = IsoClient.connect(host, port, Duration.ofSeconds(30))) {
            response = client.exchange(request.get());
        }
        return report(response);
    }

    /** The load for the card, or empty (and why, on stderr) when there is no such card. */
    private Optional<ISOMsg> loadRequest() {
        try (Database db = env.openDatabase()) {
            CardIssuer issuer = env.issuer(env.programs());
            return db.inTransaction(s -> {
                Optional<Card> card = issuer.findById(s, cardId);
                Optional<CardProgram> program = card.flatMap(issuer::programOf);
                if (program.isEmpty()) {
                    spec.commandLine().getErr().println("no card with id " + cardId);
                    return Optional.empty();
                }
                Terminal terminal = Terminal.defaults().withTerminalId(desk).withMerchantId("OPS-CASH-DESK")
                        .withMerchantName("ANONPAY OPS CASH DESK").withCurrency(program.get().currencyNumeric());
                org.anonpay.iso.Card data = org.anonpay.iso.Card.ofPan(issuer.revealPan(card.get())).withExpiry(card.get().expiryYymm());
                return Optional.of(new MessageFactory(terminal).load(data, amountMinor));
            });
        }
    }

    private int report(ISOMsg response) {
        String code = response.getString(39);
        String balance = AdditionalAmounts.parse(response.getString(54)).flatMap(AdditionalAmounts::availableBalanceMinor)
                .map(b -> ", available balance " + b).orElse("");
        spec.commandLine().getOut().println("card " + cardId + ": load of " + amountMinor + " answered "
                + ResponseCode.describe(code) + balance);
        return "00".equals(code) ? 0 : Ops.REFUSED;
    }
}
