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
    /** Paths with {@code {name}} segments, e.g. /api/v1/cards/{id}/reveal, tried after the exact paths. */
    private final Map<java.util.regex.Pattern, String> templates = new LinkedHashMap<>();
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
        if (path.contains("{")) templates.putIfAbsent(template(path), path);
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

    /** A {@code {name}} segment matches one non-empty path segment. */
    private static java.util.regex.Pattern template(String path) {
        return java.util.regex.Pattern.compile(java.util.Arrays.stream(path.split("/", -1))
                .map(seg -> seg.startsWith("{") && seg.endsWith("}") ? "[^/]+" : java.util.regex.Pattern.quote(seg))
                .collect(java.util.stream.Collectors.joining("/")));
    }

    /** The registered path (exact, or the first template) that {@code path} belongs to, or null. */
    private String registeredPath(String path) {
        if (routes.containsKey(path)) return path;
        for (var t : templates.entrySet()) {
            if (t.getKey().matcher(path).matches()) return t.getValue();
        }
        return null;
    }

    /** Segment {@code index} (0-based, after the leading slash) of the request path: the value of a {@code {name}} segment. */
    public static String segment(ApiRequest request, int index) {
        String[] parts = request.path().substring(1).split("/", -1);
        return index < parts.length ? parts[index] : null;
    }

    public ApiResponse route(ApiRequest request) {
        String registered = registeredPath(request.path());
        Map<String, Handler> byMethod = registered == null ? null : routes.get(registered);
        if (byMethod == null) throw ApiException.of(ErrorCode.NOT_FOUND, null);
        Handler handler = byMethod.get(request.method());
        if (handler == null) {
            throw new ApiException(List.of(FieldError.of(ErrorCode.METHOD_NOT_ALLOWED, null)),
                    Map.of("Allow", String.join(", ", byMethod.keySet())));
        }
        return handler.handle(request);
    }
}
