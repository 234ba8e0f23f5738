// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Where the database is and how to log in. Read from {@code cfg/db.properties}; the environment
 * variables {@code ANONPAY_DB_URL}, {@code ANONPAY_DB_USER} and {@code ANONPAY_DB_PASSWORD} win.
 * An empty URL means "no external database": the embedded MariaDB is used.
 */
public record DatabaseSettings(String jdbcUrl, String user, String password, int poolSize) {

    public static final String ENV_URL = "ANONPAY_DB_URL";
    public static final String ENV_USER = "ANONPAY_DB_USER";
    public static final String ENV_PASSWORD = "ANONPAY_DB_PASSWORD";
    public static final int DEFAULT_POOL_SIZE = 16;

    public DatabaseSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        if (poolSize <= 0) throw new IllegalArgumentException("poolSize must be positive: " + poolSize);
    }

    public boolean external() {
        return !jdbcUrl.isBlank();
    }

    public DatabaseSettings withUrl(String url) {
        return new DatabaseSettings(url, user, password, poolSize);
    }

    public DatabaseSettings withCredentials(String newUser, String newPassword) {
        return new DatabaseSettings(jdbcUrl, newUser, newPassword, poolSize);
    }

    /** Reads {@code file} (missing file = all defaults) and applies the environment on top. */
    public static DatabaseSettings load(Path file, Map<String, String> env) {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file, e);
            }
        }
        String url = env.getOrDefault(ENV_URL, p.getProperty("db.url", "")).trim();
        String user = env.getOrDefault(ENV_USER, p.getProperty("db.user", "anonpay")).trim();
        String password = env.getOrDefault(ENV_PASSWORD, p.getProperty("db.password", ""));
        int pool = Integer.parseInt(p.getProperty("db.pool.size", String.valueOf(DEFAULT_POOL_SIZE)).trim());
        return new DatabaseSettings(url, user, password, pool);
    }

    /**
     * What a command line's options name: {@code url} (with {@code user} and the password from
     * ANONPAY_DB_PASSWORD) when given, else the settings file as {@link #load} reads it.
     */
    public static DatabaseSettings ofCommandLine(String url, String user, Path file, int poolSize, Map<String, String> env) {
        return url != null ? new DatabaseSettings(url, user, env.getOrDefault(ENV_PASSWORD, ""), poolSize) : load(file, env);
    }

    @Override
    public String toString() {
        // never print the password
        return "DatabaseSettings[url=" + jdbcUrl + ", user=" + user + ", poolSize=" + poolSize + "]";
    }
}
