// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP request as the API handlers see it, independent of Netty.
 *
 * @param contentType   the Content-Type header, or null
 * @param body          the whole body (at most the configured limit)
 * @param headers       first value of each header, names in lower case
 * @param cookies       the request's cookies by name (first of each name)
 * @param clientAddress the client's IP address (see {@code trust-forwarded-for}), never null
 * @param tls           whether the request came over TLS to this server
 */
public record ApiRequest(String method, String path, Map<String, List<String>> query, String contentType, byte[] body,
                         Map<String, String> headers, Map<String, String> cookies, String clientAddress, boolean tls) {

    public ApiRequest(String method, String path, Map<String, List<String>> query, String contentType, byte[] body) {
        this(method, path, query, contentType, body, Map.of(), Map.of(), "unknown", false);
    }

    /** The first value of query parameter {@code name}, or null. */
    public String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** The first value of header {@code name} (any case), or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String cookie(String name) {
        return cookies.get(name);
    }

    @Override
    public String toString() {
        // the body, headers and cookies may hold passwords, tokens and session ids
        return "ApiRequest[" + method + " " + path + "]";
    }
}
