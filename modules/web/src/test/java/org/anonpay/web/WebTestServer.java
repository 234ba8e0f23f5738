// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.anonpay.web.member.Argon2id;
import org.anonpay.web.member.MemberApi;

/**
 * A wallet web server on a free port of 127.0.0.1 over a fresh MariaDB database, with the
 * repository's cfg/web settings and cfg/keys/dev-member.properties. Argon2id runs with cheap
 * parameters here so the suite stays fast; Argon2idTest covers the production ones.
 */
final class WebTestServer implements AutoCloseable {

    static final Argon2id.Params CHEAP_ARGON2 = new Argon2id.Params(1024, 1, 1);

    final Database database;
    final WalletWebServer server;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    WebTestServer(String dbPrefix) throws InterruptedException {
        this(dbPrefix, Clock.system(MemberApi.KOREA), s -> s);
    }

    /** @param customize changes to the repository's settings (mail server, throttle limits, ...) */
    WebTestServer(String dbPrefix, Clock clock, UnaryOperator<WebSettings> customize) throws InterruptedException {
        database = TestMariaDb.freshDatabase(dbPrefix);
        server = new WalletWebServer(database, customize.apply(settings()), "127.0.0.1", 0, clock).start();
    }

    /** The repository's cfg/web settings with cheap Argon2id. */
    static WebSettings settings() {
        return WebSettings.load(root().resolve("cfg/web/wallet-web.properties"), root()).withArgon2(CHEAP_ARGON2);
    }

    static Path root() {
        return Path.of(System.getProperty("anonpay.root", "../.."));
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    HttpResponse<String> get(String pathAndQuery) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return client.send(postRequest(path, contentType, body), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest postRequest(String path, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        return b.build();
    }

    long count(String table) {
        return database.inJdbcTransaction(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public void close() {
        server.close();
        database.close();
    }
}
