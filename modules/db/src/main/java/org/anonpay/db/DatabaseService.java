// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.db;

import java.nio.file.Path;
import org.jpos.q2.QBeanSupport;
import org.jpos.util.NameRegistrar;

/**
 * Q2 service (deploy/20_database.xml): opens the connection pool on the configured MySQL server
 * or on the embedded MariaDB, migrates the schema with Flyway and registers the {@link Database}
 * under {@value #REGISTRY_NAME} for the participants and services that need it.
 *
 * <pre>
 *   property settings        cfg file (default cfg/db.properties)
 *   property wait-millis     how long to wait for the embedded server (default 120000)
 * </pre>
 */
public class DatabaseService extends QBeanSupport {

    public static final String REGISTRY_NAME = "anonpay.db";
    private Database database;

    @Override
    protected void startService() throws Exception {
        DatabaseSettings settings = DatabaseSettings.load(Path.of(cfg.get("settings", "cfg/db.properties")), System.getenv());
        if (!settings.external()) {
            EmbeddedMariaDb embedded = NameRegistrar.get(EmbeddedMariaDbService.REGISTRY_NAME, cfg.getLong("wait-millis", 120_000L));
            settings = embedded.settings(settings.poolSize());
        }
        database = Database.open(settings);
        NameRegistrar.register(REGISTRY_NAME, database);
        getLog().info("database ready: " + settings);
    }

    @Override
    protected void stopService() {
        if (database == null) return;
        NameRegistrar.unregister(REGISTRY_NAME);
        database.close();
        database = null;
    }

    /** The running database, for participants configured in the same Q2. */
    public static Database get() {
        try {
            return NameRegistrar.get(REGISTRY_NAME);
        } catch (NameRegistrar.NotFoundException e) {
            throw new IllegalStateException("no database: is deploy/20_database.xml deployed?", e);
        }
    }
}
