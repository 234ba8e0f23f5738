// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.member;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.anonpay.web.ApiException;
import org.anonpay.web.ErrorCode;
import org.anonpay.web.FieldError;

/**
 * Step a1: checks a registration, hashes and encrypts its secrets and stores the member. Also the
 * duplicate checks of the form's two "중복확인" buttons (member ID, nickname).
 */
public final class MemberRegistration {

    /** A stored member: what the client may see of it. */
    public record Registered(String memberId, String nickname) {}

    private final RegistrationRules rules;
    private final MemberStore store;
    private final Argon2id hasher;
    private final NationalIdCipher cipher;

    public MemberRegistration(RegistrationRules rules, MemberStore store, Argon2id hasher, NationalIdCipher cipher) {
        this.rules = rules;
        this.store = store;
        this.hasher = hasher;
        this.cipher = cipher;
    }

    /** @throws ApiException 400 with every field error, or 409 if the member ID or nickname is taken */
    public Registered register(ObjectNode body) {
        RegistrationRules.Result checked = rules.check(RegistrationForm.parse(body));
        if (!checked.errors().isEmpty()) throw new ApiException(checked.errors());
        Registration r = checked.registration();
        // cheap early answer before two Argon2 runs; the unique keys in insert() still decide races
        if (store.handleTaken(r.memberIdKey())) throw ApiException.of(ErrorCode.MEMBER_ID_TAKEN, "memberId");
        if (store.handleTaken(r.nicknameKey())) throw ApiException.of(ErrorCode.NICKNAME_TAKEN, "nickname");
        MemberStore.NewMember row = new MemberStore.NewMember(r, hasher.hash(r.password()), hasher.hash(r.securityAnswerForHash()),
                cipher.encrypt(r.nationalId(), r.memberIdKey()), ResidentRegistrationNumber.mask(r.nationalId()));
        return switch (store.insert(row)) {
            case CREATED -> new Registered(r.memberId(), r.nickname());
            case MEMBER_ID_TAKEN -> throw ApiException.of(ErrorCode.MEMBER_ID_TAKEN, "memberId");
            case NICKNAME_TAKEN -> throw ApiException.of(ErrorCode.NICKNAME_TAKEN, "nickname");
        };
    }

    /** @throws ApiException 400 if {@code memberId} breaks the format rules */
    public boolean memberIdAvailable(String memberId) {
        String valid = formatChecked("memberId", () -> RegistrationRules.memberId(memberId));
        return !store.handleTaken(Registration.memberIdKey(valid));
    }

    /** @throws ApiException 400 if {@code nickname} breaks the format rules */
    public boolean nicknameAvailable(String nickname) {
        String valid = formatChecked("nickname", () -> RegistrationRules.nickname(nickname, null));
        return !store.handleTaken(Registration.nicknameKey(valid));
    }

    private static String formatChecked(String field, java.util.function.Supplier<String> rule) {
        try {
            return rule.get();
        } catch (RegistrationRules.Refused r) {
            throw new ApiException(FieldError.of(r.code, field, r.getMessage()));
        }
    }
}
