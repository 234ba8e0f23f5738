// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.anonpay.web.ApiException;
import org.anonpay.web.ApiRequest;
import org.anonpay.web.ApiResponse;
import org.anonpay.web.ErrorCode;
import org.anonpay.web.FieldError;
import org.anonpay.web.Router;
import org.anonpay.web.WebSettings;
import org.anonpay.web.mail.Mailer;
import org.anonpay.web.member.Argon2id;
import org.anonpay.web.member.Registration;
import org.anonpay.web.member.RegistrationRules;

/**
 * Forgotten member ID or password (patent Fig. 2: the security question and answer), public:
 * <pre>
 *   POST /api/v1/recovery/member-id        name, email, securityQuestionId, securityAnswer: mails the member ID
 *   POST /api/v1/recovery/password         memberId, securityQuestionId, securityAnswer: mails a one-time reset link
 *   POST /api/v1/recovery/password/reset   token, password, passwordConfirm: sets the password
 * </pre>
 * The first two answer the same 200 whether anything matched or not, after the same Argon2id
 * work, and the mail leaves on another thread; the only one who learns of a match is the
 * owner of the registered mailbox.
 */
public final class RecoveryApi {

    static final String RECOVERY_ADDRESS = "RECOVERY_ADDRESS";
    private static final Map<String, Object> ACCEPTED = Map.of("accepted", true,
            "message", "If the details match a member, a mail was sent to the member's registered address.");

    private final AuthStore store;
    private final Throttle throttle;
    private final WebSettings.Auth settings;
    private final Argon2id hasher;
    private final String dummyHash;
    private final RegistrationRules rules;
    private final Mailer mailer;
    private final Clock clock;

    RecoveryApi(AuthStore store, Throttle throttle, WebSettings.Auth settings, Argon2id hasher, String dummyHash,
                RegistrationRules rules, Mailer mailer, Clock clock) {
        this.store = store;
        this.throttle = throttle;
        this.settings = settings;
        this.hasher = hasher;
        this.dummyHash = dummyHash;
        this.rules = rules;
        this.mailer = mailer;
        this.clock = clock;
    }

    public void addRoutes(Router router) {
        router.add("POST", "/api/v1/recovery/member-id", this::memberId)
                .add("POST", "/api/v1/recovery/password", this::password)
                .add("POST", "/api/v1/recovery/password/reset", this::reset);
    }

    private void throttleAddress(ApiRequest request) {
        throttle.enter(settings.recoveryWindow(),
                Throttle.Subject.of(RECOVERY_ADDRESS, "A:" + request.clientAddress(), settings.maxRecoveryRequestsPerAddress()));
    }

    /** Whether the member chose {@code questionId} and {@code answer} verifies; always one Argon2id run. */
    private boolean answers(AuthStore.MemberAuth member, int questionId, String answer) {
        if (member == null || answer == null) {
            Argon2id.verify(dummyHash, answer == null ? "" : answer);
            return false;
        }
        boolean ok = Argon2id.verify(member.answerHash(), answer);
        return ok && member.securityQuestionId() == questionId && "ACTIVE".equals(member.state());
    }

    /** Whether another recovery mail may go to this member now (limit per window: no mail bombing). */
    private boolean mayMail(AuthStore.MemberAuth member, Instant now) {
        return store.recoveryMailsSince(member.ref(), now.minus(settings.recoveryWindow())) < settings.maxRecoveryMailsPerMember();
    }

