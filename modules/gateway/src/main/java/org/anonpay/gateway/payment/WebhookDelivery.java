// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.payment;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.anonpay.db.Database;
import org.anonpay.gateway.mall.Mall;
import org.anonpay.gateway.mall.Malls;
import org.anonpay.gateway.mall.WebhookUrls;
import org.anonpay.gateway.signing.WebhookSignature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the webhook outbox ({@link WebhookOutbox}, table {@code mall_webhook_event}) to the
 * malls.
 *
 * <p>Each round claims up to a batch of due PENDING events ({@code next_attempt_at <= now}) with
 * {@code SELECT … FOR UPDATE SKIP LOCKED} and, in the same short transaction, counts the attempt
 * and moves {@code next_attempt_at} past it (a lease of {@link Settings#lease()}): another host
 * skips the locked rows while the claim runs and finds them not yet due afterwards, so two hosts
 * never send the same attempt at once; a host that dies mid-attempt leaves the event due again
 * when the lease ends. The POSTs run after that commit, in parallel (one virtual thread per event:
 * a slow mall does not hold up the others), and each outcome is written with a guard on the
 * attempt number, so a host whose lease ran out cannot overwrite a newer attempt.
 *
 * <p>A POST carries the event's JSON as stored ({@code {"id","type","created","data"}}),
 * {@code Content-Type: application/json}, {@value #EVENT_ID_HEADER} and
 * {@value WebhookSignature#HEADER} {@code t=<unix s>,v1=hex(HMAC-SHA256(key, t + "." + body))},
 * the key being the verification key of the mall's newest live secret (which equals signing with
 * the secret itself, see {@link org.anonpay.gateway.mall.MallSecret}). 2xx is delivered; anything
 * else, a timeout (connect {@link Settings#connectTimeout()}, answer {@link Settings#responseTimeout()}),
 * a redirect (never followed) or a URL refused by {@link WebhookUrls#check} on its resolved
 * addresses (checked before every attempt: DNS may change) is a failed attempt, retried after
 * 30 s doubling up to 1 h, with ±25 % jitter, until {@code give_up_at} (72 h after the event):
 * then FAILED. A mall without a webhook URL (or no longer known) when its event falls due: the
 * event is SKIPPED, never sent; the mall reads its payments with GET.
 *
 * <p>One log line per attempt: event id, mall, type, attempt number, HTTP status or the failure.
 * Never the body, the URL's path or query, or a key.
 */
public final class WebhookDelivery {

    private static final Logger LOG = LoggerFactory.getLogger("anonpay.gateway.webhooks");
    public static final String EVENT_ID_HEADER = "Anonpay-Event-Id";
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration MAX_RETRY = Duration.ofHours(1);
    private static final int ERROR_CHARS = 80;

    /**
     * @param allowInternal   DEVELOPMENT only: webhook URLs on loopback or private addresses may be called
     * @param batchSize       events claimed per round
     * @param lease           how long a claimed attempt keeps other hosts off the event (more than connect + answer time)
     */
    public record Settings(boolean allowInternal, Duration connectTimeout, Duration responseTimeout, int batchSize, Duration lease) {
        public static Settings defaults(boolean allowInternal) {
            return new Settings(allowInternal, Duration.ofSeconds(5), Duration.ofSeconds(10), 50, Duration.ofMinutes(2));
        }
    }

    /** One claimed attempt. */
    record Claimed(String eventId, String mallId, String type, byte[] payload, int attempt, Instant giveUpAt) {}

    /** What an attempt came to: an HTTP status, or a failure before one (status 0). */
    record Outcome(int status, String failure) {
        boolean delivered() {
            return status >= 200 && status < 300;
        }

        String describe() {
            return status > 0 ? "HTTP " + status : failure;
        }
    }

    private final Database db;
    private final Malls malls;
    private final Settings settings;
    private final Clock clock;
    private final HttpClient http;

    public WebhookDelivery(Database db, Malls malls, Settings settings, Clock clock) {
        this.db = db;
        this.malls = malls;
        this.settings = settings;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** One round: claims the due events (a batch), sends them, records each outcome. Returns how many were attempted or skipped. */
    public int deliverDue() throws InterruptedException {
        Instant now = clock.instant();
        List<Claimed> claimed = db.inJdbcTransaction(c -> claim(c, now));
        if (claimed.isEmpty()) return 0;
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (Claimed event : claimed) running.add(senders.submit(() -> {
                attempt(event);
                return null;
            }));
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    LOG.warn("webhook attempt failed unexpectedly", e.getCause());
                }
            }
        }
        return claimed.size();
    }

    private List<Claimed> claim(Connection c, Instant now) throws SQLException {
        List<Claimed> due = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT event_id, mall_id, type, payload, attempts, give_up_at FROM mall_webhook_event "
                + "WHERE state = 'PENDING' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setObject(1, utc(now));
            ps.setInt(2, settings.batchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.add(new Claimed(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getInt(5) + 1,
                            rs.getObject(6, LocalDateTime.class).toInstant(ZoneOffset.UTC)));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE mall_webhook_event SET attempts = ?, next_attempt_at = ? WHERE event_id = ?")) {
            for (Claimed e : due) {
                ps.setInt(1, e.attempt());
                ps.setObject(2, utc(now.plus(settings.lease())));
                ps.setString(3, e.eventId());
                ps.addBatch();
            }
            if (!due.isEmpty()) ps.executeBatch();
        }
        return due;
    }

    private void attempt(Claimed event) throws InterruptedException {
        Optional<Mall> mall = db.inJdbcTransaction(c -> malls.find(c, event.mallId()));
        URI url = mall.map(Mall::webhookUrl).orElse(null);
        if (url == null) {
            record(event, "SKIPPED", 0, mall.isEmpty() ? "unknown mall" : "no webhook URL", null);
            LOG.info("webhook {} mall {} type {} attempt {}: skipped ({})", event.eventId(), event.mallId(), event.type(), event.attempt(),
                    mall.isEmpty() ? "unknown mall" : "the mall has no webhook URL");
            return;
        }
        Outcome outcome = send(event, url);
        Instant now = clock.instant();
        if (outcome.delivered()) {
            record(event, "DELIVERED", outcome.status(), null, now);
            LOG.info("webhook {} mall {} type {} attempt {}: {} delivered", event.eventId(), event.mallId(), event.type(), event.attempt(),
                    outcome.describe());
            return;
        }
        if (!now.isBefore(event.giveUpAt())) {
            record(event, "FAILED", outcome.status(), outcome.describe(), null);
            LOG.warn("webhook {} mall {} type {} attempt {}: {}; given up after {} attempts", event.eventId(), event.mallId(), event.type(),
                    event.attempt(), outcome.describe(), event.attempt());
            return;
        }
        Instant next = now.plus(backoff(event.attempt()));
        if (next.isAfter(event.giveUpAt())) next = event.giveUpAt();
        retryAt(event, outcome, next);
        LOG.warn("webhook {} mall {} type {} attempt {}: {}; retry in {} s", event.eventId(), event.mallId(), event.type(), event.attempt(),
                outcome.describe(), Duration.between(now, next).toSeconds());
    }

    /** The URL checked on its resolved addresses, then one POST; never throws for the mall's failures. */
    private Outcome send(Claimed event, URI url) throws InterruptedException {
        WebhookUrls.Check check = WebhookUrls.check(url, settings.allowInternal());
        if (check != WebhookUrls.Check.ALLOWED) return new Outcome(0, "URL refused: " + check + " (host " + url.getHost() + ")");
        Optional<byte[]> key = db.inJdbcTransaction(c -> malls.liveKeys(c, event.mallId())).stream().reduce((a, b) -> b).map(Malls.LiveKey::verificationKey);
        if (key.isEmpty()) return new Outcome(0, "the mall has no live secret to sign with");
        long t = clock.instant().getEpochSecond();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(url)
                    .timeout(settings.responseTimeout())
                    .header("Content-Type", "application/json")
                    .header(EVENT_ID_HEADER, event.eventId())
                    .header(WebhookSignature.HEADER, WebhookSignature.header(key.get(), t, event.payload()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(event.payload()))
                    .build();
        } catch (IllegalArgumentException e) {
            return new Outcome(0, "URL not usable");
        }
        var pending = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            // the request timeout covers the answer's headers; this also bounds a body trickled slowly
            return new Outcome(pending.get(settings.connectTimeout().plus(settings.responseTimeout()).toMillis(), TimeUnit.MILLISECONDS).statusCode(), null);
        } catch (TimeoutException e) {
            pending.cancel(true);
            return new Outcome(0, "timeout");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) return new Outcome(0, cause instanceof java.net.http.HttpConnectTimeoutException ? "connect timeout" : "timeout");
            return new Outcome(0, "failed: " + cause.getClass().getSimpleName());
        }
    }

    /** 30 s, 60 s, 120 s … at most 1 h, each ±25 %. */
    static Duration backoff(int attempt) {
        long base = FIRST_RETRY.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
        long capped = Math.min(base, MAX_RETRY.toMillis());
        double jitter = 0.75 + ThreadLocalRandom.current().nextDouble() * 0.5;
        return Duration.ofMillis(Math.min((long) (capped * jitter), MAX_RETRY.toMillis()));
    }

    private void record(Claimed event, String state, int status, String error, Instant deliveredAt) {
        db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mall_webhook_event SET state = ?, last_status = ?, last_error = ?, delivered_at = ? "
                    + "WHERE event_id = ? AND attempts = ? AND state = 'PENDING'")) {
                ps.setString(1, state);
                ps.setObject(2, status > 0 ? status : null);
                ps.setString(3, clip(error));
                ps.setObject(4, deliveredAt == null ? null : utc(deliveredAt));
                ps.setString(5, event.eventId());
                ps.setInt(6, event.attempt());
                ps.executeUpdate();
            }
            return null;
        });
    }

    private void retryAt(Claimed event, Outcome outcome, Instant next) {
        db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mall_webhook_event SET last_status = ?, last_error = ?, next_attempt_at = ? "
                    + "WHERE event_id = ? AND attempts = ? AND state = 'PENDING'")) {
                ps.setObject(1, outcome.status() > 0 ? outcome.status() : null);
                ps.setString(2, clip(outcome.describe()));
                ps.setObject(3, utc(next));
                ps.setString(4, event.eventId());
                ps.setInt(5, event.attempt());
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static String clip(String s) {
        return s == null || s.length() <= ERROR_CHARS ? s : s.substring(0, ERROR_CHARS);
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
