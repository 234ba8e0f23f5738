// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The customer pages: plain HTML, CSS and JavaScript from the classpath folder {@code web/}
 * (modules/web/src/main/resources/web), for GET and HEAD of every path outside {@code /api/}.
 *
 * <p>Clean page paths map to HTML files ({@code /} → index.html, {@code /login} → login.html,
 * {@code /cards/17} → card.html, ...); other files are served by name (only {@code /assets/...}).
 * A path is accepted only when every segment is made of letters, digits, '-', '_' and at most one
 * inner dot, and the raw path holds no '%' escape: {@code ..}, encoded dots or slashes, backslashes
 * and the like never reach the class loader. Unknown paths get a small 404 page.
 *
 * <p>Every answer carries the Content-Security-Policy (scripts only from this server, no inline
 * script or style, no framing), {@code X-Content-Type-Options: nosniff} and
 * {@code Referrer-Policy: no-referrer}. Pages are revalidated on every load ({@code no-cache} with
 * an ETag); assets may be kept for a few minutes.
 *
 * <p>One file is meant for other origins: the wallet program {@value #WALLET_PROGRAM}, which partner
 * malls' pages include (CORS {@code *}, kept a day), and its SRI value {@value #WALLET_PROGRAM_SRI}.
 */
public final class StaticFiles {

    /** The policy of every page; all script lives in /assets/*.js files. */
    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

    static final String PAGE_CACHE = "no-cache";
    static final String ASSET_CACHE = "public, max-age=300";

    /**
     * The wallet program (docs/wallet-program.md): the one script a mall's page includes from this
     * origin, with Subresource Integrity. Served to any origin (CORS {@code *}, needed by
     * {@code crossorigin="anonymous"} and SRI), kept a day by browsers; its SRI hash is published
     * beside it so a mall can pin it.
     */
    public static final String WALLET_PROGRAM = "/wallet-program/v1/anonpay.js";
    public static final String WALLET_PROGRAM_SRI = WALLET_PROGRAM + ".sri";
    static final String WALLET_PROGRAM_CACHE = "public, max-age=86400";

    private static final String ROOT = "web/";
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9]+)?");
    private static final Pattern CARD_PAGE = Pattern.compile("/cards/[0-9]{1,18}");

    /** Clean page paths and their files. */
    private static final Map<String, String> PAGES = Map.ofEntries(
            Map.entry("/", "index.html"),
            Map.entry("/login", "login.html"),
            Map.entry("/register", "register.html"),
            Map.entry("/recover", "recover.html"),
            Map.entry("/password-reset", "password-reset.html"),
            Map.entry("/wallet", "wallet.html"),
            Map.entry("/cards/new", "apply.html"),
            Map.entry("/topup", "topup.html"),
            Map.entry("/funding", "funding.html"),
            Map.entry("/pay", "pay.html"));

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "json", "application/json; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "txt", "text/plain; charset=utf-8");

    private static final byte[] NOT_FOUND_PAGE = """
            <!DOCTYPE html>
            <!-- SPDX-License-Identifier: AGPL-3.0-or-later -->
            <html lang="ko"><head><meta charset="utf-8"><title>404</title>
            <link rel="stylesheet" href="/assets/app.css"></head>
            <body><main class="narrow"><h1>404</h1><p>페이지를 찾을 수 없습니다. / Page not found.</p>
            <p><a href="/">anonpay</a></p></main></body></html>
            """.getBytes(StandardCharsets.UTF_8);

    /** A static answer: status, headers (Content-Type included) and the body (empty for HEAD and 304). */
    public record Response(int status, Map<String, String> headers, byte[] body) {}

    private record Entry(byte[] bytes, String etag) {}

    private final ClassLoader loader;
    private final Map<String, Optional<Entry>> cache = new ConcurrentHashMap<>();

    public StaticFiles() {
        this(StaticFiles.class.getClassLoader());
    }

    StaticFiles(ClassLoader loader) {
        this.loader = loader;
    }

    /** Whether this request is for a page or asset (GET/HEAD outside /api/), not for the JSON API. */
    public static boolean handles(String method, String path) {
        return ("GET".equals(method) || "HEAD".equals(method)) && !path.equals("/api") && !path.startsWith("/api/");
    }

    /**
     * @param rawPath     the request's path as sent, without query string, not decoded
     * @param ifNoneMatch the If-None-Match header, or null
     */
    public Response serve(String method, String rawPath, String ifNoneMatch) {
        boolean head = "HEAD".equals(method);
        if (WALLET_PROGRAM.equals(rawPath) || WALLET_PROGRAM_SRI.equals(rawPath)) return walletProgram(rawPath, head, ifNoneMatch);
        String file = fileOf(rawPath);
        Optional<Entry> entry = file == null ? Optional.empty() : cache.computeIfAbsent(file, this::load);
        if (entry.isEmpty()) {
            Map<String, String> h = securityHeaders(TYPES.get("html"));
            h.put("Cache-Control", "no-store");
            h.put("Content-Length", Integer.toString(NOT_FOUND_PAGE.length));
            return new Response(404, h, head ? new byte[0] : NOT_FOUND_PAGE);
        }
        Entry e = entry.get();
        String ext = file.substring(file.lastIndexOf('.') + 1);
        Map<String, String> h = securityHeaders(TYPES.get(ext));
        h.put("Cache-Control", "html".equals(ext) ? PAGE_CACHE : ASSET_CACHE);
        h.put("ETag", e.etag());
        if (ifNoneMatch != null && ifNoneMatch.contains(e.etag())) {
            h.remove("Content-Type");
            return new Response(304, h, new byte[0]);
        }
        h.put("Content-Length", Integer.toString(e.bytes().length));
        return new Response(200, h, head ? new byte[0] : e.bytes());
    }

    /**
     * The wallet program or its SRI hash ({@code sha384-<base64>}, text): both readable by any origin
     * ({@code Access-Control-Allow-Origin: *}, {@code Cross-Origin-Resource-Policy: cross-origin}).
     */
    private Response walletProgram(String rawPath, boolean head, String ifNoneMatch) {
        Entry script = cache.computeIfAbsent(WALLET_PROGRAM.substring(1), this::load)
                .orElseThrow(() -> new IllegalStateException("web" + WALLET_PROGRAM + " is missing from the classpath"));
        boolean sri = WALLET_PROGRAM_SRI.equals(rawPath);
        byte[] bytes = sri ? sri(script.bytes()).getBytes(StandardCharsets.US_ASCII) : script.bytes();
        Map<String, String> h = securityHeaders(sri ? TYPES.get("txt") : TYPES.get("js"));
        h.put("Access-Control-Allow-Origin", "*");
        h.put("Cross-Origin-Resource-Policy", "cross-origin");
        h.put("Cache-Control", sri ? PAGE_CACHE : WALLET_PROGRAM_CACHE);
        String etag = sri ? etag(bytes) : script.etag();
        h.put("ETag", etag);
        if (ifNoneMatch != null && ifNoneMatch.contains(etag)) {
            h.remove("Content-Type");
            return new Response(304, h, new byte[0]);
        }
        h.put("Content-Length", Integer.toString(bytes.length));
        return new Response(200, h, head ? new byte[0] : bytes);
    }

    /** The Subresource Integrity value of {@code bytes}: {@code sha384-} and the base64 of their SHA-384. */
    public static String sri(byte[] bytes) {
        try {
            return "sha384-" + java.util.Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-384").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file under web/ that {@code rawPath} names, or null when it names none (or is not acceptable). */
    static String fileOf(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/' || rawPath.length() > 200) return null;
        String page = PAGES.get(rawPath.length() > 1 && rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath);
        if (page != null) return page;
        if (CARD_PAGE.matcher(rawPath).matches()) return "card.html";
        if (!rawPath.startsWith("/assets/")) return null;
        String[] segments = rawPath.substring(1).split("/", -1);
        for (String s : segments) {
            if (!SEGMENT.matcher(s).matches()) return null; // "", ".", "..", "%2e", "a\\b", ...
        }
        String last = segments[segments.length - 1];
        int dot = last.lastIndexOf('.');
        if (dot < 0 || !TYPES.containsKey(last.substring(dot + 1))) return null;
        return rawPath.substring(1);
    }

    private Optional<Entry> load(String file) {
        try (InputStream in = loader.getResourceAsStream(ROOT + file)) {
            if (in == null) return Optional.empty();
            byte[] bytes = in.readAllBytes();
            return Optional.of(new Entry(bytes, etag(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(d, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> securityHeaders(String contentType) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", contentType);
        h.put("Content-Security-Policy", CSP);
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        h.put("X-Frame-Options", "DENY");
        return h;
    }
}
