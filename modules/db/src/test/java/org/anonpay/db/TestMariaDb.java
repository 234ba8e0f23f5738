// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.db;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real MariaDB server per test JVM, shared by every test class; each test gets a database of
 * its own ({@link #freshDatabase}) with the whole Flyway schema. Tests never use an in-memory fake.
 * Set {@code ANONPAY_TEST_DB_URL} (a server URL without database, with user/password in
 * {@code ANONPAY_TEST_DB_USER}/{@code ANONPAY_TEST_DB_PASSWORD}) to run them against MySQL instead.
 */
public final class TestMariaDb {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedMariaDb server;

    private TestMariaDb() {}

    public static synchronized EmbeddedMariaDb server() {
        if (server == null) {
            Path root = Path.of("target", "test-mariadb", "run-" + ProcessHandle.current().pid()).toAbsolutePath();
            server = EmbeddedMariaDb.start(root.resolve("data"), root.resolve("base"), 0);
            EmbeddedMariaDb started = server;
            // each run's server takes ~0.5 GB on disk: stop it and delete its files at exit
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                deleteTree(root);
            }, "test-mariadb-stop"));
        }
        return server;
    }

    private static void deleteTree(Path root) {
        try (var paths = java.nio.file.Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("could not delete " + root + ": " + e);
        }
    }

    /** A new, empty, migrated database named {@code prefix_N}. The caller closes it. */
    public static Database freshDatabase(String prefix) {
        return Database.open(freshSettings(prefix, 8));
    }

    /** Settings of a new, empty database (not yet migrated) named {@code prefix_N}. */
    public static DatabaseSettings freshSettings(String prefix, int poolSize) {
        EmbeddedMariaDb s = server();
        String name = prefix.replaceAll("[^A-Za-z0-9_]", "_") + "_" + DATABASES.incrementAndGet();
        s.createDatabase(name);
        return new DatabaseSettings(s.jdbcUrl(name), "root", "", poolSize);
    }
}
