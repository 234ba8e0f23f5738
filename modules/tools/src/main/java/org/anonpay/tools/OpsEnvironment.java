// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.tools;

import java.nio.file.Path;
import org.anonpay.db.Database;
import org.anonpay.db.DatabaseSettings;
import org.anonpay.issuer.CardIssuer;
import org.anonpay.issuer.CardPrograms;
import org.anonpay.issuer.CardSecurity;
import org.anonpay.issuer.CardVault;
import org.anonpay.ledger.Ledger;
import picocli.CommandLine.Option;

/** Where the database, keys and programs are: options every command has. */
final class OpsEnvironment {

    /** The embedded MariaDB of a running host (deploy/10_embedded_mariadb.xml, port 3307). */
    static final String EMBEDDED_URL = "jdbc:mysql://127.0.0.1:3307/anonpay?sslMode=DISABLED&allowPublicKeyRetrieval=true";
    static final String EMBEDDED_USER = "root";
    /** A command line needs few connections. */
    static final int POOL_SIZE = 2;

    @Option(names = "--db-config", defaultValue = "cfg/db.properties", paramLabel = "FILE",
            description = "database settings (default: ${DEFAULT-VALUE}); ANONPAY_DB_URL/_USER/_PASSWORD win")
    Path dbConfig;

    @Option(names = "--db-url", paramLabel = "JDBC-URL",
            description = "database URL; default: db.url of --db-config, else the host's embedded MariaDB on 127.0.0.1:3307")
    String dbUrl;

    @Option(names = "--db-user", paramLabel = "USER", description = "database user (the password comes from ANONPAY_DB_PASSWORD or --db-config)")
    String dbUser;

    @Option(names = "--keys-dir", defaultValue = "cfg/keys", paramLabel = "DIR", description = "card keys (default: ${DEFAULT-VALUE})")
    Path keysDir;

    @Option(names = "--programs-dir", defaultValue = "cfg/programs", paramLabel = "DIR", description = "card programs (default: ${DEFAULT-VALUE})")
    Path programsDir;

    DatabaseSettings databaseSettings() {
        DatabaseSettings configured = DatabaseSettings.load(dbConfig, System.getenv());
        DatabaseSettings settings = configured.external() ? configured
                : new DatabaseSettings(EMBEDDED_URL, EMBEDDED_USER, "", POOL_SIZE);
        if (dbUrl != null) settings = settings.withUrl(dbUrl);
        if (dbUser != null) settings = settings.withCredentials(dbUser, settings.password());
        return new DatabaseSettings(settings.jdbcUrl(), settings.user(), settings.password(), POOL_SIZE);
    }

    Database openDatabase() {
        DatabaseSettings settings = databaseSettings();
        try {
            return Database.open(settings);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot open the database " + settings.jdbcUrl()
                    + " (is the host running, or is --db-url right?): " + e.getMessage(), e);
        }
    }

    CardPrograms programs() {
        return CardPrograms.load(programsDir);
    }

    CardIssuer issuer(CardPrograms programs) {
        return new CardIssuer(programs, new CardSecurity(keysDir), CardVault.load(keysDir), new Ledger());
    }
}
