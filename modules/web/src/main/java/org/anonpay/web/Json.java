// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** JSON in and out of the API. */
public final class Json {

    /**
     * Strict reading: a repeated key is an error (otherwise {@code {"password":"a","password":"b"}}
     * would silently mean whichever came last) and nothing may follow the value.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {}

    /** The body as a JSON object; 415 unless it is declared {@code application/json} (UTF-8), 400 unless it is an object. */
    public static ObjectNode object(ApiRequest request) {
        requireJsonContentType(request.contentType());
        JsonNode node;
        try {
            node = MAPPER.readTree(request.body());
        } catch (IOException e) {
            // the parser's message may quote the body (a password): never pass it on
            throw ApiException.of(ErrorCode.MALFORMED_JSON, null);
        }
        if (node == null || node.isMissingNode()) throw ApiException.of(ErrorCode.MALFORMED_JSON, null);
        if (!node.isObject()) throw ApiException.of(ErrorCode.NOT_JSON_OBJECT, null);
        return (ObjectNode) node;
    }

    /** {@code application/json}, optionally with {@code charset=utf-8}; JSON has no other charset (RFC 8259). */
    static void requireJsonContentType(String contentType) {
        if (contentType == null) throw ApiException.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, null);
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase("application/json")) throw ApiException.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, null);
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim().toLowerCase(Locale.ROOT).replace("\"", "");
            if (param.startsWith("charset=") && !param.equals("charset=utf-8")) throw ApiException.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, null);
        }
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not serializable: " + value.getClass().getName(), e);
        }
    }

    /** {@code {"error": first, "errors": [all]}}: clients that show one message take "error". */
    public static Map<String, Object> errorBody(List<FieldError> errors) {
        assert !errors.isEmpty() : "an error body needs an error";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", errorObject(errors.getFirst()));
        body.put("errors", errors.stream().map(Json::errorObject).toList());
        return body;
    }

    private static Map<String, Object> errorObject(FieldError e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", e.code().name());
        m.put("field", e.field());
        m.put("message", e.message());
        return m;
    }
}
