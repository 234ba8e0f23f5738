// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.anonpay.web.member.Argon2id;

/**
 * The wallet web's settings file ({@code cfg/web/wallet-web.properties}). Relative paths in it
 * are resolved against {@code baseDir}: the working directory under Q2, the repository root in tests.
 */
public record WebSettings(Path securityQuestions, Path commonPasswords, Path keysDir,
                          int maxBodyBytes, int workerThreads, Argon2id.Params argon2) {

    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    public WebSettings {
        if (maxBodyBytes < 1024 || maxBodyBytes > 16 * 1024 * 1024) throw new IllegalArgumentException("max-body-bytes must be 1 KiB to 16 MiB: " + maxBodyBytes);
        if (workerThreads < 1 || workerThreads > 512) throw new IllegalArgumentException("worker-threads must be 1-512: " + workerThreads);
    }

    public static WebSettings load(Path file, Path baseDir) {
        Properties p = read(file);
        return new WebSettings(
                baseDir.resolve(p.getProperty("security-questions", "cfg/web/security-questions.properties").trim()),
                baseDir.resolve(p.getProperty("common-passwords", "cfg/web/common-passwords.txt").trim()),
                baseDir.resolve(p.getProperty("keys-dir", "cfg/keys").trim()),
                intOf(p, "max-body-bytes", DEFAULT_MAX_BODY_BYTES),
                intOf(p, "worker-threads", 16),
                new Argon2id.Params(intOf(p, "argon2.memory-kib", Argon2id.Params.OWASP.memoryKib()),
                        intOf(p, "argon2.iterations", Argon2id.Params.OWASP.iterations()),
                        intOf(p, "argon2.parallelism", Argon2id.Params.OWASP.parallelism())));
    }

    /** The same settings with other Argon2id costs (tests use cheap ones). */
    public WebSettings withArgon2(Argon2id.Params params) {
        return new WebSettings(securityQuestions, commonPasswords, keysDir, maxBodyBytes, workerThreads, params);
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
