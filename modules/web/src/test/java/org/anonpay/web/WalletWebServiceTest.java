// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.anonpay.db.Database;
import org.anonpay.db.DatabaseService;
import org.anonpay.db.TestMariaDb;
import org.jpos.core.SimpleConfiguration;
import org.jpos.q2.QBean;
import org.jpos.util.NameRegistrar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Q2 service as deploy/70_wallet_web.xml runs it: database from the registry, settings from a file. */
class WalletWebServiceTest {

    @TempDir
    Path dir;

    @Test
    void startsOnTheRegisteredDatabaseAndStops() throws Exception {
        Path root = WebTestServer.root().toAbsolutePath();
        Path settings = dir.resolve("wallet-web.properties");
        Files.writeString(settings, String.join("\n",
                "security-questions=" + root.resolve("cfg/web/security-questions.properties"),
                "common-passwords=" + root.resolve("cfg/web/common-passwords.txt"),
                "keys-dir=" + root.resolve("cfg/keys"),
                "programs-dir=" + root.resolve("cfg/programs"),
                "argon2.memory-kib=1024", "argon2.iterations=1", ""));
        try (Database db = TestMariaDb.freshDatabase("web_q2")) {
            NameRegistrar.register(DatabaseService.REGISTRY_NAME, db);
            WalletWebService service = new WalletWebService();
            try {
                Properties p = new Properties();
                p.setProperty("port", "0");
                p.setProperty("settings", settings.toString());
                service.setConfiguration(new SimpleConfiguration(p));
                service.init();
                service.start();
                assertEquals(QBean.STARTED, service.getState());
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + service.port() + "/api/v1/security-questions")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
            } finally {
                service.stop();
                NameRegistrar.unregister(DatabaseService.REGISTRY_NAME);
            }
            assertThrows(IllegalStateException.class, service::port);
        }
    }
}
