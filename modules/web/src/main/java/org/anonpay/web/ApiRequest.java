// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request as the API handlers see it, independent of Netty.
 *
 * @param contentType the Content-Type header, or null
 * @param body        the whole body (at most the configured limit)
 */
public record ApiRequest(String method, String path, Map<String, List<String>> query, String contentType, byte[] body) {

    /** The first value of query parameter {@code name}, or null. */
    public String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }
}
