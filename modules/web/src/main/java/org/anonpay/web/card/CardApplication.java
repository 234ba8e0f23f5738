// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.card;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.anonpay.issuer.CardPrograms;
import org.anonpay.issuer.PhysicalCards;
import org.anonpay.web.ApiException;
import org.anonpay.web.ApiRequest;
import org.anonpay.web.ErrorCode;
import org.anonpay.web.FieldError;
import org.anonpay.web.Fields;
import org.anonpay.web.Json;

/**
 * A card application (patent step a2) as the member sends it, checked field by field: every
 * problem is reported at once, each naming its field, and nothing is created while any remains.
 *
 * @param delivery        null unless {@code physicalCard}
 * @param deliveryAddress null unless {@code physicalCard}
 */
record CardApplication(String programId, String cardName, char[] pin, boolean emailStatements, boolean physicalCard,
                       PhysicalCards.Delivery delivery, String deliveryAddress) {

    static final String DEFAULT_PROGRAM = "KRW-PREPAID";
    static final int CARD_NAME_MAX = 15;
    static final Set<String> FIELDS = Set.of("programId", "cardName", "pin", "pinConfirm", "emailStatements",
            "physicalCard", "delivery", "deliveryAddress");

    @Override
    public String toString() {
        // the PIN and the address stay out of logs
        return "CardApplication[" + programId + ", physical=" + physicalCard + "]";
    }

    /** @throws ApiException 400 with every field error */
    static CardApplication parse(ApiRequest request, CardPrograms programs) {
        ObjectNode body = Json.object(request);
        List<FieldError> errors = new ArrayList<>();
        String programId = program(body, programs, errors);
        String cardName = cardName(body, errors);
        char[] pin = pin(body, errors);
        Boolean email = Fields.bool(body, "emailStatements", errors);
        Boolean physical = Fields.bool(body, "physicalCard", errors);
        PhysicalCards.Delivery delivery = null;
        String address = null;
        if (Boolean.TRUE.equals(physical)) {
            delivery = delivery(body, errors);
            address = address(body, errors);
        } else if (Boolean.FALSE.equals(physical)) {
            onlyWithPhysicalCard(body, errors);
        }
        Fields.unknownFields(body, FIELDS, errors);
        if (!errors.isEmpty()) throw new ApiException(errors);
        return new CardApplication(programId, cardName, pin, email, physical, delivery, address);
    }

    private static String program(ObjectNode body, CardPrograms programs, List<FieldError> errors) {
        JsonNode v = body.get("programId");
        if (v == null || v.isNull()) return DEFAULT_PROGRAM;
        if (!v.isTextual()) return fail(errors, ErrorCode.WRONG_TYPE, "programId");
        if (programs.byId(v.asText()).isEmpty()) return fail(errors, ErrorCode.INVALID_VALUE, "programId");
        return v.asText();
    }

    /** 1–15 characters (code points: Hangul syllables count one each), no control characters. */
    private static String cardName(ObjectNode body, List<FieldError> errors) {
        String name = text(body, "cardName", errors);
        if (name == null) return null;
        String stripped = name.strip();
        if (stripped.codePointCount(0, stripped.length()) > CARD_NAME_MAX) return fail(errors, ErrorCode.TOO_LONG, "cardName");
        if (stripped.codePoints().anyMatch(Character::isISOControl)) return fail(errors, ErrorCode.INVALID_CHARACTERS, "cardName");
        return stripped;
    }

    /** The PIN rules (shared with the PIN change): 4 digits, {@code pinConfirm} the same. */
    static char[] pin(ObjectNode body, List<FieldError> errors) {
        String pin = text(body, "pin", errors);
        String confirm = text(body, "pinConfirm", errors);
        if (pin == null) return null;
        if (!pin.matches("[0-9]{4}")) {
            errors.add(FieldError.of(ErrorCode.INVALID_FORMAT, "pin", "the PIN must be 4 digits"));
            return null;
        }
        if (confirm != null && !confirm.equals(pin)) {
            errors.add(FieldError.of(ErrorCode.PIN_MISMATCH, "pinConfirm"));
            return null;
        }
        return pin.toCharArray();
    }

    private static PhysicalCards.Delivery delivery(ObjectNode body, List<FieldError> errors) {
        String value = text(body, "delivery", errors);
        if (value == null) return null;
        try {
            return PhysicalCards.Delivery.valueOf(value);
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.of(ErrorCode.INVALID_VALUE, "delivery", "HOME or OFFICE"));
            return null;
        }
    }

    /** 1–200 characters; line breaks are allowed (an address has lines), other control characters are not. */
    private static String address(ObjectNode body, List<FieldError> errors) {
        String address = text(body, "deliveryAddress", errors);
        if (address == null) return null;
        String stripped = address.strip();
        if (stripped.codePointCount(0, stripped.length()) > PhysicalCards.ADDRESS_MAX_CHARS) return fail(errors, ErrorCode.TOO_LONG, "deliveryAddress");
        if (stripped.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            return fail(errors, ErrorCode.INVALID_CHARACTERS, "deliveryAddress");
        }
        return stripped;
    }

    /** Delivery data without a physical card would be silently dropped: refuse it instead. */
    private static void onlyWithPhysicalCard(ObjectNode body, List<FieldError> errors) {
        for (String field : List.of("delivery", "deliveryAddress")) {
            JsonNode v = body.get(field);
            if (v != null && !v.isNull()) errors.add(FieldError.of(ErrorCode.INVALID_VALUE, field, "only with physicalCard true"));
        }
    }

    private static String text(ObjectNode body, String field, List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) return fail(errors, ErrorCode.REQUIRED, field);
        if (!v.isTextual()) return fail(errors, ErrorCode.WRONG_TYPE, field);
        return v.asText();
    }

    private static String fail(List<FieldError> errors, ErrorCode code, String field) {
        return Fields.fail(errors, code, field);
    }
}
