// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.auth;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.anonpay.web.ApiException;
import org.anonpay.web.ApiRequest;
import org.anonpay.web.ApiResponse;
import org.anonpay.web.ErrorCode;
import org.anonpay.web.Router;
import org.anonpay.web.WebSettings;
import org.anonpay.web.member.Argon2id;
import org.anonpay.web.member.Registration;
import org.anonpay.web.member.RegistrationRules;
import org.anonpay.web.FieldError;

/**
 * Log-in and sessions:
 * <pre>
 *   POST   /api/v1/sessions   log in (public)
 *   GET    /api/v1/session    who is logged in (member)
 *   DELETE /api/v1/session    log out (member, CSRF)
 *   DELETE /api/v1/sessions   end every session of the member, on all devices (member, CSRF)
 *   PUT    /api/v1/members/me/password   change the password (member, CSRF): ends the member's other sessions
 * </pre>
 * A failed log-in answers the same 401 whether the member exists or not, after the same
 * Argon2id work (a dummy hash when nobody has the name); throttling answers the same 429 for both.
 */
public final class AuthApi {

    static final String LOGIN_MEMBER = "LOGIN_MEMBER";
    static final String LOGIN_ADDRESS = "LOGIN_ADDRESS";
    private static final int LOGIN_MAX = 64;
    private static final int PASSWORD_MAX = 128;

    private final AuthStore store;
    private final Sessions sessions;
    private final Throttle throttle;
    private final WebSettings.Auth settings;
    private final String dummyHash;

    private final Argon2id hasher;
    private final RegistrationRules rules;

    AuthApi(AuthStore store, Sessions sessions, Throttle throttle, WebSettings.Auth settings, Argon2id hasher, RegistrationRules rules) {
        this.store = store;
        this.hasher = hasher;
        this.rules = rules;
        this.sessions = sessions;
        this.throttle = throttle;
        this.settings = settings;
        // same parameters as real hashes, so a miss costs what a hit costs
        this.dummyHash = hasher.hash(Tokens.newToken());
    }

    public void addRoutes(Router router) {
        router.add("POST", "/api/v1/sessions", this::login)
                .addMember("GET", "/api/v1/session", this::current)
                .addMember("DELETE", "/api/v1/session", this::logout)
                .addMember("DELETE", "/api/v1/sessions", this::logoutEverywhere)
                .addMember("PUT", "/api/v1/members/me/password", this::changePassword);
    }

    /** The throttle subject of a member, or of the typed name when nobody has it (so both are throttled alike). */
    static String memberSubject(AuthStore.MemberAuth member, String key) {
        return member != null ? "M:" + member.ref() : "L:" + key;
    }

    private ApiResponse login(ApiRequest request) {
        Body body = Body.of(request, Set.of("login", "password"));
        String login = body.text("login");
        String password = body.text("password");
        body.requireValid();

        String key = Registration.nicknameKey(login.strip());
        AuthStore.MemberAuth member = key.length() <= 12 ? store.memberByHandle(key) : null;
        List<Long> attempt = throttle.enter(settings.failureWindow(),
                Throttle.Subject.of(LOGIN_MEMBER, memberSubject(member, key), settings.maxFailuresPerMember()),
                Throttle.Subject.of(LOGIN_ADDRESS, "A:" + request.clientAddress(), settings.maxFailuresPerAddress()));

        boolean ok = Argon2id.verify(member != null ? member.passwordHash() : dummyHash,
                password.length() <= PASSWORD_MAX && login.length() <= LOGIN_MAX ? password : "");
        if (!ok || member == null || !"ACTIVE".equals(member.state())) {
            throw ApiException.of(ErrorCode.LOGIN_FAILED, null); // the attempt rows stay: they are the failure count
        }
        store.deleteAttempts(attempt);
        store.deleteAttemptsOf(LOGIN_MEMBER, Tokens.hashText(memberSubject(member, key)));
        sessions.endIfPresent(request);
        Sessions.Created created = sessions.create(member.ref());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("memberId", member.memberId());
        answer.put("nickname", member.nickname());
        answer.put("csrfToken", created.csrfToken());
        answer.put("expiresAt", created.expiresAt().toString());
        answer.put("idleTimeoutSeconds", sessions.idleTimeoutSeconds());
        return ApiResponse.ok(answer).withCookies(sessions.cookies(request, created));
    }

