// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.anonpay.web.auth.SessionGuard;
import org.anonpay.web.auth.WebSession;

/**
 * Exact-path routing: unknown path 404, known path with another method 405 (with {@code Allow}).
 *
 * <p>Two kinds of route: {@link #add public} ones (registration, log-in, recovery: no session yet)
 * and {@link #addMember member} ones, which is what every new endpoint of a logged-in member should
 * use: the route then requires a live session (else 401 {@code NOT_AUTHENTICATED}) and, for
 * POST/PUT/PATCH/DELETE, the session's CSRF token in {@code X-CSRF-Token} (else 403
 * {@code CSRF_TOKEN_INVALID}), both checked before the handler runs.
 */
public final class Router {

    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request);
    }

    /** A handler for a logged-in member. */
    @FunctionalInterface
    public interface MemberHandler {
        ApiResponse handle(ApiRequest request, WebSession session);
    }

    /** Methods that change state: they need the CSRF token on member routes. */
    public static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final Map<String, Map<String, Handler>> routes = new LinkedHashMap<>();
    private final SessionGuard guard;

    /** A router without member routes (tests of public endpoints). */
    public Router() {
        this(null);
    }

    public Router(SessionGuard guard) {
        this.guard = guard;
    }

    /** A public route: no session, no CSRF check. Only for requests made before a session exists. */
    public Router add(String method, String path, Handler handler) {
        Handler previous = routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, handler);
        assert previous == null : "route registered twice: " + method + " " + path;
        return this;
    }

    /** A route for a logged-in member: session required, CSRF token too when {@code method} changes state. */
    public Router addMember(String method, String path, MemberHandler handler) {
        if (guard == null) throw new IllegalStateException("this router has no session guard");
        boolean csrf = STATE_CHANGING.contains(method);
        return add(method, path, request -> {
            WebSession session = guard.authenticate(request);
            if (csrf) guard.requireCsrf(request, session);
            return handler.handle(request, session);
        });
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
