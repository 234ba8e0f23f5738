// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.auth;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.anonpay.web.ApiException;
import org.anonpay.web.ApiRequest;
import org.anonpay.web.ErrorCode;
import org.anonpay.web.WebSettings;

/**
 * Log-in sessions: the session cookie holds 32 random bytes, the database their SHA-256. A
 * session ends after {@code session.idle-minutes} without a request, {@code session.absolute-minutes}
 * after log-in, on log-out, on a password reset, or when the member is no longer ACTIVE.
 *
 * <p>CSRF: synchronizer token. Each session has its own random token, stored hashed; log-in returns
 * it in the body and in the readable cookie {@value #CSRF_COOKIE} (so a reloaded page can find it);
 * member routes that change state need it in the {@value #CSRF_HEADER} header. Another site can
 * make the browser send cookies, but can neither read the token nor set that header.
 */
public final class Sessions implements SessionGuard {

    public static final String SESSION_COOKIE = "anonpay_session";
    public static final String CSRF_COOKIE = "anonpay_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    /** A new session as the client gets it. */
    public record Created(String sessionId, String csrfToken, Instant expiresAt) {
        @Override
        public String toString() {
            return "Created[expiresAt=" + expiresAt + "]";
        }
    }

    private final AuthStore store;
    private final WebSettings.Auth settings;
    private final Clock clock;

    public Sessions(AuthStore store, WebSettings.Auth settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    public Created create(long memberRef) {
        Instant now = clock.instant();
        store.purgeSessions(now, now.minus(settings.sessionIdle()));
        String id = Tokens.newToken();
        String csrf = Tokens.newToken();
        Instant expires = now.plus(settings.sessionAbsolute());
        store.insertSession(Tokens.hash(id), Tokens.hash(csrf), memberRef, now, expires);
        return new Created(id, csrf, expires);
    }

    @Override
    public WebSession authenticate(ApiRequest request) {
        byte[] idHash = Tokens.hash(request.cookie(SESSION_COOKIE));
        if (idHash == null) throw ApiException.of(ErrorCode.NOT_AUTHENTICATED, null);
        Instant now = clock.instant();
        WebSession session = store.touchSession(idHash, now, now.minus(settings.sessionIdle()));
        if (session == null) throw ApiException.of(ErrorCode.NOT_AUTHENTICATED, null);
        return session;
    }

    @Override
    public void requireCsrf(ApiRequest request, WebSession session) {
        byte[] sent = Tokens.hash(request.header(CSRF_HEADER));
        if (sent == null || !MessageDigest.isEqual(sent, session.csrfHash())) throw ApiException.of(ErrorCode.CSRF_TOKEN_INVALID, null);
    }

    /** Ends the session of the request's cookie, if any (log-in on top of an old session). */
    public void endIfPresent(ApiRequest request) {
        byte[] idHash = Tokens.hash(request.cookie(SESSION_COOKIE));
        if (idHash != null) store.deleteSession(idHash);
    }

    public void end(WebSession session) {
        store.deleteSession(session.idHash());
    }

    public int endAll(long memberRef) {
        return store.deleteSessionsOf(memberRef);
    }

    /** The session and CSRF cookies of a new session. */
    public List<String> cookies(ApiRequest request, Created created) {
        String attrs = attributes(request);
        return List.of(SESSION_COOKIE + "=" + created.sessionId() + "; Path=/; HttpOnly; SameSite=Strict" + attrs,
                CSRF_COOKIE + "=" + created.csrfToken() + "; Path=/; SameSite=Strict" + attrs);
    }

    /** Cookies that delete both. */
    public List<String> clearingCookies(ApiRequest request) {
        String attrs = attributes(request) + "; Max-Age=0";
        return List.of(SESSION_COOKIE + "=; Path=/; HttpOnly; SameSite=Strict" + attrs,
                CSRF_COOKIE + "=; Path=/; SameSite=Strict" + attrs);
    }

    private String attributes(ApiRequest request) {
        boolean secure = switch (settings.cookieSecure()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> request.tls() || settings.publicBaseUrl().startsWith("https://");
        };
        return secure ? "; Secure" : "";
    }

    public long idleTimeoutSeconds() {
        return settings.sessionIdle().toSeconds();
    }
}
