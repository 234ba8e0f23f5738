// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.demomall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.anonpay.gateway.signing.RequestSignature;

/**
 * The partner mall's client of the mall API (modules/gateway/src/main/resources/openapi/mall-api-v1.yaml):
 * every request signed ({@code Anonpay-Signature}) with the mall's secret, every POST with an
 * {@code Idempotency-Key}. An answer lost on the way (no response, or 503) is asked again with the
 * same key and body, which the API answers with the first result and without moving money twice.
 */
final class MallApiClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 3;

    /** The secret and its key id, as shown once when the mall was registered. */
    record Credentials(String keyId, String secret) {
        @Override
        public String toString() {
            return "Credentials[" + keyId + "]"; // never the secret
        }

        byte[] key() {
            return secret.getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** The API's answer: the HTTP status and the JSON body (a Payment, or an Error). */
    record Answer(int status, JsonNode body) {
        String text(String field) {
            JsonNode n = body.path(field);
            return n.isMissingNode() || n.isNull() ? null : n.asText();
        }

        String errorCode() {
            JsonNode n = body.path("error").path("code");
            return n.isMissingNode() ? null : n.asText();
        }
    }

    private final String baseUrl;
    private final HttpClient http;
    private volatile Credentials credentials;

    MallApiClient(String baseUrl, HttpClient http, Credentials credentials) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = http;
        this.credentials = credentials;
    }

    Credentials credentials() {
        return credentials;
    }

    /** POST /v1/payments. */
    Answer createPayment(JsonNode request, String idempotencyKey) throws IOException, InterruptedException {
        return post("/v1/payments", JSON.writeValueAsBytes(request), idempotencyKey);
    }

    private Answer post(String target, byte[] body, String idempotencyKey) throws IOException, InterruptedException {
        IOException lost = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            // a fresh signature per attempt: the API refuses a signature it has seen (replay)
            long t = System.currentTimeMillis() / 1000;
            Credentials c = credentials;
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + target))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", idempotencyKey)
                    .header(RequestSignature.HEADER, RequestSignature.sign(c.key(), c.keyId(), t, "POST", target, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            try {
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                JsonNode json = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
                Answer answer = new Answer(response.statusCode(), json);
                boolean retry = response.statusCode() == 503 || response.statusCode() == 409 && "IDEMPOTENCY_IN_PROGRESS".equals(answer.errorCode());
                if (!retry || attempt == ATTEMPTS) return answer;
            } catch (IOException e) {
                lost = e;
            }
            Thread.sleep(500L * attempt);
        }
        throw lost;
    }
}
