// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.util.ServiceLoader;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;

/**
 * The database as the rest of anonpay sees it: a connection pool, the schema brought up to
 * date by Flyway, and a Hibernate {@link SessionFactory} over every module's entities.
 */
public final class Database implements AutoCloseable {

    /** Flyway scans this location in every jar: each module keeps its migrations there. */
    public static final String MIGRATIONS = "classpath:db/migration";

    /** Connections of the side pool ({@link #inSideTransaction}): its transactions are short and rare. */
    private static final int SIDE_POOL_SIZE = 2;

    private final HikariDataSource dataSource;
    private final SessionFactory sessionFactory;
    private final DatabaseSettings settings;
    /** Opened on first use: most programs (tools, tests) never need it. */
    private HikariDataSource sidePool;

    private Database(HikariDataSource dataSource, SessionFactory sessionFactory, DatabaseSettings settings) {
        this.dataSource = dataSource;
        this.sessionFactory = sessionFactory;
        this.settings = settings;
    }

    /** Opens the pool, migrates the schema and builds the session factory. */
    public static Database open(DatabaseSettings settings) {
        if (!settings.external()) {
            throw new IllegalArgumentException("no JDBC URL: start the embedded MariaDB first");
        }
        HikariDataSource ds = new HikariDataSource(poolConfig(settings));
        try {
            migrate(ds);
            return new Database(ds, sessionFactory(ds), settings);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    private static HikariConfig poolConfig(DatabaseSettings settings) {
        return poolConfig(settings, "anonpay", settings.poolSize());
    }

    private static HikariConfig poolConfig(DatabaseSettings settings, String name, int size) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(settings.jdbcUrl());
        c.setUsername(settings.user());
        c.setPassword(settings.password());
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(Math.min(4, size));
        c.setPoolName(name);
        c.setAutoCommit(false);
        // READ COMMITTED: money rows are locked explicitly (SELECT ... FOR UPDATE); gap locks of
        // REPEATABLE READ would only add deadlocks on the journal's unique keys.
        c.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        c.setConnectionTimeout(10_000);
        c.addDataSourceProperty("cachePrepStmts", "true");
        c.addDataSourceProperty("prepStmtCacheSize", "512");
        // the driver caches no statement longer than this (default 256 characters): the journal's
        // 31-column statements were prepared on the server and closed again for every message,
        // a third of the host's CPU and two extra round trips each (docs/performance.md)
        c.addDataSourceProperty("prepStmtCacheSqlLimit", "4096");
        c.addDataSourceProperty("useServerPrepStmts", "true");
        c.addDataSourceProperty("rewriteBatchedStatements", "true");
        // the driver tracks autocommit, isolation and read-only itself instead of asking the server
        c.addDataSourceProperty("useLocalSessionState", "true");
        c.addDataSourceProperty("cacheResultSetMetadata", "true");
        c.addDataSourceProperty("cacheServerConfiguration", "true");
        c.addDataSourceProperty("elideSetAutoCommits", "true");
        c.addDataSourceProperty("maintainTimeStats", "false");
        return c;
    }

    /**
     * Each module owns a range of versions (ledger V10s, issuer V20s, switch V30s, wallet web V40s,
     * gateway V50s), so a module's next migration is often lower than another module's latest:
     * out-of-order applies it on a database that already has the higher ones. And a process
     * carries only its own modules' migrations (the ops tools do not carry the wallet web's V40s):
     * a migration the host applied that this process does not know is another module's, not an error.
     */
    private static void migrate(DataSource ds) {
        Flyway.configure()
                .dataSource(ds)
                .locations(MIGRATIONS)
                .outOfOrder(true)
                .ignoreMigrationPatterns("*:missing", "*:future")
                .failOnMissingLocations(false)
                .load()
                .migrate();
    }

    private static SessionFactory sessionFactory(DataSource ds) {
        Configuration cfg = new Configuration();
        cfg.getProperties().put("hibernate.connection.datasource", ds);
        cfg.setProperty("hibernate.dialect", dialect(ds));
        // the schema is Flyway's: Hibernate only checks nothing and creates nothing
        cfg.setProperty("hibernate.hbm2ddl.auto", "none");
        cfg.setProperty("hibernate.show_sql", "false");
        cfg.setProperty("hibernate.jdbc.batch_size", "32");
        cfg.setProperty("hibernate.order_inserts", "true");
        cfg.setProperty("hibernate.connection.provider_disables_autocommit", "true");
        for (EntityCatalog catalog : ServiceLoader.load(EntityCatalog.class)) {
            catalog.entityClasses().forEach(cfg::addAnnotatedClass);
        }
        return cfg.buildSessionFactory();
    }

    /**
     * MySQL in production, MariaDB embedded and in tests: the same driver speaks to both, but
     * their SQL differs where it matters here (MariaDB rejects MySQL 8's "FOR UPDATE OF alias"),
     * so the dialect follows the server actually connected.
     */
    private static String dialect(DataSource ds) {
        try (Connection c = ds.getConnection(); var rs = c.createStatement().executeQuery("SELECT VERSION()")) {
            rs.next();
            boolean mariaDb = rs.getString(1).toLowerCase(java.util.Locale.ROOT).contains("mariadb");
            return mariaDb ? "org.hibernate.dialect.MariaDBDialect" : "org.hibernate.dialect.MySQLDialect";
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot reach the database", e);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public SessionFactory sessionFactory() {
        return sessionFactory;
    }

    /** Runs {@code work} in one database transaction: committed if it returns, rolled back if it throws. */
    public <T> T inTransaction(Function<Session, T> work) {
        return sessionFactory.fromTransaction(work);
    }

    /** Runs {@code work} on a plain JDBC connection in one transaction. */
    public <T> T inJdbcTransaction(JdbcWork<T> work) {
        return inJdbcTransaction(dataSource, work);
    }

    private static <T> T inJdbcTransaction(DataSource pool, JdbcWork<T> work) {
        try (Connection c = pool.getConnection()) {
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (Exception e) {
                c.rollback();
                throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * As {@link #inJdbcTransaction}, on a connection of a small pool of its own: for a short,
     * independent transaction taken while the caller holds a connection of the main pool (an
     * authorization opening a merchant's ledger account, which must be committed whatever becomes
     * of the authorization). From the main pool, such a second connection can deadlock it: when
     * every connection is held by a caller waiting for its second one, nobody gets one until the
     * pool's timeout (seen as a 10 s stall of every message under a burst of more messages than
     * the pool has connections). The side pool's transactions wait for nothing of the main pool's.
     */
    public <T> T inSideTransaction(JdbcWork<T> work) {
        return inJdbcTransaction(sidePool(), work);
    }

    private synchronized HikariDataSource sidePool() {
        if (sidePool == null) sidePool = new HikariDataSource(poolConfig(settings, "anonpay-side", SIDE_POOL_SIZE));
        return sidePool;
    }

    @FunctionalInterface
    public interface JdbcWork<T> {
        T run(Connection connection) throws Exception;
    }

    @Override
    public void close() {
        sessionFactory.close();
        dataSource.close();
        synchronized (this) {
            if (sidePool != null) sidePool.close();
        }
    }
}
