// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import java.util.Map;

/** A successful answer: a status and a body that Jackson writes as JSON. */
public record ApiResponse(int status, Object body, Map<String, String> headers) {

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, body, Map.of());
    }

    public static ApiResponse created(Object body, String location) {
        return new ApiResponse(201, body, Map.of("Location", location));
    }
}
