// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Reading request fields into a list of errors: every problem of a body is reported at once. */
public final class Fields {

    private Fields() {}

    /** A required text field; null (with its error added) when absent, null, empty or not text. */
    public static String text(ObjectNode body, String field, List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) return fail(errors, ErrorCode.REQUIRED, field);
        if (!v.isTextual()) return fail(errors, ErrorCode.WRONG_TYPE, field);
        return v.asText();
    }

    /** An optional text field: null when absent, null or blank. */
    public static String optionalText(ObjectNode body, String field, List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) return fail(errors, ErrorCode.WRONG_TYPE, field);
        return v.asText().isBlank() ? null : v.asText();
    }

    /** A required positive integer (JSON number without fraction, within a long); null after an error. */
    public static Long positiveLong(ObjectNode body, String field, List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return fail(errors, ErrorCode.REQUIRED, field);
        if (!v.isIntegralNumber()) return fail(errors, ErrorCode.WRONG_TYPE, field);
        if (!v.canConvertToLong()) return fail(errors, ErrorCode.AMOUNT_TOO_LARGE, field);
        if (v.asLong() <= 0) return fail(errors, ErrorCode.INVALID_VALUE, field);
        return v.asLong();
    }

    /** Free text a member names things with: stripped, at most {@code max} code points, no control characters. */
    public static String label(ObjectNode body, String field, int max, List<FieldError> errors) {
        String label = optionalText(body, field, errors);
        if (label == null) return null;
        String stripped = label.strip();
        if (stripped.codePointCount(0, stripped.length()) > max) return fail(errors, ErrorCode.TOO_LONG, field);
        if (stripped.codePoints().anyMatch(Character::isISOControl)) return fail(errors, ErrorCode.INVALID_CHARACTERS, field);
        return stripped;
    }

    /** A required boolean; null (with its error added) when absent, null or not a boolean. */
    public static Boolean bool(ObjectNode body, String field, List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return fail(errors, ErrorCode.REQUIRED, field);
        if (!v.isBoolean()) return fail(errors, ErrorCode.WRONG_TYPE, field);
        return v.booleanValue();
    }

    public static void unknownFields(ObjectNode body, Set<String> allowed, List<FieldError> errors) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) errors.add(FieldError.of(ErrorCode.UNKNOWN_FIELD, name));
        }
    }

    public static <T> T fail(List<FieldError> errors, ErrorCode code, String field) {
        errors.add(FieldError.of(code, field));
        return null;
    }
}
