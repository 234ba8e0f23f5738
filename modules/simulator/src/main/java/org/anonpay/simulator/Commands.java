// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.simulator;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;

import org.anonpay.iso.Card;
import org.anonpay.iso.MessageFactory;
import org.anonpay.iso.Mti;
import org.anonpay.iso.OriginalData;
import org.anonpay.iso.PinBlocks;
import org.anonpay.iso.ProcessingCode;
import org.anonpay.iso.StanCounter;
import org.jpos.iso.ISOMsg;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The pos-sim subcommands: each builds one request, sends it and prints the exchange. */
final class Commands {
    private Commands() {
    }

    /** Builds the request from the options, then hands it to {@link Exchange}. */
    abstract static class MessageCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Options.Connection connection;

        @Mixin
        Options.Sender sender;

        abstract ISOMsg build(MessageFactory factory) throws IOException;

        @Override
        public Integer call() {
            ISOMsg request = buildRequest();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            return new Exchange(out, err).run(connection.host, connection.port, connection.timeout(), request);
        }

        /** Option values that no type check caught (a 5-digit PIN, a bad PAN...) are usage errors, exit code 2. */
        private ISOMsg buildRequest() {
            try {
                Instant transmittedAt = sender.transmissionTime != null ? sender.transmissionTime : Instant.now();
                MessageFactory factory = new MessageFactory(sender.terminal(), new StanCounter(sender.stanOrRandom()),
                        Clock.fixed(transmittedAt, ZoneOffset.UTC));
                ISOMsg request = build(factory);
                return sender.repeat ? MessageFactory.repeatOf(request) : request;
            } catch (IllegalArgumentException | IOException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
        }
    }

    /** Commands that carry a card. */
    abstract static class CardCommand extends MessageCommand {
        @Mixin
        Options.CardOptions card;

        /** The card options as message data; the PIN becomes an encrypted PIN block and is not kept. */
        Card cardData() throws IOException {
            Card data = new Card(card.pan, card.expiry, card.cvv2, null);
            if (card.pin == null) {
                return data;
            }
            String zpkHex = PinBlocks.zpkHex(card.zpkFileOrDefault());
            return data.withPinBlock(PinBlocks.encryptedIso0(card.pan, card.pin, zpkHex));
        }
    }

    /** Card commands with an amount. */
    abstract static class AmountCommand extends CardCommand {
        @Option(names = "--amount", required = true, description = "amount in minor units (e.g. 1000 = KRW 1000, USD 10.00), field 4")
        long amountMinor;
    }

    @Command(name = "echo", mixinStandardHelpOptions = true, description = "0800 network echo (70=301)")
    static final class Echo extends MessageCommand {
        @Override
        ISOMsg build(MessageFactory factory) {
            return factory.echo();
        }
    }

    @Command(name = "sign-on", mixinStandardHelpOptions = true, description = "0800 sign-on (70=001)")
    static final class SignOn extends MessageCommand {
        @Override
        ISOMsg build(MessageFactory factory) {
            return factory.signOn();
        }
    }

    @Command(name = "purchase", mixinStandardHelpOptions = true, description = "0200 purchase (3=000000): debits the card")
    static final class Purchase extends AmountCommand {
        @Override
        ISOMsg build(MessageFactory factory) throws IOException {
            return factory.purchase(cardData(), amountMinor);
        }
    }

    @Command(name = "authorize", mixinStandardHelpOptions = true,
            description = "0100 authorization (3=000000): holds the amount until a completion (complete)")
    static final class Authorize extends AmountCommand {
        @Override
        ISOMsg build(MessageFactory factory) throws IOException {
            return factory.authorization(cardData(), amountMinor);
        }
    }

    @Command(name = "advice", mixinStandardHelpOptions = true,
            description = "0120 authorization advice: tells the host about an authorization the acquirer stood in for")
    static final class Advice extends AmountCommand {
        @Override
        ISOMsg build(MessageFactory factory) throws IOException {
            return factory.authorizationAdvice(cardData(), amountMinor);
        }
    }

    @Command(name = "refund", mixinStandardHelpOptions = true, description = "0200 refund (3=200000): credits the card")
    static final class Refund extends AmountCommand {
        @Override
        ISOMsg build(MessageFactory factory) throws IOException {
            return factory.refund(cardData(), amountMinor);
        }
    }

    @Command(name = "load", mixinStandardHelpOptions = true,
            description = "0200 load (3=210000): tops the card up from the operator's funding side")
    static final class Load extends AmountCommand {
        @Override
        ISOMsg build(MessageFactory factory) throws IOException {
            return factory.load(cardData(), amountMinor);
        }
    }

    @Command(name = "balance", mixinStandardHelpOptions = true,
            description = "0200 balance inquiry (3=310000): the answer carries the balances in field 54")
    static final class Balance extends CardCommand {
        @Override
        ISOMsg build(MessageFactory factory) throws IOException {
            return factory.balanceInquiry(cardData());
        }
    }

    @Command(name = "complete", mixinStandardHelpOptions = true,
            description = "0220 completion of an earlier 0100 authorization: --amount is the final amount")
    static final class Complete extends AmountCommand {
        @Mixin
        Options.Original original;

        @Option(names = "--of-mti", defaultValue = Mti.AUTHORIZATION, description = "MTI of the original (default: ${DEFAULT-VALUE})")
        String originalMti;

        @Override
        ISOMsg build(MessageFactory factory) throws IOException {
            return factory.completion(cardData(), amountMinor, originalData(original, originalMti, sender));
        }
    }

    @Command(name = "reverse", mixinStandardHelpOptions = true,
            description = "0400 reversal (0420 with --advice) of an earlier message: --amount is the original amount")
    static final class Reverse extends AmountCommand {
        @Mixin
        Options.Original original;

        @Option(names = "--of-mti", defaultValue = Mti.FINANCIAL, description = "MTI of the original (default: ${DEFAULT-VALUE})")
        String originalMti;

        @Option(names = "--processing-code", defaultValue = ProcessingCode.PURCHASE,
                description = "processing code of the original, field 3 (default: ${DEFAULT-VALUE}; 200000 for a refund)")
        String processingCode;

        @Option(names = "--advice", description = "send a reversal advice (0420) instead of a reversal request (0400)")
        boolean advice;

        @Override
        ISOMsg build(MessageFactory factory) throws IOException {
            OriginalData data = originalData(original, originalMti, sender);
            return advice ? factory.reversalAdvice(cardData(), processingCode, amountMinor, data)
                    : factory.reversal(cardData(), processingCode, amountMinor, data);
        }
    }

    private static OriginalData originalData(Options.Original original, String originalMti, Options.Sender sender) {
        String acquirerId = original.acquirerId != null ? original.acquirerId : sender.acquirerId;
        return OriginalData.of(originalMti, zeroFilledStan(original.stan), original.transmissionTime, acquirerId);
    }

    /** People type STAN 123 for 000123. */
    private static String zeroFilledStan(String stan) {
        boolean shortDigits = stan.length() < 6 && stan.chars().allMatch(c -> c >= '0' && c <= '9');
        return shortDigits ? "0".repeat(6 - stan.length()) + stan : stan;
    }
}
