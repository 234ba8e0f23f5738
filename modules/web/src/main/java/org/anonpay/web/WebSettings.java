// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.anonpay.web.member.Argon2id;

/**
 * The wallet web's settings file ({@code cfg/web/wallet-web.properties}). Relative paths in it
 * are resolved against {@code baseDir}: the working directory under Q2, the repository root in tests.
 *
 * @param keysDir     cfg/keys: the member key, and the issuer's card keys (card application, a2-a6)
 * @param programsDir card program files, used when no CardProgramService runs in the same Q2
 * @param funding     funding sources and top-ups (a7)
 * @param purchaseTtl how long the gateway keeps a purchase the member confirmed in the wallet (b5)
 */
public record WebSettings(Path securityQuestions, Path commonPasswords, Path keysDir,
                          int maxBodyBytes, int workerThreads, Argon2id.Params argon2, Auth auth, Mail mail,
                          Path programsDir, Funding funding, Duration purchaseTtl) {

    /**
     * Funding sources and top-ups (a7).
     *
     * @param banks               the bank list (code=Korean name|English name); by default banks.properties next to the security questions
     * @param bankTransfers       how bank accounts are debited: only {@code simulator} exists (no firm-banking link yet)
     * @param externalIssuerMux   the QMUX of the link to other card issuers (deploy/66)
     * @param externalIssuerLink  that link's settings file (cfg/extissuer/link.properties)
     * @param loadTimeout         how long a top-up waits for the transaction manager's answer to its load
     * @param recoveryInterval    how often unfinished top-ups are looked for (and once at start)
     */
    public record Funding(Path banks, String bankTransfers, String externalIssuerMux, Path externalIssuerLink,
                          Duration loadTimeout, Duration recoveryInterval) {
        public Funding {
            if (!"simulator".equals(bankTransfers)) throw new IllegalArgumentException("bank.transfers must be simulator (the only implementation): " + bankTransfers);
            if (externalIssuerMux == null || externalIssuerMux.isBlank()) throw new IllegalArgumentException("external-issuer.mux is required");
            if (loadTimeout.isZero() || loadTimeout.isNegative()) throw new IllegalArgumentException("topup.load-timeout-seconds must be > 0");
            if (recoveryInterval.isZero() || recoveryInterval.isNegative()) throw new IllegalArgumentException("topup.recovery-interval-seconds must be > 0");
        }
    }

    /** Whether session cookies carry {@code Secure}: AUTO = when the request came over TLS or the public URL is https. */
    public enum CookieSecure { AUTO, ALWAYS, NEVER }

    /**
     * Log-in, sessions, throttling and recovery.
     *
     * @param publicBaseUrl        where members reach the wallet (links in e-mails), without a trailing slash
     * @param trustForwardedFor    take the client address from the last {@code X-Forwarded-For} entry
     *                             (only behind a proxy that sets it; otherwise clients could pick their address)
     */
    public record Auth(Duration sessionIdle, Duration sessionAbsolute, CookieSecure cookieSecure, String publicBaseUrl,
                       boolean trustForwardedFor, int maxFailuresPerMember, int maxFailuresPerAddress, Duration failureWindow,
                       Duration resetTokenLifetime, int maxRecoveryRequestsPerAddress, int maxRecoveryMailsPerMember,
                       Duration recoveryWindow) {
        public Auth {
            if (sessionIdle.isNegative() || sessionIdle.isZero() || sessionAbsolute.compareTo(sessionIdle) < 0) {
                throw new IllegalArgumentException("session.idle-minutes must be > 0 and <= session.absolute-minutes");
            }
            if (maxFailuresPerMember < 1 || maxFailuresPerAddress < 1) throw new IllegalArgumentException("login.max-failures-* must be >= 1");
            if (failureWindow.isZero() || failureWindow.isNegative() || recoveryWindow.isZero() || recoveryWindow.isNegative()) {
                throw new IllegalArgumentException("throttle windows must be > 0");
            }
            if (resetTokenLifetime.isZero() || resetTokenLifetime.isNegative()) throw new IllegalArgumentException("recovery.reset-token-minutes must be > 0");
            if (!publicBaseUrl.startsWith("https://") && !publicBaseUrl.startsWith("http://")) throw new IllegalArgumentException("public-base-url must be http(s)://...");
            while (publicBaseUrl.endsWith("/")) publicBaseUrl = publicBaseUrl.substring(0, publicBaseUrl.length() - 1);
        }

        public Auth withThrottle(int perMember, int perAddress, Duration window) {
            return new Auth(sessionIdle, sessionAbsolute, cookieSecure, publicBaseUrl, trustForwardedFor, perMember, perAddress, window,
                    resetTokenLifetime, maxRecoveryRequestsPerAddress, maxRecoveryMailsPerMember, recoveryWindow);
        }

        public Auth withTrustForwardedFor(boolean trust) {
            return new Auth(sessionIdle, sessionAbsolute, cookieSecure, publicBaseUrl, trust, maxFailuresPerMember, maxFailuresPerAddress,
                    failureWindow, resetTokenLifetime, maxRecoveryRequestsPerAddress, maxRecoveryMailsPerMember, recoveryWindow);
        }
    }

    /**
     * Outgoing SMTP. The password, if the relay needs one, comes from the environment
     * ({@code ANONPAY_SMTP_PASSWORD}), never from this file.
     */
    public record Mail(String host, int port, String from, boolean startTls, String username, Duration timeout) {
        public Mail {
            if (host == null || host.isBlank()) throw new IllegalArgumentException("mail.smtp.host is required");
            if (port < 1 || port > 65535) throw new IllegalArgumentException("mail.smtp.port must be 1-65535");
            if (from == null || !from.contains("@")) throw new IllegalArgumentException("mail.from must be an address");
        }

        public Mail withServer(String newHost, int newPort) {
            return new Mail(newHost, newPort, from, startTls, username, timeout);
        }
    }

    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    public WebSettings {
        if (maxBodyBytes < 1024 || maxBodyBytes > 16 * 1024 * 1024) throw new IllegalArgumentException("max-body-bytes must be 1 KiB to 16 MiB: " + maxBodyBytes);
        if (workerThreads < 1 || workerThreads > 512) throw new IllegalArgumentException("worker-threads must be 1-512: " + workerThreads);
        if (purchaseTtl == null || purchaseTtl.toMinutes() < 1 || purchaseTtl.toMinutes() > 24 * 60) {
            throw new IllegalArgumentException("purchase.ttl-minutes must be 1-1440: " + purchaseTtl);
        }
    }

    public static WebSettings load(Path file, Path baseDir) {
        Properties p = read(file);
        Path securityQuestions = baseDir.resolve(p.getProperty("security-questions", "cfg/web/security-questions.properties").trim());
        return new WebSettings(
                securityQuestions,
                baseDir.resolve(p.getProperty("common-passwords", "cfg/web/common-passwords.txt").trim()),
                baseDir.resolve(p.getProperty("keys-dir", "cfg/keys").trim()),
                intOf(p, "max-body-bytes", DEFAULT_MAX_BODY_BYTES),
                intOf(p, "worker-threads", 16),
                new Argon2id.Params(intOf(p, "argon2.memory-kib", Argon2id.Params.OWASP.memoryKib()),
                        intOf(p, "argon2.iterations", Argon2id.Params.OWASP.iterations()),
                        intOf(p, "argon2.parallelism", Argon2id.Params.OWASP.parallelism())),
                new Auth(Duration.ofMinutes(intOf(p, "session.idle-minutes", 30)),
                        Duration.ofMinutes(intOf(p, "session.absolute-minutes", 12 * 60)),
                        CookieSecure.valueOf(p.getProperty("session.cookie-secure", "AUTO").trim().toUpperCase(java.util.Locale.ROOT)),
                        p.getProperty("public-base-url", "http://localhost:8080").trim(),
                        Boolean.parseBoolean(p.getProperty("trust-forwarded-for", "false").trim()),
                        intOf(p, "login.max-failures-per-member", 5),
                        intOf(p, "login.max-failures-per-address", 20),
                        Duration.ofMinutes(intOf(p, "login.window-minutes", 15)),
                        Duration.ofMinutes(intOf(p, "recovery.reset-token-minutes", 30)),
                        intOf(p, "recovery.max-requests-per-address", 10),
                        intOf(p, "recovery.max-mails-per-member", 3),
                        Duration.ofMinutes(intOf(p, "recovery.window-minutes", 60))),
                new Mail(p.getProperty("mail.smtp.host", "localhost").trim(), intOf(p, "mail.smtp.port", 25),
                        p.getProperty("mail.from", "anonpay <no-reply@localhost>").trim(),
                        Boolean.parseBoolean(p.getProperty("mail.smtp.starttls", "false").trim()),
                        blankToNull(p.getProperty("mail.smtp.username")),
                        Duration.ofSeconds(intOf(p, "mail.smtp.timeout-seconds", 10))),
                baseDir.resolve(p.getProperty("programs-dir", "cfg/programs").trim()),
                // the bank list lives next to the security questions unless named: both are cfg/web lists
                new Funding(p.getProperty("banks") == null ? securityQuestions.resolveSibling("banks.properties") : baseDir.resolve(p.getProperty("banks").trim()),
                        p.getProperty("bank.transfers", "simulator").trim(),
                        p.getProperty("external-issuer.mux", "external-issuer").trim(),
                        baseDir.resolve(p.getProperty("external-issuer.link", "cfg/extissuer/link.properties").trim()),
                        Duration.ofSeconds(intOf(p, "topup.load-timeout-seconds", 30)),
                        Duration.ofSeconds(intOf(p, "topup.recovery-interval-seconds", 60))),
                Duration.ofMinutes(intOf(p, "purchase.ttl-minutes", 15)));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    public WebSettings withAuth(Auth newAuth) {
        return new WebSettings(securityQuestions, commonPasswords, keysDir, maxBodyBytes, workerThreads, argon2, newAuth, mail, programsDir, funding, purchaseTtl);
    }

    public WebSettings withMail(Mail newMail) {
        return new WebSettings(securityQuestions, commonPasswords, keysDir, maxBodyBytes, workerThreads, argon2, auth, newMail, programsDir, funding, purchaseTtl);
    }

    /** The same settings with other Argon2id costs (tests use cheap ones). */
    public WebSettings withArgon2(Argon2id.Params params) {
        return new WebSettings(securityQuestions, commonPasswords, keysDir, maxBodyBytes, workerThreads, params, auth, mail, programsDir, funding, purchaseTtl);
    }

    public WebSettings withFunding(Funding newFunding) {
        return new WebSettings(securityQuestions, commonPasswords, keysDir, maxBodyBytes, workerThreads, argon2, auth, mail, programsDir, newFunding, purchaseTtl);
    }

    public WebSettings withPurchaseTtl(Duration ttl) {
        return new WebSettings(securityQuestions, commonPasswords, keysDir, maxBodyBytes, workerThreads, argon2, auth, mail, programsDir, funding, ttl);
    }

    private static Properties read(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            return p;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static int intOf(Properties p, String name, int fallback) {
        String value = p.getProperty(name);
        if (value == null || value.isBlank()) return fallback;
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number: " + value);
        }
    }
}
