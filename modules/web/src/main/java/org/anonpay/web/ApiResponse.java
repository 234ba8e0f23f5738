// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import java.util.List;
import java.util.Map;

/**
 * A successful answer: a status and a body that Jackson writes as JSON.
 *
 * @param cookies {@code Set-Cookie} values, one header each
 */
public record ApiResponse(int status, Object body, Map<String, String> headers, List<String> cookies) {

    public ApiResponse(int status, Object body, Map<String, String> headers) {
        this(status, body, headers, List.of());
    }

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, body, Map.of());
    }

    public static ApiResponse created(Object body, String location) {
        return new ApiResponse(201, body, Map.of("Location", location));
    }

    /** The same answer with these cookies set. */
    public ApiResponse withCookies(List<String> setCookies) {
        return new ApiResponse(status, body, headers, List.copyOf(setCookies));
    }
}
