// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.funding;

import org.anonpay.web.Fields;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.anonpay.web.ApiException;
import org.anonpay.web.ErrorCode;
import org.anonpay.web.FieldError;

/**
 * A top-up request: which source, how much (minor units of the card's currency), and the
 * client's requestId that makes a retry safe.
 */
record TopupForm(long sourceId, long amountMinor, String requestId) {

    static final Set<String> FIELDS = Set.of("sourceId", "amount", "requestId");
    static final int REQUEST_ID_MIN = 8;
    static final int REQUEST_ID_MAX = 64;

    /** @throws ApiException 400 with every field error */
    static TopupForm parse(ObjectNode body) {
        List<FieldError> errors = new ArrayList<>();
        Long sourceId = Fields.positiveLong(body, "sourceId", errors);
        Long amount = Fields.positiveLong(body, "amount", errors);
        String requestId = requestId(body, errors);
        Fields.unknownFields(body, FIELDS, errors);
        if (!errors.isEmpty()) throw new ApiException(errors);
        return new TopupForm(sourceId, amount, requestId);
    }

    /** 8–64 of A-Z a-z 0-9 - _: long enough to be unique when the client makes it random, safe in logs. */
    private static String requestId(ObjectNode body, List<FieldError> errors) {
        String id = Fields.text(body, "requestId", errors);
        if (id == null) return null;
        if (!id.matches("[A-Za-z0-9_-]*")) return Fields.fail(errors, ErrorCode.INVALID_CHARACTERS, "requestId");
        if (id.length() < REQUEST_ID_MIN) return Fields.fail(errors, ErrorCode.TOO_SHORT, "requestId");
        if (id.length() > REQUEST_ID_MAX) return Fields.fail(errors, ErrorCode.TOO_LONG, "requestId");
        return id;
    }
}