    private ApiResponse current(ApiRequest request, WebSession session) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("memberId", session.memberId());
        answer.put("nickname", session.nickname());
        answer.put("expiresAt", session.expiresAt().toString());
        answer.put("idleTimeoutSeconds", sessions.idleTimeoutSeconds());
        return ApiResponse.ok(answer);
    }

    private ApiResponse logout(ApiRequest request, WebSession session) {
        sessions.end(session);
        return ApiResponse.ok(Map.of("loggedOut", true)).withCookies(sessions.clearingCookies(request));
    }

    private ApiResponse logoutEverywhere(ApiRequest request, WebSession session) {
        int ended = sessions.endAll(session.memberRef());
        return ApiResponse.ok(Map.of("sessionsEnded", ended)).withCookies(sessions.clearingCookies(request));
    }

    /**
     * The current password, then the new one twice (registration's rules). A wrong current
     * password counts as a failed log-in of the member (same throttle), so a stolen session cannot
     * be used to guess it faster than the log-in form allows.
     */
    private ApiResponse changePassword(ApiRequest request, WebSession session) {
        Body body = Body.of(request, Set.of("currentPassword", "password", "passwordConfirm"));
        String current = body.text("currentPassword");
        String password = body.text("password");
        String confirm = body.text("passwordConfirm");
        body.requireValid();
        AuthStore.MemberAuth member = store.memberByRef(session.memberRef());
        if (member == null) throw ApiException.of(ErrorCode.NOT_AUTHENTICATED, null);
        List<Long> attempt = throttle.enter(settings.failureWindow(),
                Throttle.Subject.of(LOGIN_MEMBER, memberSubject(member, null), settings.maxFailuresPerMember()));
        if (current.length() > PASSWORD_MAX || !Argon2id.verify(member.passwordHash(), current)) {
            throw ApiException.of(ErrorCode.CURRENT_PASSWORD_WRONG, "currentPassword");
        }
        store.deleteAttempts(attempt);
        List<FieldError> errors = rules.newPasswordErrors(password, confirm, member.memberId());
        if (!errors.isEmpty()) throw new ApiException(errors);
        int ended = store.changePassword(member.ref(), hasher.hash(password), session.idHash());
        return ApiResponse.ok(Map.of("passwordChanged", true, "otherSessionsEnded", ended));
    }

    /**
     * Checks the member's password again before something sensitive (showing a full card number).
     * A wrong one counts as a failed log-in of the member, as in {@link #changePassword}, so a
     * stolen session cannot guess it faster than the log-in form allows.
     *
     * @return false when the password is wrong (or the member is gone)
     * @throws ApiException 429 TOO_MANY_ATTEMPTS when the member's log-in throttle is over its limit
     */
    public boolean recheckPassword(WebSession session, String password) {
        AuthStore.MemberAuth member = store.memberByRef(session.memberRef());
        if (member == null) return false;
        List<Long> attempt = throttle.enter(settings.failureWindow(),
                Throttle.Subject.of(LOGIN_MEMBER, memberSubject(member, null), settings.maxFailuresPerMember()));
        if (password == null || password.length() > PASSWORD_MAX || !Argon2id.verify(member.passwordHash(), password)) return false;
        store.deleteAttempts(attempt);
        return true;
    }

    /** The member's e-mail address, or null when the member is gone. */
    public String emailOf(long memberRef) {
        AuthStore.MemberAuth member = store.memberByRef(memberRef);
        return member == null ? null : member.email();
    }

    /** Log-in, sessions and recovery over one database, clock and mailer. */
    public record Components(Sessions sessions, AuthApi auth, RecoveryApi recovery) {
        public void addRoutes(Router router) {
            auth.addRoutes(router);
            recovery.addRoutes(router);
        }
    }

    public static Components create(org.anonpay.db.Database database, WebSettings settings, Clock clock,
                                    org.anonpay.web.mail.Mailer mailer, org.anonpay.web.member.RegistrationRules rules) {
        AuthStore store = new AuthStore(database);
        WebSettings.Auth a = settings.auth();
        Sessions sessions = new Sessions(store, a, clock);
        java.time.Duration retention = a.failureWindow().compareTo(a.recoveryWindow()) > 0 ? a.failureWindow() : a.recoveryWindow();
        Throttle throttle = new Throttle(store, clock, retention);
        Argon2id hasher = new Argon2id(settings.argon2());
        AuthApi auth = new AuthApi(store, sessions, throttle, a, hasher, rules);
        RecoveryApi recovery = new RecoveryApi(store, throttle, a, hasher, auth.dummyHash, rules, mailer, clock);
        return new Components(sessions, auth, recovery);
    }
}
