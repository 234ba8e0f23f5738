// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Currency;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.anonpay.gateway.References;
import org.anonpay.gateway.api.MallApiException.Problem;
import org.anonpay.gateway.payment.PaymentService.CardData;
import org.anonpay.gateway.payment.PaymentService.CardOrder;
import org.anonpay.gateway.payment.PaymentService.WalletOrder;
import org.anonpay.gateway.purchase.Goods;
import org.anonpay.gateway.purchase.PersonalData;
import org.anonpay.gateway.purchase.Purchases;

/**
 * {@code POST /v1/payments} of a wallet payment (MISSION.md b6) or of a card payment (c6),
 * checked field by field: every problem is reported at once, each naming its field. A wallet
 * payment names its purchase ({@code purchaseRef}); a card payment carries the object {@code card}
 * ({@code number} 16-19 digits passing Luhn, {@code expiry} YYMM, {@code cvv2} 3 digits, {@code pin}
 * 4 digits, errors named {@code card.number} etc.) and no {@code purchaseRef}. Beyond {@code card},
 * the request carries no personal data: a field that would hold some (a name, phone, e-mail,
 * address, card number) is refused by name, and a value elsewhere that looks like a card number,
 * an e-mail address or a phone number is refused too, so a mall cannot slip one through its order
 * id or customer identifier.
 */
final class PaymentRequestParser {

    static final Set<String> FIELDS = Set.of("mallId", "orderId", "customerRef", "purchaseRef", "goods", "total", "currency", "capture");
    /** Field names that would carry the customer's personal data, compared lower-case without - and _. */
    static final Set<String> PERSONAL_FIELDS = Set.of("name", "customername", "buyername", "fullname", "firstname", "lastname",
            "phone", "phonenumber", "mobile", "mobilenumber", "tel", "telephone", "email", "emailaddress", "mail",
            "address", "shippingaddress", "billingaddress", "birthdate", "dateofbirth", "nationalid", "ssn", "rrn",
            "card", "cardnumber", "pan", "cvv", "cvv2", "cvc", "expiry", "pin", "password");
    private static final Pattern TEXT = Pattern.compile("[\\x21-\\x7e]{1,64}");

    private PaymentRequestParser() {}

    /** Exactly one of the two is set. */
    record Parsed(WalletOrder wallet, CardOrder card) {}

    private static final Pattern CARD_NUMBER = Pattern.compile("[0-9]{16,19}");
    private static final Pattern EXPIRY = Pattern.compile("[0-9]{2}(0[1-9]|1[0-2])");
    private static final Pattern CVV2 = Pattern.compile("[0-9]{3}");
    private static final Pattern PIN = Pattern.compile("[0-9]{4}");

    static Parsed parse(ObjectNode body) {
        List<Problem> problems = new ArrayList<>();
        personalOrUnknownFields(body, problems);
        text(body, "mallId", problems);
        String orderId = identifier(body, "orderId", problems);
        String customerRef = identifier(body, "customerRef", problems);
        boolean cardPayment = body.has("card");
        String purchaseRef = null;
        CardData card = null;
        if (cardPayment) {
            if (body.has("purchaseRef")) problems.add(new Problem(MallError.PURCHASE_REF_WITH_CARD, "purchaseRef"));
            card = card(body.get("card"), problems);
        } else {
            purchaseRef = purchaseRef(body, problems);
        }
        Goods goods = goods(body, problems);
        Long total = positiveLong(body, "total", problems);
        String currency = currency(body, problems);
        boolean capture = capture(body, problems);
        if (problems.isEmpty() && totalDiffers(goods, total)) problems.add(new Problem(MallError.TOTAL_NOT_SUM_OF_GOODS, "total"));
        if (!problems.isEmpty()) throw new MallApiException(problems);
        return cardPayment ? new Parsed(null, new CardOrder(customerRef, orderId, goods, total, currency, capture, card))
                : new Parsed(new WalletOrder(purchaseRef, customerRef, orderId, goods, total, currency, capture), null);
    }

