// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

/** HTTP calls of the session and recovery tests: a client address (X-Forwarded-For), a session cookie and a CSRF header when given. */
final class Calls {

    /** A logged-in client. */
    record Login(String sessionId, String csrfToken, HttpResponse<String> response) {}

    private final WebTestServer web;

    Calls(WebTestServer web) {
        this.web = web;
    }

    HttpResponse<String> call(String method, String path, Object body, String address, String sessionId, String csrf) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(web.uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(TestMembers.json(body)))
                .header("X-Forwarded-For", address);
        if (body != null) b.header("Content-Type", "application/json");
        if (sessionId != null) b.header("Cookie", "anonpay_session=" + sessionId);
        if (csrf != null) b.header("X-CSRF-Token", csrf);
        return web.client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, Object body, String address) throws Exception {
        return call("POST", path, body, address, null, null);
    }

    /** Registers a fresh member; returns its registration body (memberId, password, nickname, email, ...). */
    Map<String, Object> register() throws Exception {
        Map<String, Object> m = TestMembers.valid();
        HttpResponse<String> r = web.post("/api/v1/members", "application/json", TestMembers.json(m));
        assertEquals(201, r.statusCode(), r.body());
        return m;
    }

    HttpResponse<String> login(String login, String password, String address) throws Exception {
        return post("/api/v1/sessions", Map.of("login", login, "password", password), address);
    }

    /** Logs in and expects success. */
    Login loggedIn(String login, String password, String address) throws Exception {
        HttpResponse<String> r = login(login, password, address);
        assertEquals(200, r.statusCode(), r.body());
        String session = cookie(r, "anonpay_session").map(Calls::value).orElseThrow();
        return new Login(session, TestMembers.parse(r.body()).get("csrfToken").asText(), r);
    }

    /** The whole Set-Cookie header of cookie {@code name}. */
    static Optional<String> cookie(HttpResponse<?> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst();
    }

    static String value(String setCookie) {
        return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    }

    static String code(HttpResponse<String> r) {
        JsonNode error = TestMembers.parse(r.body()).get("error");
        return error == null ? null : error.get("code").asText();
    }
}
