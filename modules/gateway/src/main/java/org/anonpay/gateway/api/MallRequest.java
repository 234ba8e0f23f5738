// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.api;

import java.util.Locale;
import java.util.Map;

/**
 * A mall's HTTP request as the API sees it.
 *
 * @param target  the request target exactly as sent (path and query): what the signature covers
 * @param path    the decoded path without the query
 * @param headers first value of each header, names in lower case
 */
public record MallRequest(String method, String target, String path, Map<String, String> headers, byte[] body) {

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return "MallRequest[" + method + " " + path + "]"; // the body may hold card data (auto-fill)
    }
}
