// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.payment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.anonpay.gateway.References;

/**
 * Webhook events to the malls, written in the same transaction as the payment change they report
 * (an outbox: no event without its change, no change without its event), delivered afterwards by
 * {@link WebhookDelivery} with retries until the mall answers 2xx or {@link #RETRY_FOR} has passed.
 */
public final class WebhookOutbox {

    public static final String EVENT_PREFIX = "evt_";
    /** How long an event is retried: at least a day, as a mall's outage may last a night. */
    public static final Duration RETRY_FOR = Duration.ofHours(72);

    /**
     * Stores an event {@code {"id", "type", "created", "data"}} for delivery as soon as possible;
     * returns its id, the same in every delivery attempt, so the mall can drop repeats.
     */
    public String enqueue(Connection c, String mallId, String type, Map<String, Object> data, Instant now) throws SQLException {
        String id = References.random(EVENT_PREFIX);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", id);
        event.put("type", type);
        event.put("created", now.getEpochSecond());
        event.put("data", data);
        byte[] payload = PaymentJson.bytes(event);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mall_webhook_event (event_id, mall_id, type, payload, state, next_attempt_at, "
                + "give_up_at, created_at) VALUES (?, ?, ?, ?, 'PENDING', ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, mallId);
            ps.setString(3, type);
            ps.setBytes(4, payload);
            ps.setObject(5, utc(now));
            ps.setObject(6, utc(now.plus(RETRY_FOR)));
            ps.setObject(7, utc(now));
            ps.executeUpdate();
        }
        return id;
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