    /** The card object of a card payment; each problem names its field ({@code card.number} …), never its value. */
    private static CardData card(JsonNode v, List<Problem> problems) {
        if (v == null || v.isNull()) return fail(problems, MallError.REQUIRED, "card");
        if (!v.isObject()) return fail(problems, MallError.WRONG_TYPE, "card");
        int before = problems.size();
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!Set.of("number", "expiry", "cvv2", "pin").contains(name)) problems.add(new Problem(MallError.UNKNOWN_FIELD, "card." + name));
        }
        String number = cardField(v, "number", CARD_NUMBER, problems);
        if (number != null && !org.anonpay.issuer.Luhn.luhnValid(number)) {
            problems.add(new Problem(MallError.INVALID_VALUE, "card.number"));
            number = null;
        }
        String expiry = cardField(v, "expiry", EXPIRY, problems);
        String cvv2 = cardField(v, "cvv2", CVV2, problems);
        String pin = cardField(v, "pin", PIN, problems);
        return problems.size() > before ? null : new CardData(number, expiry, cvv2, pin);
    }

    private static String cardField(JsonNode card, String name, Pattern format, List<Problem> problems) {
        JsonNode v = card.get(name);
        String field = "card." + name;
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) return fail(problems, MallError.REQUIRED, field);
        if (!v.isTextual()) return fail(problems, MallError.WRONG_TYPE, field);
        if (!format.matcher(v.asText()).matches()) return fail(problems, MallError.INVALID_FORMAT, field);
        return v.asText();
    }

    private static void personalOrUnknownFields(ObjectNode body, List<Problem> problems) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (FIELDS.contains(name) || name.equals("card")) continue;
            boolean personal = PERSONAL_FIELDS.contains(name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", ""));
            problems.add(new Problem(personal ? MallError.PERSONAL_DATA_NOT_ACCEPTED : MallError.UNKNOWN_FIELD, name));
        }
    }

    /** An order id or customer identifier: printable ASCII, 1-64, and nothing that looks personal. */
    private static String identifier(ObjectNode body, String field, List<Problem> problems) {
        String value = text(body, field, problems);
        if (value == null) return null;
        if (PersonalData.looksPersonal(value)) return fail(problems, MallError.PERSONAL_DATA_NOT_ACCEPTED, field);
        return value;
    }

    private static String purchaseRef(ObjectNode body, List<Problem> problems) {
        String value = text(body, "purchaseRef", problems);
        if (value != null && !References.looksLike(Purchases.REFERENCE_PREFIX, value)) return fail(problems, MallError.INVALID_FORMAT, "purchaseRef");
        return value;
    }

    private static Goods goods(ObjectNode body, List<Problem> problems) {
        JsonNode v = body.get("goods");
        if (v == null || v.isNull()) return fail(problems, MallError.REQUIRED, "goods");
        if (!v.isArray() || v.isEmpty() || v.size() > Goods.MAX_ITEMS) return fail(problems, MallError.INVALID_VALUE, "goods");
        List<Goods.Item> items = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            Goods.Item item = item(v.get(i), "goods[" + i + "]", problems);
            if (item != null) items.add(item);
        }
        return items.size() == v.size() ? new Goods(items) : null;
    }

    private static Goods.Item item(JsonNode v, String path, List<Problem> problems) {
        if (!v.isObject()) return fail(problems, MallError.WRONG_TYPE, path);
        int before = problems.size();
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!Set.of("name", "quantity", "unitPrice").contains(name)) problems.add(new Problem(MallError.UNKNOWN_FIELD, path + "." + name));
        }
        JsonNode name = v.get("name");
        JsonNode quantity = v.get("quantity");
        JsonNode price = v.get("unitPrice");
        if (name == null || !name.isTextual() || name.asText().isBlank() || name.asText().length() > Goods.NAME_MAX) {
            problems.add(new Problem(MallError.INVALID_VALUE, path + ".name"));
        } else if (PersonalData.looksPersonal(name.asText())) {
            problems.add(new Problem(MallError.PERSONAL_DATA_NOT_ACCEPTED, path + ".name"));
        }
        if (quantity == null || !quantity.canConvertToInt() || !quantity.isIntegralNumber() || quantity.intValue() < 1 || quantity.intValue() > 9999) {
            problems.add(new Problem(MallError.INVALID_VALUE, path + ".quantity"));
        }
        if (price == null || !price.isIntegralNumber() || !price.canConvertToLong() || price.longValue() < 0) {
            problems.add(new Problem(MallError.INVALID_VALUE, path + ".unitPrice"));
        }
        if (problems.size() > before) return null;
        return new Goods.Item(name.asText(), quantity.intValue(), price.longValue());
    }

    private static Long positiveLong(ObjectNode body, String field, List<Problem> problems) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return fail(problems, MallError.REQUIRED, field);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) return fail(problems, MallError.WRONG_TYPE, field);
        if (v.longValue() < 1) return fail(problems, MallError.INVALID_VALUE, field);
        return v.longValue();
    }

    private static String currency(ObjectNode body, List<Problem> problems) {
        String value = text(body, "currency", problems);
        if (value == null) return null;
        try {
            if (!value.matches("[A-Z]{3}")) throw new IllegalArgumentException();
            return Currency.getInstance(value).getCurrencyCode();
        } catch (IllegalArgumentException e) {
            return fail(problems, MallError.INVALID_VALUE, "currency");
        }
    }

    private static boolean capture(ObjectNode body, List<Problem> problems) {
        JsonNode v = body.get("capture");
        if (v == null || v.isNull()) return true;
        if (!v.isBoolean()) {
            problems.add(new Problem(MallError.WRONG_TYPE, "capture"));
            return true;
        }
        return v.booleanValue();
    }

    private static boolean totalDiffers(Goods goods, Long total) {
        try {
            return goods.totalMinor() != total;
        } catch (ArithmeticException overflow) {
            return true;
        }
    }

    private static String text(ObjectNode body, String field, List<Problem> problems) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) return fail(problems, MallError.REQUIRED, field);
        if (!v.isTextual()) return fail(problems, MallError.WRONG_TYPE, field);
        if (!TEXT.matcher(v.asText()).matches()) return fail(problems, MallError.INVALID_FORMAT, field);
        return v.asText();
    }

    private static <T> T fail(List<Problem> problems, MallError error, String field) {
        problems.add(new Problem(error, field));
        return null;
    }
}
