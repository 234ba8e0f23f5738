// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.statements;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * Settings of the statement job, from {@code cfg/statements/statements.properties}. Secrets are
 * never in the file: the SMTP and SMPP passwords come from the environment variables it names.
 *
 * @param smtpHost          SMTP server (development: localhost)
 * @param smtpPort          its port
 * @param smtpStartTls      require STARTTLS
 * @param smtpUser          SMTP user, empty for none
 * @param smtpPassword      from the environment variable {@code smtp.password-env}
 * @param mailFrom          From address of the statement mails
 * @param smppHost          SMSC host
 * @param smppPort          SMSC port
 * @param smppSystemId      system_id of the bind
 * @param smppPassword      from the environment variable {@code smpp.password-env}
 * @param smsSource         source address (sender number) of the SMS
 * @param walletUrl         the wallet's address in the SMS and the mail
 * @param progressEvery     a progress line every this many members (and at the end)
 * @param maxAttempts       sends per member before the statement is FAILED and reported
 * @param backoff           wait before the second attempt; doubled for each next one
 * @param staleSending      a statement SENDING for longer than this was interrupted by a crash
 * @param sendTimeout       timeout of one SMTP or SMPP exchange (must be well below staleSending)
 * @param pauseBetween      pause after each member (a mail relay's or SMSC's rate limit; 0 for none)
 */
public record StatementSettings(
        String smtpHost, int smtpPort, boolean smtpStartTls, String smtpUser, String smtpPassword, String mailFrom,
        String smppHost, int smppPort, String smppSystemId, String smppPassword, String smsSource,
        String walletUrl, int progressEvery, int maxAttempts, Duration backoff, Duration staleSending, Duration sendTimeout,
        Duration pauseBetween) {

    public StatementSettings {
        if (maxAttempts < 1) throw new IllegalArgumentException("max-attempts must be at least 1");
        if (progressEvery < 1) throw new IllegalArgumentException("progress-every must be at least 1");
        if (sendTimeout.compareTo(staleSending) >= 0) {
            throw new IllegalArgumentException("send-timeout must be shorter than sending-stale-minutes");
        }
    }

    /** Development defaults: everything on localhost. */
    public static StatementSettings defaults() {
        return from(new Properties(), Map.of());
    }

    public static StatementSettings load(Path file, Map<String, String> env) {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file, e);
            }
        }
        return from(p, env);
    }

    public static StatementSettings from(Properties p, Map<String, String> env) {
        return new StatementSettings(
                p.getProperty("smtp.host", "localhost").trim(),
                Integer.parseInt(p.getProperty("smtp.port", "25").trim()),
                Boolean.parseBoolean(p.getProperty("smtp.starttls", "false").trim()),
                p.getProperty("smtp.user", "").trim(),
                env.getOrDefault(p.getProperty("smtp.password-env", "ANONPAY_SMTP_PASSWORD").trim(), ""),
                p.getProperty("mail.from", "statements@anonpay.localhost").trim(),
                p.getProperty("smpp.host", "localhost").trim(),
                Integer.parseInt(p.getProperty("smpp.port", "2775").trim()),
                p.getProperty("smpp.system-id", "anonpay").trim(),
                env.getOrDefault(p.getProperty("smpp.password-env", "ANONPAY_SMPP_PASSWORD").trim(), ""),
                p.getProperty("sms.source", "anonpay").trim(),
                p.getProperty("wallet.url", "http://127.0.0.1:8080/").trim(),
                Integer.parseInt(p.getProperty("progress-every", "100").trim()),
                Integer.parseInt(p.getProperty("max-attempts", "3").trim()),
                Duration.ofMillis(Long.parseLong(p.getProperty("backoff-millis", "2000").trim())),
                Duration.ofMinutes(Long.parseLong(p.getProperty("sending-stale-minutes", "10").trim())),
                Duration.ofMillis(Long.parseLong(p.getProperty("send-timeout-millis", "30000").trim())),
                Duration.ofMillis(Long.parseLong(p.getProperty("pause-between-millis", "0").trim())));
    }

    public StatementSettings withSmtp(String host, int port) {
        return new StatementSettings(host, port, smtpStartTls, smtpUser, smtpPassword, mailFrom, smppHost, smppPort, smppSystemId,
                smppPassword, smsSource, walletUrl, progressEvery, maxAttempts, backoff, staleSending, sendTimeout, pauseBetween);
    }

    public StatementSettings withSmpp(String host, int port) {
        return new StatementSettings(smtpHost, smtpPort, smtpStartTls, smtpUser, smtpPassword, mailFrom, host, port, smppSystemId,
                smppPassword, smsSource, walletUrl, progressEvery, maxAttempts, backoff, staleSending, sendTimeout, pauseBetween);
    }

    public StatementSettings withRetries(int attempts, Duration firstBackoff) {
        return new StatementSettings(smtpHost, smtpPort, smtpStartTls, smtpUser, smtpPassword, mailFrom, smppHost, smppPort, smppSystemId,
                smppPassword, smsSource, walletUrl, progressEvery, attempts, firstBackoff, staleSending, sendTimeout, pauseBetween);
    }

    @Override
    public String toString() {   // never the passwords
        return "smtp " + smtpHost + ":" + smtpPort + ", smpp " + smppSystemId + "@" + smppHost + ":" + smppPort
                + ", wallet " + walletUrl + ", attempts " + maxAttempts;
    }
}
