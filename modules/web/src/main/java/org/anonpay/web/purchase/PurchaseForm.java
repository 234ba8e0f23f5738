// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.purchase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Currency;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.anonpay.gateway.mall.Mall;
import org.anonpay.gateway.purchase.Goods;
import org.anonpay.gateway.purchase.PersonalData;
import org.anonpay.web.ApiException;
import org.anonpay.web.ApiRequest;
import org.anonpay.web.ErrorCode;
import org.anonpay.web.FieldError;
import org.anonpay.web.Fields;
import org.anonpay.web.Json;

/**
 * The body of {@code POST /api/v1/purchases}: the purchase data the wallet program read from the
 * mall's page (b4) and the card the member chose (b5). Every field is checked and every error
 * named at once; the rules are the mall API's for the same fields (the mall's approval request
 * must be able to repeat them exactly, and customerRef and orderId travel in the ISO 8583 message).
 */
record PurchaseForm(String mallId, String customerRef, String orderId, Goods goods, long total, String currency, long cardId) {

    static final Set<String> FIELDS = Set.of("mallId", "customerRef", "orderId", "goods", "total", "currency", "cardId");
    private static final Set<String> ITEM_FIELDS = Set.of("name", "quantity", "unitPrice");
    /** Printable ASCII without space, as the mall API takes identifiers. */
    private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7e]+");
    static final int IDENTIFIER_MAX = 64;

    static PurchaseForm parse(ApiRequest request) {
        ObjectNode body = Json.object(request);
        List<FieldError> errors = new ArrayList<>();
        String mallId = mallId(body, errors);
        String customerRef = identifier(body, "customerRef", errors);
        String orderId = identifier(body, "orderId", errors);
        Goods goods = goods(body, errors);
        Long total = total(body, errors);
        String currency = currency(body, errors);
        Long cardId = cardId(body, errors);
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!FIELDS.contains(name)) errors.add(FieldError.of(ErrorCode.UNKNOWN_FIELD, name));
        }
        if (errors.isEmpty() && totalDiffers(goods, total)) errors.add(FieldError.of(ErrorCode.TOTAL_NOT_SUM_OF_GOODS, "total"));
        if (!errors.isEmpty()) throw new ApiException(errors);
        return new PurchaseForm(mallId, customerRef, orderId, goods, total, currency, cardId);
    }

    private static String mallId(ObjectNode body, List<FieldError> errors) {
        String v = text(body, "mallId", errors);
        if (v == null) return null;
        if (!Mall.ID.matcher(v).matches()) return fail(errors, ErrorCode.INVALID_FORMAT, "mallId", "4-16 of A-Z and 0-9");
        return v;
    }

    /** customerRef, orderId: printable ASCII 1-64, nothing that looks like personal data. */
    private static String identifier(ObjectNode body, String field, List<FieldError> errors) {
        String v = text(body, field, errors);
        if (v == null) return null;
        if (v.length() > IDENTIFIER_MAX) return fail(errors, ErrorCode.TOO_LONG, field, "at most " + IDENTIFIER_MAX + " characters");
        if (!PRINTABLE.matcher(v).matches()) return fail(errors, ErrorCode.INVALID_CHARACTERS, field, "printable ASCII without spaces");
        if (PersonalData.looksPersonal(v)) return fail(errors, ErrorCode.PERSONAL_DATA_NOT_ACCEPTED, field, null);
        return v;
    }

    private static Goods goods(ObjectNode body, List<FieldError> errors) {
        JsonNode v = body.get("goods");
        if (v == null || v.isNull()) return fail(errors, ErrorCode.REQUIRED, "goods", null);
        if (!v.isArray()) return fail(errors, ErrorCode.WRONG_TYPE, "goods", "a JSON array of items");
        if (v.isEmpty() || v.size() > Goods.MAX_ITEMS) return fail(errors, ErrorCode.INVALID_VALUE, "goods", "1-" + Goods.MAX_ITEMS + " items");
        List<Goods.Item> items = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            Goods.Item item = item(v.get(i), "goods[" + i + "]", errors);
            if (item != null) items.add(item);
        }
        return items.size() == v.size() ? new Goods(items) : null;
    }

    private static Goods.Item item(JsonNode v, String path, List<FieldError> errors) {
        if (!v.isObject()) return fail(errors, ErrorCode.WRONG_TYPE, path, "an object {name, quantity, unitPrice}");
        int before = errors.size();
        JsonNode name = v.get("name");
        String itemName = null;
        if (name == null || name.isNull() || (name.isTextual() && name.asText().isBlank())) errors.add(FieldError.of(ErrorCode.REQUIRED, path + ".name"));
        else if (!name.isTextual()) errors.add(FieldError.of(ErrorCode.WRONG_TYPE, path + ".name"));
        else if (name.asText().codePointCount(0, name.asText().length()) > Goods.NAME_MAX) {
            errors.add(FieldError.of(ErrorCode.TOO_LONG, path + ".name", "at most " + Goods.NAME_MAX + " characters"));
        } else if (name.asText().codePoints().anyMatch(Character::isISOControl)) errors.add(FieldError.of(ErrorCode.INVALID_CHARACTERS, path + ".name"));
        else if (PersonalData.looksPersonal(name.asText())) errors.add(FieldError.of(ErrorCode.PERSONAL_DATA_NOT_ACCEPTED, path + ".name"));
        else itemName = name.asText();
        JsonNode quantity = v.get("quantity");
        if (quantity == null || quantity.isNull()) errors.add(FieldError.of(ErrorCode.REQUIRED, path + ".quantity"));
        else if (!quantity.isIntegralNumber() || !quantity.canConvertToInt()) errors.add(FieldError.of(ErrorCode.WRONG_TYPE, path + ".quantity"));
        else if (quantity.intValue() < 1 || quantity.intValue() > 9999) errors.add(FieldError.of(ErrorCode.INVALID_VALUE, path + ".quantity", "1-9999"));
        JsonNode price = v.get("unitPrice");
        if (price == null || price.isNull()) errors.add(FieldError.of(ErrorCode.REQUIRED, path + ".unitPrice"));
        else if (!price.isIntegralNumber() || !price.canConvertToLong()) errors.add(FieldError.of(ErrorCode.WRONG_TYPE, path + ".unitPrice"));
        else if (price.longValue() < 0) errors.add(FieldError.of(ErrorCode.INVALID_VALUE, path + ".unitPrice", "minor units, not negative"));
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!ITEM_FIELDS.contains(field)) errors.add(FieldError.of(ErrorCode.UNKNOWN_FIELD, path + "." + field));
        }
        if (errors.size() > before) return null;
        return new Goods.Item(itemName, quantity.intValue(), price.longValue());
    }

    private static Long total(ObjectNode body, List<FieldError> errors) {
        JsonNode v = body.get("total");
        if (v == null || v.isNull()) return fail(errors, ErrorCode.REQUIRED, "total", null);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) return fail(errors, ErrorCode.WRONG_TYPE, "total", "a JSON integer (minor units)");
        if (v.longValue() < 1) return fail(errors, ErrorCode.INVALID_VALUE, "total", "more than 0");
        return v.longValue();
    }

    private static String currency(ObjectNode body, List<FieldError> errors) {
        String v = text(body, "currency", errors);
        if (v == null) return null;
        try {
            if (!v.matches("[A-Z]{3}")) throw new IllegalArgumentException();
            return Currency.getInstance(v).getCurrencyCode();
        } catch (IllegalArgumentException e) {
            return fail(errors, ErrorCode.INVALID_VALUE, "currency", "an ISO 4217 code such as KRW");
        }
    }

    private static Long cardId(ObjectNode body, List<FieldError> errors) {
        JsonNode v = body.get("cardId");
        if (v == null || v.isNull()) return fail(errors, ErrorCode.REQUIRED, "cardId", null);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) return fail(errors, ErrorCode.WRONG_TYPE, "cardId", "a JSON integer");
        if (v.longValue() < 1) return fail(errors, ErrorCode.INVALID_VALUE, "cardId", null);
        return v.longValue();
    }

    private static boolean totalDiffers(Goods goods, Long total) {
        try {
            return goods.totalMinor() != total;
        } catch (ArithmeticException overflow) {
            return true;
        }
    }

    private static String text(ObjectNode body, String field, List<FieldError> errors) {
        return Fields.text(body, field, errors);
    }

    private static <T> T fail(List<FieldError> errors, ErrorCode code, String field, String message) {
        errors.add(message == null ? FieldError.of(code, field) : FieldError.of(code, field, message));
        return null;
    }
}
