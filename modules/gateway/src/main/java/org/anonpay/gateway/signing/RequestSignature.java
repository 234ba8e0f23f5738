// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.signing;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The signature a mall puts on each API request, header {@value #HEADER}:
 * <pre>
 *   Anonpay-Signature: t=1732412345,k=ak_3f0c…,v1=5d1e…
 *   v1 = hex(HMAC-SHA256(secret, t + "." + METHOD + "." + path + "." + body))
 * </pre>
 * {@code t} is Unix seconds, {@code k} the key id of the secret used, {@code path} the request
 * target as sent (with its query string), {@code body} the raw bytes (empty for GET).
 */
public record RequestSignature(long timestampSeconds, String keyId, String v1) {

    public static final String HEADER = "Anonpay-Signature";
    private static final int MAX_HEADER_CHARS = 300;

    /** The header parsed, or empty when it is absent or not of the form above. */
    public static Optional<RequestSignature> parse(String header) {
        if (header == null || header.isBlank() || header.length() > MAX_HEADER_CHARS) return Optional.empty();
        Map<String, String> parts = new HashMap<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0 || parts.putIfAbsent(part.substring(0, eq).trim(), part.substring(eq + 1).trim()) != null) return Optional.empty();
        }
        String t = parts.get("t");
        String k = parts.get("k");
        String v1 = parts.get("v1");
        if (t == null || !t.matches("[0-9]{1,12}") || k == null || !k.matches("ak_[0-9a-f]{24}") || v1 == null || !v1.matches("[0-9a-f]{64}")) {
            return Optional.empty();
        }
        return Optional.of(new RequestSignature(Long.parseLong(t), k, v1));
    }

    /** The header value for a request signed with {@code verificationKey} (or the secret itself: HMAC gives the same). */
    public static String sign(byte[] key, String keyId, long timestampSeconds, String method, String path, byte[] body) {
        return "t=" + timestampSeconds + ",k=" + keyId + ",v1=" + compute(key, timestampSeconds, method, path, body);
    }

    static String compute(byte[] key, long timestampSeconds, String method, String path, byte[] body) {
        byte[] head = (timestampSeconds + "." + method + "." + path + ".").getBytes(StandardCharsets.UTF_8);
        return Hmac.sha256Hex(key, head, body);
    }

    /** Whether {@code v1} was made with {@code key} over this request. Constant time. */
    public boolean matches(byte[] key, String method, String path, byte[] body) {
        return Hmac.equalsConstantTime(compute(key, timestampSeconds, method, path, body), v1);
    }
}
