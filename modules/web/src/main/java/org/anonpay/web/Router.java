// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Exact-path routing: unknown path 404, known path with another method 405 (with {@code Allow}). */
public final class Router {

    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request);
    }

    private final Map<String, Map<String, Handler>> routes = new LinkedHashMap<>();

    public Router add(String method, String path, Handler handler) {
        Handler previous = routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, handler);
        assert previous == null : "route registered twice: " + method + " " + path;
        return this;
    }

    public ApiResponse route(ApiRequest request) {
        Map<String, Handler> byMethod = routes.get(request.path());
        if (byMethod == null) throw ApiException.of(ErrorCode.NOT_FOUND, null);
        Handler handler = byMethod.get(request.method());
        if (handler == null) {
            throw new ApiException(List.of(FieldError.of(ErrorCode.METHOD_NOT_ALLOWED, null)),
                    Map.of("Allow", String.join(", ", byMethod.keySet())));
        }
        return handler.handle(request);
    }
}
