// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.member;

import java.text.Normalizer;
import java.time.LocalDate;
import java.util.Locale;

/**
 * A registration that passed every {@link RegistrationRules} check, values normalized (trimmed,
 * NFC, mobile as 01X-XXXX-XXXX). Holds the clear password, answer and national ID: it lives only
 * for the request and is never logged ({@link #toString()} leaves them out).
 */
public record Registration(String name, String nameLatin, String nationalId, LocalDate birthDate, BirthCalendar birthCalendar,
                           String memberId, String password, int securityQuestionId, String securityAnswer,
                           String nickname, String email, String mobile, StatementChannel statementChannel) {

    /** Member IDs are unique ignoring case: the key is the lower-case ID. */
    public static String memberIdKey(String memberId) {
        return memberId.toLowerCase(Locale.ROOT);
    }

    /** Nicknames are unique ignoring case too ("Alice" and "alice" would be confused on partner sites). */
    public static String nicknameKey(String nickname) {
        return Normalizer.normalize(nickname, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    public String memberIdKey() {
        return memberIdKey(memberId);
    }

    public String nicknameKey() {
        return nicknameKey(nickname);
    }

    /**
     * What is hashed of the security answer: the normalized answer in lower case, so that on
     * recovery "Kim Gu" and "kim  gu" both match (the member must type it again from memory).
     */
    public String securityAnswerForHash() {
        return securityAnswer.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "Registration[memberId=" + memberId + ", nickname=" + nickname + "]";
    }
}
