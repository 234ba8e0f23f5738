// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.api;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.anonpay.db.Database;
import org.anonpay.gateway.References;
import org.anonpay.gateway.idempotency.IdempotencyKeys;
import org.anonpay.gateway.mall.Mall;
import org.anonpay.gateway.mall.Malls;
import org.anonpay.gateway.payment.Payment;
import org.anonpay.gateway.payment.PaymentJson;
import org.anonpay.gateway.payment.PaymentService;
import org.anonpay.gateway.signing.RequestSignature;
import org.anonpay.gateway.signing.SignatureCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partner malls' REST API, version 1 (openapi/mall-api-v1.yaml): signature first, then the
 * mall, then the route; every POST under an Idempotency-Key. Independent of Netty: it takes a
 * {@link MallRequest} and always returns a {@link MallResponse} (a refusal is JSON naming its
 * field and changes nothing).
 */
public final class MallApi {

    private static final Logger LOG = LoggerFactory.getLogger("anonpay.gateway.api");
    static final String OPENAPI_PATH = "/v1/openapi.yaml";
    private static final String PAYMENTS = "/v1/payments";
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Database db;
    private final Malls malls;
    private final SignatureCheck signatures;
    private final IdempotencyKeys keys = new IdempotencyKeys();
    private final PaymentService payments;
    private final Clock clock;
    private final byte[] openApi;

    public MallApi(Database db, Malls malls, SignatureCheck signatures, PaymentService payments, Clock clock) {
        this.db = db;
        this.malls = malls;
        this.signatures = signatures;
        this.payments = payments;
        this.clock = clock;
        this.openApi = openApiDocument();
    }

