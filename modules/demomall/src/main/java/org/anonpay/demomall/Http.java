// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.demomall;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request of a demo shop's {@link com.sun.net.httpserver.HttpServer}, and its answer: the
 * little a shop needs (query, form body, cookies, HTML, redirects). The JDK server logs nothing by
 * itself, so card data typed into a shop's form never reaches a log.
 */
final class Http {

    /** Form bodies are small; anything larger is refused before it is read. */
    private static final int MAX_BODY_BYTES = 64 * 1024;

    final HttpExchange exchange;
    private byte[] body;

    Http(HttpExchange exchange) {
        this.exchange = exchange;
    }

    String method() {
        return exchange.getRequestMethod();
    }

    String path() {
        return exchange.getRequestURI().getPath();
    }

    Map<String, String> query() {
        return decode(exchange.getRequestURI().getRawQuery());
    }

    byte[] body() throws IOException {
        if (body == null) {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] read = in.readNBytes(MAX_BODY_BYTES + 1);
                if (read.length > MAX_BODY_BYTES) throw new IOException("request body too large");
                body = read;
            }
        }
        return body;
    }

    /** The urlencoded form of a POST. */
    Map<String, String> form() throws IOException {
        return decode(new String(body(), StandardCharsets.UTF_8));
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    String cookie(String name) {
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String part : header.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).trim().equals(name)) return part.substring(eq + 1).trim();
            }
        }
        return null;
    }

    void setCookie(String name, String value) {
        exchange.getResponseHeaders().add("Set-Cookie", name + "=" + value + "; Path=/; HttpOnly; SameSite=Lax");
    }

    void header(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
    }

    void html(int status, String html) throws IOException {
        send(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    void text(int status, String text) throws IOException {
        send(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** 303 See Other: after a POST, the browser GETs the result page (a reload does not post again). */
    void redirect(String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(303, -1);
        exchange.close();
    }

    void send(int status, String contentType, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        boolean head = "HEAD".equals(method());
        exchange.sendResponseHeaders(status, head ? -1 : (bytes.length == 0 ? -1 : bytes.length));
        if (!head && bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    static Map<String, String> decode(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) return values;
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(key, value);
        }
        return values;
    }

    /** HTML-escapes text and attribute values. */
    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** ₩12,000 (KRW has no minor unit). */
    static String won(long amount) {
        return "₩" + String.format("%,d", amount);
    }
}
