// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.card;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.anonpay.issuer.CardControls;
import org.anonpay.issuer.CardProgram;
import org.anonpay.web.ApiException;
import org.anonpay.web.ApiRequest;
import org.anonpay.web.ErrorCode;
import org.anonpay.web.FieldError;
import org.anonpay.web.Fields;
import org.anonpay.web.Json;

/**
 * The body of {@code PUT /api/v1/cards/{id}/controls}: all four fields required, a limit null
 * (no member limit) or a positive whole number of minor units. Checked in two steps: the shape
 * before the card is looked up ({@link #parse}), the amounts against the card's program after
 * ({@link #checkAgainst}). Every problem is reported at once, each naming its field.
 */
record ControlsForm(Long limitPerTransaction, Long limitDaily, boolean allowOnline, boolean allowOffline) {

    static final String PER_TRANSACTION = "limitPerTransaction";
    static final String DAILY = "limitDaily";
    static final Set<String> FIELDS = Set.of(PER_TRANSACTION, DAILY, "allowOnline", "allowOffline");

    /** A limit above every program's (more than a long holds): refused as too large, not as malformed. */
    private static final long TOO_LARGE = Long.MAX_VALUE;

    /** @throws ApiException 400 with every field error */
    static ControlsForm parse(ApiRequest request) {
        ObjectNode body = Json.object(request);
        List<FieldError> errors = new ArrayList<>();
        Long perTransaction = limit(body, PER_TRANSACTION, errors);
        Long daily = limit(body, DAILY, errors);
        Boolean online = Fields.bool(body, "allowOnline", errors);
        Boolean offline = Fields.bool(body, "allowOffline", errors);
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!FIELDS.contains(name)) errors.add(FieldError.of(ErrorCode.UNKNOWN_FIELD, name));
        }
        if (!errors.isEmpty()) throw new ApiException(errors);
        return new ControlsForm(perTransaction, daily, online, offline);
    }

    /**
     * Each limit at most the program's limit of its kind (AMOUNT_TOO_LARGE naming the field), the
     * per-transaction limit not above the daily one (INVALID_VALUE on limitPerTransaction).
     *
     * @throws ApiException 400 with every error
     */
    void checkAgainst(CardProgram program) {
        List<FieldError> errors = new ArrayList<>();
        if (limitPerTransaction != null && limitPerTransaction > program.limitPerTransaction()) {
            errors.add(FieldError.of(ErrorCode.AMOUNT_TOO_LARGE, PER_TRANSACTION, "at most " + program.limitPerTransaction() + " (the card program's limit)"));
        }
        if (limitDaily != null && limitDaily > program.limitDaily()) {
            errors.add(FieldError.of(ErrorCode.AMOUNT_TOO_LARGE, DAILY, "at most " + program.limitDaily() + " (the card program's limit)"));
        }
        if (errors.isEmpty() && limitPerTransaction != null && limitDaily != null && limitPerTransaction > limitDaily) {
            errors.add(FieldError.of(ErrorCode.INVALID_VALUE, PER_TRANSACTION, "must not be above limitDaily"));
        }
        if (!errors.isEmpty()) throw new ApiException(errors);
    }

    CardControls controls() {
        return CardControls.of(limitPerTransaction, limitDaily, allowOnline, allowOffline);
    }

    /** Present (null allowed), a JSON integer, positive. */
    private static Long limit(ObjectNode body, String field, List<FieldError> errors) {
        if (!body.has(field)) return fail(errors, ErrorCode.REQUIRED, field, null);
        JsonNode v = body.get(field);
        if (v.isNull()) return null;
        if (!v.isIntegralNumber()) return fail(errors, ErrorCode.WRONG_TYPE, field, "a whole number of minor units, or null");
        if (v.bigIntegerValue().signum() <= 0) return fail(errors, ErrorCode.INVALID_VALUE, field, "a positive whole number of minor units, or null");
        return v.canConvertToLong() ? v.longValue() : TOO_LARGE;
    }

    private static Long fail(List<FieldError> errors, ErrorCode code, String field, String message) {
        errors.add(message == null ? FieldError.of(code, field) : FieldError.of(code, field, message));
        return null;
    }
}
