// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The customer pages: content types, clean paths, traversal attempts, 404, security headers, and that no page has inline script. */
class StaticFilesTest {

    private static final StaticFiles FILES = new StaticFiles();
    private static WebTestServer web;

    @BeforeAll
    static void start() throws Exception {
        web = new WebTestServer("static");
    }

    @AfterAll
    static void stop() {
        if (web != null) web.close();
    }

    // --- StaticFiles on its own ---

    @Test
    void cleanPathsNameTheirPages() {
        assertEquals("index.html", StaticFiles.fileOf("/"));
        assertEquals("login.html", StaticFiles.fileOf("/login"));
        assertEquals("login.html", StaticFiles.fileOf("/login/"));
        assertEquals("register.html", StaticFiles.fileOf("/register"));
        assertEquals("recover.html", StaticFiles.fileOf("/recover"));
        assertEquals("password-reset.html", StaticFiles.fileOf("/password-reset"));
        assertEquals("wallet.html", StaticFiles.fileOf("/wallet"));
        assertEquals("apply.html", StaticFiles.fileOf("/cards/new"));
        assertEquals("card.html", StaticFiles.fileOf("/cards/17"));
        assertEquals("topup.html", StaticFiles.fileOf("/topup"));
        assertEquals("funding.html", StaticFiles.fileOf("/funding"));
        assertEquals("pay.html", StaticFiles.fileOf("/pay"));
        assertEquals("assets/app.js", StaticFiles.fileOf("/assets/app.js"));
        assertNull(StaticFiles.fileOf("/cards/abc"));
        assertNull(StaticFiles.fileOf("/login.html"), "pages only under their clean path");
        assertNull(StaticFiles.fileOf("/assets/"));
        assertNull(StaticFiles.fileOf("/assets/app"));
        assertNull(StaticFiles.fileOf("/assets/app.exe"));
    }

    @Test
    void traversalAttemptsNameNoFile() {
        for (String path : List.of("/assets/../login.html", "/assets/%2e%2e/%2e%2e/pom.xml", "/assets/..%2fapp.js",
                "/assets/%2E%2E%2Fapp.js", "/assets/.hidden.js", "/assets//app.js", "/assets/a\\..\\app.js",
                "/assets/app.js%00.css", "/../../etc/passwd", "/assets/..", "/assets/./app.js", "//etc/passwd",
                "/assets/app.js/", "/web/assets/app.js", "/org/anonpay/web/StaticFiles.class", "/db/migration/V40__members.sql")) {
            assertNull(StaticFiles.fileOf(path), path);
            assertEquals(404, FILES.serve("GET", path, null).status(), path);
        }
    }

    @Test
    void contentTypesAndCaching() {
        StaticFiles.Response page = FILES.serve("GET", "/login", null);
        assertEquals(200, page.status());
        assertEquals("text/html; charset=utf-8", page.headers().get("Content-Type"));
        assertEquals("no-cache", page.headers().get("Cache-Control"));
        assertEquals("text/css; charset=utf-8", FILES.serve("GET", "/assets/app.css", null).headers().get("Content-Type"));
        StaticFiles.Response js = FILES.serve("GET", "/assets/app.js", null);
        assertEquals("text/javascript; charset=utf-8", js.headers().get("Content-Type"));
        assertEquals(StaticFiles.ASSET_CACHE, js.headers().get("Cache-Control"));
        assertEquals(Integer.toString(js.body().length), js.headers().get("Content-Length"));

        StaticFiles.Response head = FILES.serve("HEAD", "/assets/app.js", null);
        assertEquals(200, head.status());
        assertEquals(0, head.body().length);
        assertEquals(js.headers().get("Content-Length"), head.headers().get("Content-Length"));

        StaticFiles.Response again = FILES.serve("GET", "/assets/app.js", js.headers().get("ETag"));
        assertEquals(304, again.status());
        assertEquals(0, again.body().length);
    }

    @Test
    void handlesOnlyPagesNotTheApi() {
        assertTrue(StaticFiles.handles("GET", "/wallet"));
        assertTrue(StaticFiles.handles("HEAD", "/"));
        assertFalse(StaticFiles.handles("POST", "/wallet"));
        assertFalse(StaticFiles.handles("GET", "/api/v1/cards"));
        assertFalse(StaticFiles.handles("GET", "/api"));
    }

