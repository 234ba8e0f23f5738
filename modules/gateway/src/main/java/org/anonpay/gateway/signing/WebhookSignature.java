// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.signing;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The signature on the gateway's webhooks to a mall, header {@value #HEADER}:
 * {@code t=<unix seconds>,v1=hex(HMAC-SHA256(secret, t + "." + body))}, as stripe-java does it.
 * The mall checks it with its secret (the gateway signs with the secret's SHA-256, which HMAC
 * makes the same thing, see {@link org.anonpay.gateway.mall.MallSecret}).
 */
public final class WebhookSignature {

    public static final String HEADER = "Anonpay-Webhook-Signature";

    private WebhookSignature() {}

    public static String header(byte[] key, long timestampSeconds, byte[] body) {
        return "t=" + timestampSeconds + ",v1=" + Hmac.sha256Hex(key, (timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII), body);
    }

    /** What a mall does: true when {@code header} signs {@code body} with {@code key}, within {@code toleranceSeconds} of now. */
    public static boolean verify(byte[] key, String header, byte[] body, long nowSeconds, long toleranceSeconds) {
        Optional<long[]> t = timestamp(header);
        if (t.isEmpty() || Math.abs(nowSeconds - t.get()[0]) > toleranceSeconds) return false;
        String expected = header(key, t.get()[0], body);
        return Hmac.equalsConstantTime(expected, header);
    }

    private static Optional<long[]> timestamp(String header) {
        if (header == null || !header.matches("t=[0-9]{1,12},v1=[0-9a-f]{64}")) return Optional.empty();
        return Optional.of(new long[] {Long.parseLong(header.substring(2, header.indexOf(',')))});
    }
}
