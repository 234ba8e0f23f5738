// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.extissuer;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Properties;

import org.anonpay.iso.Terminal;

/**
 * How {@link ExternalIssuerClient} talks to other issuers.
 *
 * @param gateway                who every request says it comes from: the anonpay gateway's acquirer id (32),
 *                               terminal (41), card acceptor (42, 43), MCC (18); e-commerce (card not present)
 * @param requestTimeout         how long to wait for the answer to a verification or charge
 * @param reversalAttemptTimeout how long to wait for the answer to one reversal message
 * @param reversalFirstBackoff   pause after the first unanswered reversal; doubled after each further one
 * @param reversalMaxBackoff     the longest pause between reversal messages
 * @param reversalGiveUpAfter    after this long without acknowledgement the charge ends REVERSAL_PENDING
 */
public record ExternalIssuerSettings(Terminal gateway, Duration requestTimeout, Duration reversalAttemptTimeout,
                                     Duration reversalFirstBackoff, Duration reversalMaxBackoff,
                                     Duration reversalGiveUpAfter) {
    public static final String DEFAULT_ACQUIRER_ID = "900100";
    public static final String DEFAULT_TERMINAL_ID = "APGW0001";
    public static final String DEFAULT_MERCHANT_ID = "ANONPAYWALLET01";
    public static final String DEFAULT_MERCHANT_NAME = "ANONPAY E-WALLET TOP-UP  SEOUL        KR";
    /** MCC 6540: stored value card purchase/load. */
    public static final String DEFAULT_MCC = "6540";

    public ExternalIssuerSettings {
        assert gateway != null;
        requirePositive("request timeout", requestTimeout);
        requirePositive("reversal attempt timeout", reversalAttemptTimeout);
        requirePositive("reversal first backoff", reversalFirstBackoff);
        requirePositive("reversal max backoff", reversalMaxBackoff);
        requirePositive("reversal give-up time", reversalGiveUpAfter);
    }

    public static ExternalIssuerSettings defaults() {
        Terminal gateway = new Terminal(DEFAULT_ACQUIRER_ID, DEFAULT_TERMINAL_ID, DEFAULT_MERCHANT_ID, DEFAULT_MERCHANT_NAME,
                DEFAULT_MCC, Terminal.DEFAULT_CURRENCY, Terminal.DEFAULT_ZONE, true);
        return new ExternalIssuerSettings(gateway, Duration.ofSeconds(15), Duration.ofSeconds(5),
                Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofMinutes(2));
    }

    /** {@link #defaults()} overridden by the keys present in {@code file} (see cfg/extissuer/link.properties). */
    public static ExternalIssuerSettings load(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        }
        return from(props);
    }

    public static ExternalIssuerSettings from(Properties p) {
        ExternalIssuerSettings d = defaults();
        Terminal g = d.gateway();
        Terminal gateway = new Terminal(p.getProperty("acquirer-id", g.acquirerId()), p.getProperty("terminal-id", g.terminalId()),
                p.getProperty("merchant-id", g.merchantId()), p.getProperty("merchant-name", g.merchantName()),
                p.getProperty("mcc", g.mcc()), g.currency(), ZoneId.of(p.getProperty("zone", g.zone().getId())), true);
        return new ExternalIssuerSettings(gateway,
                millis(p, "request-timeout-ms", d.requestTimeout()),
                millis(p, "reversal.attempt-timeout-ms", d.reversalAttemptTimeout()),
                millis(p, "reversal.first-backoff-ms", d.reversalFirstBackoff()),
                millis(p, "reversal.max-backoff-ms", d.reversalMaxBackoff()),
                millis(p, "reversal.give-up-after-ms", d.reversalGiveUpAfter()));
    }

    public ExternalIssuerSettings withTimeouts(Duration request, Duration reversalAttempt, Duration firstBackoff,
                                               Duration maxBackoff, Duration giveUpAfter) {
        return new ExternalIssuerSettings(gateway, request, reversalAttempt, firstBackoff, maxBackoff, giveUpAfter);
    }

    private static Duration millis(Properties p, String key, Duration fallback) {
        String value = p.getProperty(key);
        return value == null ? fallback : Duration.ofMillis(Long.parseLong(value.trim()));
    }

    private static void requirePositive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
    }
}