    /** CSP forbids inline script: every page loads its script from a file, none has a handler attribute. */
    @Test
    void pagesHaveNoInlineScriptAndEveryTextIdExists() throws IOException {
        Path dir = Path.of("src/main/resources/web");
        String texts = Files.readString(dir.resolve("assets/i18n.js"));
        Pattern inlineScript = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
        Pattern handler = Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
        Pattern textId = Pattern.compile("data-i18n(?:-placeholder|-aria-label)?=\"([^\"]+)\"");
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".html")).toList()) {
                String html = Files.readString(f);
                assertTrue(html.contains("SPDX-License-Identifier: AGPL-3.0-or-later"), f.toString());
                assertFalse(inlineScript.matcher(html).find(), f + " has an inline script");
                assertFalse(handler.matcher(html).find(), f + " has an inline event handler");
                assertFalse(html.contains("style=\""), f + " has an inline style");
                Matcher m = textId.matcher(html);
                while (m.find()) {
                    String id = m.group(1);
                    // in both languages
                    assertEquals(2, count(texts, "'" + id + "':"), f + ": text " + id);
                }
            }
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n++;
        return n;
    }

    // --- over HTTP through the wallet web server ---

    @Test
    void pagesOverHttpCarryTheSecurityHeaders() throws Exception {
        HttpResponse<String> r = web.get("/register");
        assertEquals(200, r.statusCode());
        assertEquals("text/html; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp.contains("default-src 'self'"), csp);
        assertTrue(csp.contains("script-src 'self'"), csp);
        assertFalse(csp.contains("unsafe-inline"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElseThrow());
        assertTrue(r.body().contains("id=\"register-form\""));

        HttpResponse<String> card = web.get("/cards/42?x=1");
        assertEquals(200, card.statusCode());
        assertTrue(card.body().contains("id=\"reveal-form\""));

        HttpResponse<String> css = web.get("/assets/app.css");
        assertEquals("text/css; charset=utf-8", css.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(css.headers().firstValue("Content-Security-Policy").isPresent());
    }

    @Test
    void unknownPagesAre404AndTheApiStaysJson() throws Exception {
        HttpResponse<String> r = web.get("/no-such-page");
        assertEquals(404, r.statusCode());
        assertEquals("text/html; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(r.headers().firstValue("Content-Security-Policy").isPresent());

        HttpResponse<String> api = web.get("/api/v1/no-such-thing");
        assertEquals(404, api.statusCode());
        assertTrue(api.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        assertTrue(api.body().contains("NOT_FOUND"));

        HttpResponse<String> questions = web.get("/api/v1/security-questions");
        assertEquals(200, questions.statusCode(), "the API still answers GET");

        HttpResponse<String> post = web.client.send(HttpRequest.newBuilder(web.uri("/wallet"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, post.statusCode(), "pages are GET/HEAD only");
    }

    @Test
    void headOverHttpHasNoBody() throws Exception {
        HttpResponse<String> r = web.client.send(HttpRequest.newBuilder(web.uri("/login")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("", r.body());
        assertTrue(Long.parseLong(r.headers().firstValue("Content-Length").orElseThrow()) > 100);
    }

    /**
     * The wallet program (docs/wallet-program.md): readable by any mall's page (CORS *, usable with
     * crossorigin="anonymous" and SRI), JavaScript, cached long, and its published SRI value is the
     * SHA-384 of exactly the bytes served.
     */
    @Test
    void theWalletProgramIsServedToAnyOriginWithItsSriHash() throws Exception {
        HttpResponse<byte[]> js = web.client.send(HttpRequest.newBuilder(web.uri("/wallet-program/v1/anonpay.js"))
                .header("Origin", "https://mall.example").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, js.statusCode());
        assertEquals("*", js.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertTrue(js.headers().firstValue("Content-Type").orElseThrow().startsWith("text/javascript"), js.headers().toString());
        assertEquals("public, max-age=86400", js.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals("cross-origin", js.headers().firstValue("Cross-Origin-Resource-Policy").orElseThrow());
        assertEquals("nosniff", js.headers().firstValue("X-Content-Type-Options").orElseThrow());
        String source = new String(js.body(), StandardCharsets.UTF_8);
        assertTrue(source.contains("anonpay:purchase-ref") && source.contains("data-anonpay-pay"), "the wallet program itself");

        HttpResponse<String> sri = web.get("/wallet-program/v1/anonpay.js.sri");
        assertEquals(200, sri.statusCode());
        assertEquals("*", sri.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertTrue(sri.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        String expected = "sha384-" + java.util.Base64.getEncoder().encodeToString(
                java.security.MessageDigest.getInstance("SHA-384").digest(js.body()));
        assertEquals(expected, sri.body());
        assertTrue(sri.body().matches("sha384-[A-Za-z0-9+/]{64}"), sri.body());

        // revalidation, HEAD, and nothing else under /wallet-program/
        String etag = js.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = web.client.send(HttpRequest.newBuilder(web.uri("/wallet-program/v1/anonpay.js"))
                .header("If-None-Match", etag).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(304, again.statusCode());
        HttpResponse<String> head = web.client.send(HttpRequest.newBuilder(web.uri("/wallet-program/v1/anonpay.js"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        for (String path : List.of("/wallet-program/v1/", "/wallet-program/v1/other.js", "/wallet-program/v2/anonpay.js")) {
            assertEquals(404, web.get(path).statusCode(), path);
        }
        // pages keep their policy: not readable cross-origin
        assertTrue(web.get("/pay").headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    /** The pay pop-up: its own page under the strict policy (no framing; scripts only from this origin). */
    @Test
    void thePayPopupIsAPageUnderTheStrictPolicy() throws Exception {
        HttpResponse<String> r = web.get("/pay?mode=autofill");
        assertEquals(200, r.statusCode());
        assertEquals(StaticFiles.CSP, r.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElseThrow());
        assertTrue(r.body().contains("id=\"pay-card-form\"") && r.body().contains("/assets/pay.js"));
    }

    /** Raw request lines, as a client that does not normalise paths would send them. */
    @Test
    void traversalOverRawHttpIs404() throws Exception {
        byte[] appJs = FILES.serve("GET", "/assets/app.js", null).body();
        for (String path : List.of("/assets/../../../../etc/passwd", "/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                "/assets/..%2f..%2fStaticFiles.class", "/%2e%2e/%2e%2e/pom.xml", "/assets/%2e%2e%5capp.js",
                "/assets/app.js%2f", "/..%252f..%252fetc/passwd")) {
            String answer = raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 404") || answer.startsWith("HTTP/1.1 400"), path + " -> " + answer.lines().findFirst().orElse(""));
            assertFalse(answer.contains("root:"), path);
        }
        String ok = raw("GET /assets/app.js HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertTrue(ok.startsWith("HTTP/1.1 200"), ok);
        assertArrayEquals(appJs, ok.substring(ok.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.UTF_8));
    }

    private static String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", web.server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }
}
