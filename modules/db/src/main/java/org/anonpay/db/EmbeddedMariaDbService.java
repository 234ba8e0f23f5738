// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.db;

import java.nio.file.Path;
import org.jpos.q2.QBeanSupport;
import org.jpos.util.NameRegistrar;

/**
 * Q2 service (deploy/10_embedded_mariadb.xml) that runs the embedded MariaDB when cfg/db.properties
 * (or ANONPAY_DB_URL) names no external database. It registers the server's settings under
 * {@value #REGISTRY_NAME} for {@link DatabaseService}.
 *
 * <pre>
 *   property settings  cfg file with db.url (default cfg/db.properties)
 *   property data-dir  where the server keeps its data (default data/mariadb); kept across restarts
 *   property base-dir  where the server binaries are unpacked (default data/mariadb-base)
 *   property port      TCP port on 127.0.0.1 (default 3307, 0 = any free port)
 * </pre>
 */
public class EmbeddedMariaDbService extends QBeanSupport {

    public static final String REGISTRY_NAME = "anonpay.embedded-db";
    private EmbeddedMariaDb server;

    @Override
    protected void startService() {
        DatabaseSettings configured = DatabaseSettings.load(Path.of(cfg.get("settings", "cfg/db.properties")), System.getenv());
        if (configured.external()) {
            getLog().info("external database configured (" + configured.jdbcUrl() + "): embedded MariaDB not started");
            return;
        }
        Path dataDir = Path.of(cfg.get("data-dir", "data/mariadb")).toAbsolutePath();
        server = EmbeddedMariaDb.start(dataDir, Path.of(cfg.get("base-dir", "data/mariadb-base")).toAbsolutePath(), cfg.getInt("port", 3307));
        NameRegistrar.register(REGISTRY_NAME, server);
        getLog().info("embedded MariaDB listening on 127.0.0.1:" + server.port() + ", data in " + dataDir);
    }

    @Override
    protected void stopService() {
        if (server == null) return;
        NameRegistrar.unregister(REGISTRY_NAME);
        server.close();
        server = null;
    }
}