    public MallResponse handle(MallRequest request) {
        try {
            if (request.path().equals(OPENAPI_PATH)) return openApi(request);
            if (!request.path().equals(PAYMENTS) && !request.path().startsWith(PAYMENTS + "/")) throw MallApiException.of(MallError.NOT_FOUND, null);
            Mall mall = signedBy(request);
            return route(mall, request);
        } catch (MallApiException e) {
            return error(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(MallApiException.of(MallError.INTERNAL_ERROR, null));
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", request.method(), request.path(), e);
            return error(MallApiException.of(MallError.INTERNAL_ERROR, null));
        }
    }

    private MallResponse openApi(MallRequest request) {
        if (!request.method().equals("GET")) throw notAllowed("GET");
        return new MallResponse(200, openApi, "application/yaml; charset=utf-8", Map.of("Cache-Control", "max-age=300"));
    }

    // ---------------------------------------------------------------- who is asking

    /** The signing mall, active; the signature check commits on its own (its replay record must stay). */
    private Mall signedBy(MallRequest request) {
        Instant now = clock.instant();
        SignatureCheck.Result checked = db.inJdbcTransaction(c -> signatures.check(c, request.header(RequestSignature.HEADER),
                request.method(), request.target(), request.body(), now));
        if (!checked.valid()) throw MallApiException.of(signatureError(checked.outcome()), null);
        Mall mall = db.inJdbcTransaction(c -> malls.find(c, checked.mallId())).orElseThrow(() -> MallApiException.of(MallError.SIGNATURE_UNKNOWN_KEY, null));
        if (!mall.active() || !mall.partner()) throw MallApiException.of(MallError.MALL_SUSPENDED, null);
        return mall;
    }

    private static MallError signatureError(SignatureCheck.Outcome outcome) {
        return switch (outcome) {
            case VALID -> throw new IllegalArgumentException("valid is not an error");
            case MISSING -> MallError.SIGNATURE_MISSING;
            case MALFORMED -> MallError.SIGNATURE_MALFORMED;
            case UNKNOWN_KEY -> MallError.SIGNATURE_UNKNOWN_KEY;
            case STALE_TIMESTAMP -> MallError.SIGNATURE_STALE;
            case BAD_SIGNATURE -> MallError.SIGNATURE_INVALID;
            case REPLAYED -> MallError.SIGNATURE_REPLAYED;
        };
    }

    // ---------------------------------------------------------------- routes

    private MallResponse route(Mall mall, MallRequest request) throws InterruptedException {
        String[] parts = request.path().substring(1).split("/", -1); // v1, payments, {id}, action
        if (parts.length == 2) {
            if (!request.method().equals("POST")) throw notAllowed("POST");
            return idempotent(mall, request, () -> createPayment(mall, request));
        }
        String paymentId = parts[2];
        if (!References.looksLike(Payment.ID_PREFIX, paymentId)) throw MallApiException.of(MallError.NOT_FOUND, null);
        if (parts.length == 3) {
            if (!request.method().equals("GET")) throw notAllowed("GET");
            return json(200, payments.describe(mall.mallId(), paymentId).orElseThrow(() -> MallApiException.of(MallError.NOT_FOUND, null)));
        }
        if (parts.length != 4) throw MallApiException.of(MallError.NOT_FOUND, null);
        return switch (parts[3]) {
            case "capture" -> post(request, () -> idempotent(mall, request, () -> capture(mall, paymentId, request)));
            case "cancel" -> post(request, () -> idempotent(mall, request, () -> cancel(mall, paymentId, request)));
            case "refunds" -> post(request, () -> idempotent(mall, request, () -> refund(mall, paymentId, request)));
            default -> throw MallApiException.of(MallError.NOT_FOUND, null);
        };
    }

    @FunctionalInterface
    private interface Action {
        MallResponse run() throws InterruptedException;
    }

    private static MallResponse post(MallRequest request, Action action) throws InterruptedException {
        if (!request.method().equals("POST")) throw notAllowed("POST");
        return action.run();
    }

    private MallResponse createPayment(Mall mall, MallRequest request) throws InterruptedException {
        ObjectNode body = jsonBody(request);
        PaymentRequestParser.Parsed order = PaymentRequestParser.parse(body);
        if (!mall.mallId().equals(body.path("mallId").asText())) throw MallApiException.of(MallError.MALL_MISMATCH, "mallId");
        String key = request.header("Idempotency-Key");
        PaymentService.OnCreated attach = (c, p) -> keys.attachPayment(c, mall.mallId(), key, p.paymentId());
        if (order.card() != null && !payments.acceptsCards()) throw MallApiException.of(MallError.CARD_PAYMENTS_DISABLED, "card");
        PaymentService.PayResult result = order.card() != null ? payments.payCard(mall, order.card(), attach) : payments.payWallet(mall, order.wallet(), attach);
        if (result.status() == PaymentService.PayStatus.PENDING) throw MallApiException.of(MallError.TRANSACTION_PENDING, null);
        return json(201, payments.describe(mall.mallId(), result.payment().paymentId()).orElseThrow());
    }

    private MallResponse capture(Mall mall, String paymentId, MallRequest request) throws InterruptedException {
        Long amount = optionalAmount(request);
        return opResponse(payments.capture(mall, paymentId, amount), mall, paymentId, 200);
    }

    private MallResponse cancel(Mall mall, String paymentId, MallRequest request) throws InterruptedException {
        if (request.body().length > 0) rejectUnknownFields(jsonBody(request), List.of());
        return opResponse(payments.cancel(mall, paymentId), mall, paymentId, 200);
    }

    private MallResponse refund(Mall mall, String paymentId, MallRequest request) throws InterruptedException {
        Long amount = optionalAmount(request);
        PaymentService.OpResult result = payments.refund(mall, paymentId, amount);
        if (result.status() == PaymentService.OpStatus.SUCCEEDED || result.status() == PaymentService.OpStatus.DECLINED) {
            return json(201, PaymentJson.refund(result.op()));
        }
        return opResponse(result, mall, paymentId, 201);
    }

    private MallResponse opResponse(PaymentService.OpResult result, Mall mall, String paymentId, int okStatus) {
        return switch (result.status()) {
            case SUCCEEDED -> json(okStatus, payments.describe(mall.mallId(), paymentId).orElseThrow());
            case DECLINED, WRONG_STATE -> throw MallApiException.of(MallError.PAYMENT_STATE_CONFLICT, null);
            case NOT_FOUND -> throw MallApiException.of(MallError.NOT_FOUND, null);
            case AMOUNT_TOO_LARGE -> throw MallApiException.of(MallError.AMOUNT_TOO_LARGE, "amount");
            case NOTHING_TO_REFUND -> throw MallApiException.of(MallError.NOTHING_TO_REFUND, null);
            case PENDING -> throw MallApiException.of(MallError.TRANSACTION_PENDING, null);
        };
    }

    /** {@code {"amount": n}} or no body: the amount, or null for "all". */
    private static Long optionalAmount(MallRequest request) {
        if (request.body().length == 0) return null;
        ObjectNode body = jsonBody(request);
        rejectUnknownFields(body, List.of("amount", "reason"));
        JsonNode amount = body.get("amount");
        if (amount == null || amount.isNull()) return null;
        if (!amount.isIntegralNumber() || !amount.canConvertToLong()) throw MallApiException.of(MallError.WRONG_TYPE, "amount");
        if (amount.longValue() < 1) throw MallApiException.of(MallError.INVALID_VALUE, "amount");
        JsonNode reason = body.get("reason");
        if (reason != null && !reason.isNull() && (!reason.isTextual() || reason.asText().length() > 100)) throw MallApiException.of(MallError.INVALID_VALUE, "reason");
        return amount.longValue();
    }

    private static void rejectUnknownFields(ObjectNode body, List<String> allowed) {
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) throw MallApiException.of(MallError.UNKNOWN_FIELD, name);
        }
    }

    // ---------------------------------------------------------------- idempotency

    /**
     * Runs {@code action} once per Idempotency-Key: a retry gets the stored response byte for byte;
     * a refusal before anything happened (a 4xx of the request itself) forgets the key so a
     * corrected request may use it; a payment still pending keeps it running (409) until recovery
     * has the outcome, which the next retry then receives.
     */
    private MallResponse idempotent(Mall mall, MallRequest request, Action action) throws InterruptedException {
        String key = request.header("Idempotency-Key");
        if (key == null || !IdempotencyKeys.KEY.matcher(key).matches()) throw MallApiException.of(MallError.IDEMPOTENCY_KEY_REQUIRED, null);
        byte[] hash = IdempotencyKeys.requestHash(request.method(), request.target(), bodyForHash(request));
        IdempotencyKeys.Begin begin = db.inJdbcTransaction(c -> keys.begin(c, mall.mallId(), key, hash, clock.instant()));
        switch (begin.status()) {
            case REPLAY -> {
                return new MallResponse(begin.httpStatus(), begin.responseBody(), MallResponse.JSON, Map.of("Idempotent-Replayed", "true"));
            }
            case DIFFERENT_REQUEST -> throw MallApiException.of(MallError.IDEMPOTENCY_KEY_REUSED, null);
            case IN_PROGRESS -> {
                return finishedMeanwhile(mall, key, begin.paymentId()).orElseThrow(() -> MallApiException.of(MallError.IDEMPOTENCY_IN_PROGRESS, null));
            }
            case NEW -> { }
        }
        MallResponse response;
        try {
            response = action.run();
        } catch (MallApiException e) {
            if (e.status() == 503) throw e; // something may have been sent: the key stays running
            response = error(e);
            if (e.status() == 400 || e.status() == 415) {
                db.inJdbcTransaction(c -> {
                    keys.abandon(c, mall.mallId(), key);
                    return null;
                });
                return response;
            }
        }
        MallResponse stored = response;
        db.inJdbcTransaction(c -> {
            keys.complete(c, mall.mallId(), key, stored.status(), stored.body(), clock.instant());
            return null;
        });
        return response;
    }

    /**
     * What the Idempotency-Key's request hash covers: the body as sent, except that a card
     * payment's {@code card} is reduced to its masked number. The hash is stored, and a plain
     * SHA-256 over a card number, CVV2 and PIN could be searched offline; so a retry with the same
     * key is recognised by everything else and the masked card.
     */
    private static byte[] bodyForHash(MallRequest request) {
        if (request.body().length == 0) return request.body();
        try {
            JsonNode node = MAPPER.readTree(request.body());
            if (node == null || !node.isObject() || !node.has("card")) return request.body();
            ObjectNode redacted = ((ObjectNode) node).deepCopy();
            JsonNode number = redacted.path("card").path("number");
            redacted.put("card", number.isTextual() ? org.anonpay.iso.IsoMessages.maskPan(number.asText()) : "");
            return MAPPER.writeValueAsBytes(redacted);
        } catch (IOException e) {
            return request.body(); // not JSON: refused later, nothing of a card in a stored hash that matters
        }
    }

    /** A payment whose answer was lost and that recovery has since decided: its response, stored for later retries too. */
    private Optional<MallResponse> finishedMeanwhile(Mall mall, String key, String paymentId) {
        if (paymentId == null) return Optional.empty();
        Optional<Payment> payment = payments.find(mall.mallId(), paymentId);
        if (payment.isEmpty() || payment.get().status() == Payment.Status.PENDING) return Optional.empty();
        MallResponse response = json(201, payments.describe(mall.mallId(), paymentId).orElseThrow());
        db.inJdbcTransaction(c -> {
            keys.complete(c, mall.mallId(), key, response.status(), response.body(), clock.instant());
            return null;
        });
        return Optional.of(response);
    }

    // ---------------------------------------------------------------- JSON

    private static ObjectNode jsonBody(MallRequest request) {
        String type = request.header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).replace(" ", "").matches("application/json(;charset=\"?utf-8\"?)?")) {
            throw MallApiException.of(MallError.UNSUPPORTED_MEDIA_TYPE, null);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(request.body());
        } catch (IOException e) {
            throw MallApiException.of(MallError.MALFORMED_JSON, null);
        }
        if (node == null || node.isMissingNode()) throw MallApiException.of(MallError.MALFORMED_JSON, null);
        if (!node.isObject()) throw MallApiException.of(MallError.NOT_JSON_OBJECT, null);
        return (ObjectNode) node;
    }

    private static MallResponse json(int status, Object body) {
        return new MallResponse(status, PaymentJson.bytes(body), MallResponse.JSON, Map.of());
    }

    static MallResponse error(MallApiException e) {
        List<Map<String, Object>> all = e.problems().stream().map(MallApi::problem).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", all.getFirst());
        body.put("errors", all);
        Map<String, String> headers = e.allow() != null ? Map.of("Allow", e.allow()) : Map.of();
        return new MallResponse(e.status(), PaymentJson.bytes(body), MallResponse.JSON, headers);
    }

    private static Map<String, Object> problem(MallApiException.Problem p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", p.error().name());
        m.put("field", p.field());
        m.put("message", p.error().message());
        return m;
    }

    private static MallApiException notAllowed(String allowed) {
        return MallApiException.methodNotAllowed(allowed);
    }

    private static byte[] openApiDocument() {
        try (InputStream in = MallApi.class.getResourceAsStream("/openapi/mall-api-v1.yaml")) {
            if (in == null) throw new IllegalStateException("openapi/mall-api-v1.yaml missing from the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
