// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.simulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Currency;
import java.util.concurrent.ThreadLocalRandom;

import org.anonpay.iso.PinBlocks;
import org.anonpay.iso.Terminal;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Option groups shared by the subcommands (picocli mixins). */
final class Options {
    private Options() {
    }

    static final class Connection {
        @Option(names = "--host", defaultValue = "localhost", description = "host to connect to (default: ${DEFAULT-VALUE})")
        String host;

        @Option(names = "--port", defaultValue = "8583", description = "port (default: ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--timeout-ms", defaultValue = "30000",
                description = "connect and response timeout in milliseconds (default: ${DEFAULT-VALUE})")
        long timeoutMs;

        Duration timeout() {
            return Duration.ofMillis(timeoutMs);
        }
    }

    static final class Sender {
        @Option(names = "--terminal", defaultValue = Terminal.DEFAULT_TERMINAL_ID,
                description = "terminal id, field 41 (default: ${DEFAULT-VALUE})")
        String terminalId;

        @Option(names = "--merchant", defaultValue = Terminal.DEFAULT_MERCHANT_ID,
                description = "card acceptor (merchant) id, field 42 (default: ${DEFAULT-VALUE})")
        String merchantId;

        @Option(names = "--acquirer", defaultValue = Terminal.DEFAULT_ACQUIRER_ID,
                description = "acquirer id, field 32 (default: ${DEFAULT-VALUE})")
        String acquirerId;

        @Option(names = "--mcc", defaultValue = Terminal.DEFAULT_MCC, description = "merchant category code, field 18 (default: ${DEFAULT-VALUE})")
        String mcc;

        @Option(names = "--currency", defaultValue = Terminal.DEFAULT_CURRENCY, converter = CurrencyConverter.class,
                description = "currency, ISO 4217 numeric or alphabetic (KRW, USD...), field 49 (default: ${DEFAULT-VALUE})")
        String currency;

        @Option(names = "--ecommerce", description = "send as an e-commerce (mall) terminal: 22=812, 25=59, 60=07")
        boolean ecommerce;

        @Option(names = "--stan", description = "STAN, field 11 (default: random)")
        Integer stan;

        @Option(names = "--time", converter = TransmissionTimeConverter.class,
                description = "transmission date and time MMDDhhmmss UTC, field 7 (default: now); with --stan, repeats a message")
        Instant transmissionTime;

        @Option(names = "--repeat", description = "send the repeat MTI (ending in 1), e.g. 0201 instead of 0200")
        boolean repeat;

        Terminal terminal() {
            return Terminal.defaults().withTerminalId(terminalId).withMerchantId(merchantId).withAcquirerId(acquirerId)
                    .withMcc(mcc).withCurrency(currency).withEcommerce(ecommerce);
        }

        int stanOrRandom() {
            return stan != null ? stan : ThreadLocalRandom.current().nextInt(1, 1_000_000);
        }
    }

    static final class CardOptions {
        @Option(names = "--pan", required = true, description = "card number, field 2")
        String pan;

        @Option(names = "--expiry", description = "expiry YYMM, field 14")
        String expiry;

        @Option(names = "--cvv2", description = "CVV2, field 48 tag 92")
        String cvv2;

        @Option(names = "--pin", description = "card PIN: sent as an ISO format 0 PIN block under the ZPK, field 52")
        String pin;

        @Option(names = "--zpk-file", description = "clear ZPK (hex) file (default: cfg/keys/dev-zpk.hex in this or a parent directory)")
        Path zpkFile;

        /** The ZPK file given, or the development key of the checkout the simulator runs in. */
        Path zpkFileOrDefault() {
            if (zpkFile != null) {
                return zpkFile;
            }
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(PinBlocks.DEV_ZPK_FILE);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
            return Path.of(PinBlocks.DEV_ZPK_FILE);
        }
    }

    static final class Original {
        @Option(names = "--of-stan", required = true, description = "STAN (field 11) of the original message")
        String stan;

        @Option(names = "--of-time", required = true, description = "transmission time (field 7, MMDDhhmmss) of the original message")
        String transmissionTime;

        @Option(names = "--of-acquirer", description = "acquirer id (field 32) of the original (default: --acquirer)")
        String acquirerId;
    }

    /** Alphabetic ISO 4217 codes become numeric: KRW → 410. */
    static final class CurrencyConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (value.matches("\\d{3}")) {
                return value;
            }
            try {
                return Currency.getInstance(value.toUpperCase()).getNumericCodeAsString();
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not an ISO 4217 currency code");
            }
        }
    }

    /** MMDDhhmmss in UTC, taken in the current year (the previous one if that would be in the future). */
    static final class TransmissionTimeConverter implements ITypeConverter<Instant> {
        private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuuMMddHHmmss");

        @Override
        public Instant convert(String value) {
            if (!value.matches("\\d{10}")) {
                throw new TypeConversionException("transmission time must be MMDDhhmmss");
            }
            Instant now = Instant.now();
            int year = now.atZone(ZoneOffset.UTC).getYear();
            Instant candidate = parse(year, value);
            return candidate.isAfter(now.plus(Duration.ofDays(1))) ? parse(year - 1, value) : candidate;
        }

        private static Instant parse(int year, String value) {
            try {
                return LocalDateTime.parse(year + value, FORMAT).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not a valid MMDDhhmmss time");
            }
        }
    }
}
