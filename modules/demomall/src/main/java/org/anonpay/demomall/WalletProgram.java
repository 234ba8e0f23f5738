// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.demomall;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * The wallet program's script tag for a mall page (MISSION.md b2-b3): loaded from the wallet
 * web's own origin with Subresource Integrity, so the browser refuses a script altered on the way
 * or on a mirror. The integrity value is what the wallet web publishes next to the script
 * ({@code anonpay.js.sri}); a mall fetches it server-side when it renders the page (cached for a
 * short while, so a new release of the script is picked up).
 */
final class WalletProgram {

    static final String SCRIPT_PATH = "/wallet-program/v1/anonpay.js";
    private static final Duration CACHE = Duration.ofSeconds(30);

    private final String baseUrl;
    private final HttpClient http;
    private volatile String integrity;
    private volatile Instant fetchedAt = Instant.EPOCH;

    WalletProgram(String baseUrl, HttpClient http) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = http;
    }

    /** scheme://host:port of the wallet web (for the mall's Content-Security-Policy). */
    String origin() {
        URI u = URI.create(baseUrl);
        return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
    }

    String baseUrl() {
        return baseUrl;
    }

    /** The script tag, or an HTML comment when the wallet web does not publish the integrity value (the buttons then do nothing). */
    String scriptTag() {
        String sri = integrity();
        if (sri == null) return "<!-- the anonpay wallet program is unavailable: " + Http.esc(baseUrl + SCRIPT_PATH) + ".sri did not answer -->";
        return "<script src=\"" + Http.esc(baseUrl + SCRIPT_PATH) + "\" integrity=\"" + Http.esc(sri) + "\" crossorigin=\"anonymous\"></script>";
    }

    private String integrity() {
        String cached = integrity;
        if (cached != null && Instant.now().isBefore(fetchedAt.plus(CACHE))) return cached;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + SCRIPT_PATH + ".sri")).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String value = r.body() == null ? "" : r.body().strip();
            if (r.statusCode() == 200 && value.matches("sha(256|384|512)-[A-Za-z0-9+/=]{40,100}( sha(256|384|512)-[A-Za-z0-9+/=]{40,100})*")) {
                integrity = value;
                fetchedAt = Instant.now();
                return value;
            }
            Shop.LOG.warn("wallet program integrity value: HTTP {} from {}", r.statusCode(), baseUrl + SCRIPT_PATH + ".sri");
        } catch (java.io.IOException e) {
            Shop.LOG.warn("wallet program integrity value unavailable: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return cached; // the last good value, if any
    }
}
