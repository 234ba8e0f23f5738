// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.anonpay.web.ApiException;
import org.anonpay.web.ApiRequest;
import org.anonpay.web.ErrorCode;
import org.anonpay.web.FieldError;
import org.anonpay.web.Json;

/** A small JSON request of known fields: each must be present with its type; unknown fields are refused. */
final class Body {

    private final ObjectNode node;
    private final List<FieldError> fieldErrors = new ArrayList<>();
    private final List<FieldError> errors = new ArrayList<>();

    private Body(ObjectNode node) {
        this.node = node;
    }

    static Body of(ApiRequest request, Set<String> fields) {
        Body b = new Body(Json.object(request));
        for (Iterator<String> it = b.node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!fields.contains(name)) b.errors.add(FieldError.of(ErrorCode.UNKNOWN_FIELD, name));
        }
        return b;
    }

    /** A required non-blank string (not trimmed: passwords count every character), or null with an error noted. */
    String text(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            fieldErrors.add(FieldError.of(ErrorCode.REQUIRED, field));
            return null;
        }
        if (!v.isTextual()) {
            fieldErrors.add(FieldError.of(ErrorCode.WRONG_TYPE, field));
            return null;
        }
        return v.asText();
    }

    /** A required JSON integer, or null with an error noted. */
    Integer integer(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            fieldErrors.add(FieldError.of(ErrorCode.REQUIRED, field));
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            fieldErrors.add(FieldError.of(ErrorCode.WRONG_TYPE, field));
            return null;
        }
        return v.intValue();
    }

    /** @throws ApiException 400 if any field was missing, of the wrong type or unknown */
    void requireValid() {
        List<FieldError> all = new ArrayList<>(fieldErrors);
        all.addAll(errors); // unknown fields last, as in registration
        if (!all.isEmpty()) throw new ApiException(all);
    }
}
