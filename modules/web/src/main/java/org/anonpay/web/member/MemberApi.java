// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.member;

import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.anonpay.db.Database;
import org.anonpay.web.ApiRequest;
import org.anonpay.web.ApiResponse;
import org.anonpay.web.Json;
import org.anonpay.web.Router;
import org.anonpay.web.WebSettings;

/**
 * HTTP endpoints of registration (a1):
 * <pre>
 *   GET  /api/v1/security-questions
 *   GET  /api/v1/members/id-available?memberId=...
 *   GET  /api/v1/members/nickname-available?nickname=...
 *   POST /api/v1/members
 * </pre>
 */
public final class MemberApi {

    /** Birth dates and "today" are Korean dates, whatever the server's zone. */
    public static final ZoneId KOREA = ZoneId.of("Asia/Seoul");

    private final MemberRegistration registration;
    private final SecurityQuestions questions;

    public MemberApi(MemberRegistration registration, SecurityQuestions questions) {
        this.registration = registration;
        this.questions = questions;
    }

    /** Loads the questions, common passwords and national ID key the settings name (environment on top). */
    public static MemberApi create(Database database, WebSettings settings) {
        return create(database, settings, Clock.system(KOREA));
    }

    /** @param clock "now" of registration dates and times (tests move it) */
    public static MemberApi create(Database database, WebSettings settings, Clock clock) {
        SecurityQuestions questions = SecurityQuestions.load(settings.securityQuestions());
        NationalIdCipher cipher = NationalIdCipher.load(settings.keysDir(), System.getenv());
        MemberRegistration registration = new MemberRegistration(rules(settings, questions, clock),
                new MemberStore(database, clock), new Argon2id(settings.argon2()), cipher);
        return new MemberApi(registration, questions);
    }

    /** The registration rules of these settings (also used for new passwords on reset). */
    public static RegistrationRules rules(WebSettings settings, Clock clock) {
        return rules(settings, SecurityQuestions.load(settings.securityQuestions()), clock);
    }

    private static RegistrationRules rules(WebSettings settings, SecurityQuestions questions, Clock clock) {
        return new RegistrationRules(questions, CommonPasswords.load(settings.commonPasswords()), clock);
    }

    public void addRoutes(Router router) {
        router.add("GET", "/api/v1/security-questions", this::securityQuestions)
                .add("GET", "/api/v1/members/id-available", this::idAvailable)
                .add("GET", "/api/v1/members/nickname-available", this::nicknameAvailable)
                .add("POST", "/api/v1/members", this::register);
    }

    private ApiResponse securityQuestions(ApiRequest request) {
        List<Map<String, Object>> list = questions.offered().stream()
                .map(q -> Map.<String, Object>of("id", q.id(), "ko", q.ko(), "en", q.en()))
                .toList();
        return ApiResponse.ok(Map.of("questions", list));
    }

    private ApiResponse idAvailable(ApiRequest request) {
        return ApiResponse.ok(Map.of("available", registration.memberIdAvailable(request.param("memberId"))));
    }

    private ApiResponse nicknameAvailable(ApiRequest request) {
        return ApiResponse.ok(Map.of("available", registration.nicknameAvailable(request.param("nickname"))));
    }

    private ApiResponse register(ApiRequest request) {
        MemberRegistration.Registered r = registration.register(Json.object(request));
        return new ApiResponse(201, Map.of("memberId", r.memberId(), "nickname", r.nickname()), Map.of());
    }
}
