// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.jpos.iso.ISOMsg;

/**
 * Field 48 (additional data, private, ans..999): a sequence of subelements, each
 * tag (2 digits) + length (2 digits) + value. Tag {@value #TAG_CVV2} carries the CVV2 as in
 * Mastercard DE 48 subelement 92, e.g. {@code 9203123}.
 *
 * <p>{@link #toString()} masks the CVV2; only {@link #format()} and {@link #get(String)} reveal it.
 */
public final class AdditionalData {
    public static final String TAG_CVV2 = "92";
    /** A wallet payment (MISSION.md Flow B): the opaque purchase reference the wallet gave the mall. */
    public static final String TAG_PURCHASE_REF = "93";
    /** A wallet payment: the customer's identifier at the mall. */
    public static final String TAG_CUSTOMER_REF = "94";
    /** A wallet payment: the mall's order id. */
    public static final String TAG_ORDER_ID = "95";
    /** A wallet payment: SHA-256 (hex) of the mall's list of goods in canonical form. */
    public static final String TAG_GOODS_DIGEST = "96";
    private static final int MAX_VALUE_LENGTH = 99;
    private static final int MAX_FIELD_LENGTH = 999;

    private final Map<String, String> elements; // insertion order is the wire order

    private AdditionalData(Map<String, String> elements) {
        this.elements = Collections.unmodifiableMap(new LinkedHashMap<>(elements));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The CVV2 in field 48 of {@code m}; empty when field 48 is absent, malformed or has no tag 92. */
    public static Optional<String> cvv2(ISOMsg m) {
        return parse(m.getString(Field.ADDITIONAL_DATA)).flatMap(d -> d.get(TAG_CVV2));
    }

    /** Empty when the text is not a clean tag-length-value sequence or repeats a tag. */
    public static Optional<AdditionalData> parse(String field48) {
        if (field48 == null) {
            return Optional.empty();
        }
        Map<String, String> elements = new LinkedHashMap<>();
        int pos = 0;
        while (pos < field48.length()) {
            if (pos + 4 > field48.length() || !Digits.only(field48.substring(pos, pos + 4))) {
                return Optional.empty();
            }
            String tag = field48.substring(pos, pos + 2);
            int valueLength = Integer.parseInt(field48.substring(pos + 2, pos + 4));
            int valueEnd = pos + 4 + valueLength;
            if (valueEnd > field48.length() || elements.containsKey(tag)) {
                return Optional.empty();
            }
            elements.put(tag, field48.substring(pos + 4, valueEnd));
            pos = valueEnd;
        }
        return Optional.of(new AdditionalData(elements));
    }

    public Optional<String> get(String tag) {
        return Optional.ofNullable(elements.get(tag));
    }

    public Map<String, String> elements() {
        return elements;
    }

    /** The wire form of field 48. Contains the clear CVV2 when present. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        elements.forEach((tag, value) -> sb.append(tag).append(String.format("%02d", value.length())).append(value));
        return sb.toString();
    }

    /** Human form with the CVV2 hidden: {@code 92=*** 10=ABC}. */
    public String masked() {
        StringBuilder sb = new StringBuilder();
        elements.forEach((tag, value) -> {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(tag).append('=').append(TAG_CVV2.equals(tag) ? "***" : value);
        });
        return sb.toString();
    }

    @Override
    public String toString() {
        return masked();
    }


    public static final class Builder {
        private final Map<String, String> elements = new LinkedHashMap<>();

        public Builder put(String tag, String value) {
            if (tag == null || tag.length() != 2 || !Digits.only(tag)) {
                throw new IllegalArgumentException("field 48 tag must be 2 digits");
            }
            if (value == null || value.length() > MAX_VALUE_LENGTH) {
                throw new IllegalArgumentException("field 48 value must be 0 to " + MAX_VALUE_LENGTH + " characters");
            }
            elements.put(tag, value);
            return this;
        }

        /** The CVV2 (3 or 4 digits) as tag 92. */
        public Builder cvv2(String cvv2) {
            if (cvv2 == null || cvv2.length() < 3 || cvv2.length() > 4 || !Digits.only(cvv2)) {
                throw new IllegalArgumentException("CVV2 must be 3 or 4 digits");
            }
            return put(TAG_CVV2, cvv2);
        }

        public AdditionalData build() {
            AdditionalData data = new AdditionalData(elements);
            if (data.format().length() > MAX_FIELD_LENGTH) {
                throw new IllegalArgumentException("field 48 exceeds " + MAX_FIELD_LENGTH + " characters");
            }
            return data;
        }
    }
}
