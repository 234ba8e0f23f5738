// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.member;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.anonpay.web.ErrorCode;
import org.anonpay.web.FieldError;

/**
 * The registration request (POST /api/v1/members) as sent: every field a string except
 * {@code securityQuestionId} (a JSON integer), each null when absent. Nothing is checked here
 * beyond JSON types and unknown fields; {@link RegistrationRules} checks the values.
 */
public record RegistrationForm(String name, String nameLatin, String nationalId, String birthDate, String birthCalendar,
                               String memberId, String password, String passwordConfirm, Integer securityQuestionId,
                               String securityAnswer, String nickname, String email, String mobile, String statementChannel) {

    /** The fields in the order they are checked and their errors reported (the order of the Fig. 2 form). */
    public static final List<String> FIELDS = List.of("name", "nameLatin", "nationalId", "birthDate", "birthCalendar",
            "memberId", "password", "passwordConfirm", "securityQuestionId", "securityAnswer",
            "nickname", "email", "mobile", "statementChannel");

    /** The form, and the type and unknown-field errors found while reading it. */
    public record Parsed(RegistrationForm form, List<FieldError> errors) {}

    public static Parsed parse(ObjectNode body) {
        List<FieldError> errors = new ArrayList<>();
        body.fieldNames().forEachRemaining(name -> {
            // a misspelt field ("pasword") must not pass as "field missing" or be silently ignored
            if (!FIELDS.contains(name)) errors.add(FieldError.of(ErrorCode.UNKNOWN_FIELD, name));
        });
        RegistrationForm form = new RegistrationForm(text(body, "name", errors), text(body, "nameLatin", errors),
                text(body, "nationalId", errors), text(body, "birthDate", errors), text(body, "birthCalendar", errors),
                text(body, "memberId", errors), text(body, "password", errors), text(body, "passwordConfirm", errors),
                integer(body, "securityQuestionId", errors), text(body, "securityAnswer", errors),
                text(body, "nickname", errors), text(body, "email", errors), text(body, "mobile", errors),
                text(body, "statementChannel", errors));
        return new Parsed(form, errors);
    }

    private static String text(ObjectNode body, String field, List<FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) return null;
        if (node.isTextual()) return node.textValue();
        errors.add(FieldError.of(ErrorCode.WRONG_TYPE, field, "must be a JSON string"));
        return null;
    }

    private static Integer integer(ObjectNode body, String field, List<FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) return null;
        if (node.isIntegralNumber() && node.canConvertToInt()) return node.intValue();
        errors.add(FieldError.of(ErrorCode.WRONG_TYPE, field, "must be a JSON integer"));
        return null;
    }

    /** Never print the secrets. */
    @Override
    public String toString() {
        return "RegistrationForm[memberId=" + memberId + ", nickname=" + nickname + "]";
    }
}