    private ApiResponse memberId(ApiRequest request) {
        Body body = Body.of(request, Set.of("name", "email", "securityQuestionId", "securityAnswer"));
        String name = body.text("name");
        String email = body.text("email");
        Integer questionId = body.integer("securityQuestionId");
        String rawAnswer = body.text("securityAnswer");
        body.requireValid();
        throttleAddress(request);

        String answer = RegistrationRules.answerForVerify(rawAnswer);
        String n = RegistrationRules.normalizedName(name);
        String e = RegistrationRules.normalizedEmail(email);
        List<AuthStore.MemberAuth> candidates = n == null || e == null ? List.of() : store.membersByNameAndEmail(n, e);
        List<AuthStore.MemberAuth> matched = new ArrayList<>();
        if (candidates.isEmpty()) answers(null, questionId, answer);
        for (AuthStore.MemberAuth m : candidates) {
            if (answers(m, questionId, answer)) matched.add(m);
        }
        Instant now = clock.instant();
        for (AuthStore.MemberAuth m : matched) {
            if (!mayMail(m, now)) continue;
            store.recordRecoveryMail(m.ref(), "MEMBER_ID", now);
            mailer.send(m.email(), "[anonpay] 회원 ID 안내 / Your member ID", """
                    %s님, 요청하신 회원 ID는 다음과 같습니다.
                    Your anonpay member ID is:

                        %s

                    요청하지 않으셨다면 이 메일을 무시하셔도 됩니다.
                    If you did not ask for it, you may ignore this mail.
                    """.formatted(m.nickname(), m.memberId()));
        }
        return ApiResponse.ok(ACCEPTED);
    }

    private ApiResponse password(ApiRequest request) {
        Body body = Body.of(request, Set.of("memberId", "securityQuestionId", "securityAnswer"));
        String memberId = body.text("memberId");
        Integer questionId = body.integer("securityQuestionId");
        String rawAnswer = body.text("securityAnswer");
        body.requireValid();
        throttleAddress(request);

        String key = Registration.memberIdKey(memberId.strip());
        AuthStore.MemberAuth member = key.length() <= 12 ? store.memberByIdKey(key) : null;
        boolean match = answers(member, questionId, RegistrationRules.answerForVerify(rawAnswer));
        Instant now = clock.instant();
        if (match && mayMail(member, now)) {
            String token = Tokens.newToken();
            Instant expires = now.plus(settings.resetTokenLifetime());
            store.replaceResetToken(member.ref(), Tokens.hash(token), now, expires);
            store.recordRecoveryMail(member.ref(), "PASSWORD_RESET", now);
            // the token rides in the fragment: browsers never send it to a server, so no proxy log keeps it
            String link = settings.publicBaseUrl() + "/password-reset#token=" + token;
            mailer.send(member.email(), "[anonpay] 비밀번호 재설정 / Reset your password", """
                    %s님, 아래 링크에서 새 비밀번호를 정하세요 (%d분 동안 한 번만 쓸 수 있습니다).
                    Set a new password at this link (valid once, for %d minutes):

                    %s

                    요청하지 않으셨다면 이 메일을 무시하세요. 비밀번호는 바뀌지 않습니다.
                    If you did not ask for it, ignore this mail: your password stays as it is.
                    """.formatted(member.nickname(), settings.resetTokenLifetime().toMinutes(),
                    settings.resetTokenLifetime().toMinutes(), link));
        }
        return ApiResponse.ok(ACCEPTED);
    }

    private ApiResponse reset(ApiRequest request) {
        Body body = Body.of(request, Set.of("token", "password", "passwordConfirm"));
        String token = body.text("token");
        String password = body.text("password");
        String confirm = body.text("passwordConfirm");
        body.requireValid();

        Instant now = clock.instant();
        byte[] tokenHash = Tokens.hash(token.strip());
        AuthStore.MemberAuth member = tokenHash == null ? null : store.memberOfResetToken(tokenHash, now);
        if (member == null) throw ApiException.of(ErrorCode.RESET_TOKEN_INVALID, "token");
        List<FieldError> errors = rules.newPasswordErrors(password, confirm, member.memberId());
        if (!errors.isEmpty()) throw new ApiException(errors);
        if (!store.resetPassword(tokenHash, member.ref(), hasher.hash(password), now)) {
            throw ApiException.of(ErrorCode.RESET_TOKEN_INVALID, "token"); // used by a concurrent request
        }
        // the member proved control of the mailbox: earlier failures no longer lock the account
        store.deleteAttemptsOf(AuthApi.LOGIN_MEMBER, Tokens.hashText(AuthApi.memberSubject(member, null)));
        return ApiResponse.ok(Map.of("passwordReset", true, "memberId", member.memberId()));
    }
}
