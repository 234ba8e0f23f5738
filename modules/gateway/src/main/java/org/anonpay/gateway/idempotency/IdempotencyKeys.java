// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.idempotency;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * A mall's {@code Idempotency-Key} header (table {@code mall_idempotency_key}): the first request
 * with a key runs; a retry with the same key and the same request gets the first response again,
 * byte for byte; the same key with another request is refused; a retry while the first still runs
 * is refused too (the mall retries later).
 *
 * <p>{@link #begin} must run in its own transaction, committed before the request's work starts:
 * the key's row is what a concurrent retry collides with.
 */
public final class IdempotencyKeys {

    public static final Pattern KEY = Pattern.compile("[A-Za-z0-9_\\-:.]{8,64}");

    public enum Status {
        /** First use: run the request, then {@link #complete} (or {@link #abandon}). */
        NEW,
        /** Done before: answer {@link Begin#httpStatus()} and {@link Begin#responseBody()} again. */
        REPLAY,
        /** The key was used for another request (HTTP 422). */
        DIFFERENT_REQUEST,
        /** The first request with the key is still running (HTTP 409). */
        IN_PROGRESS
    }

    /**
     * @param responseBody the stored response, only for REPLAY
     * @param paymentId    for IN_PROGRESS: the payment the first request created, if it got that far
     */
    public record Begin(Status status, int httpStatus, byte[] responseBody, String paymentId) {
        static Begin of(Status status) {
            return new Begin(status, 0, null, null);
        }
    }

    /** A key IN_PROGRESS this long without a payment was left by a crash before anything was sent: it may be used again. */
    public static final java.time.Duration ABANDONED_AFTER = java.time.Duration.ofMinutes(5);

    /** SHA-256 over the parts that make a request this request (method, path, body). */
    public static byte[] requestHash(String method, String path, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((method + " " + path + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update(body);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Begin begin(Connection c, String mallId, String key, byte[] requestHash, Instant now) throws SQLException {
        assert KEY.matcher(key).matches() : "callers check the key's format first";
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mall_idempotency_key (mall_id, idem_key, request_hash, state, created_at) "
                + "VALUES (?, ?, ?, 'IN_PROGRESS', ?)")) {
            ps.setString(1, mallId);
            ps.setString(2, key);
            ps.setBytes(3, requestHash);
            ps.setObject(4, utc(now));
            ps.executeUpdate();
            return Begin.of(Status.NEW);
        } catch (SQLIntegrityConstraintViolationException taken) {
            return earlier(c, mallId, key, requestHash, now);
        }
    }

    private static Begin earlier(Connection c, String mallId, String key, byte[] requestHash, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT request_hash, state, status, response_body, payment_id, created_at "
                + "FROM mall_idempotency_key WHERE mall_id = ? AND idem_key = ?")) {
            // a plain read: the failed insert holds a shared lock on the row, and asking for an
            // exclusive one here would deadlock with a concurrent retry doing the same
            ps.setString(1, mallId);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Begin.of(Status.IN_PROGRESS); // abandoned between our insert and select: retry later
                if (!MessageDigest.isEqual(rs.getBytes(1), requestHash)) return Begin.of(Status.DIFFERENT_REQUEST);
                if ("COMPLETED".equals(rs.getString(2))) return new Begin(Status.REPLAY, rs.getInt(3), rs.getBytes(4), null);
                String paymentId = rs.getString(5);
                Instant began = rs.getObject(6, LocalDateTime.class).toInstant(ZoneOffset.UTC);
                if (paymentId == null && began.plus(ABANDONED_AFTER).isBefore(now)) return takeOver(c, mallId, key, now);
                return new Begin(Status.IN_PROGRESS, 0, null, paymentId);
            }
        }
    }

    /**
     * The first request died before it sent anything (no payment): this one runs instead, if it
     * is the one that renews the row (of two retries at once, one does; a lock conflict counts as
     * the other's win).
     */
    private static Begin takeOver(Connection c, String mallId, String key, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE mall_idempotency_key SET created_at = ? WHERE mall_id = ? AND idem_key = ? "
                + "AND state = 'IN_PROGRESS' AND payment_id IS NULL AND created_at < ?")) {
            ps.setObject(1, utc(now));
            ps.setString(2, mallId);
            ps.setString(3, key);
            ps.setObject(4, utc(now.minus(ABANDONED_AFTER)));
            return ps.executeUpdate() == 1 ? Begin.of(Status.NEW) : Begin.of(Status.IN_PROGRESS);
        } catch (java.sql.SQLTransactionRollbackException conflict) {
            return Begin.of(Status.IN_PROGRESS);
        }
    }

    /** Notes the payment a running request created (before its message is sent). */
    public void attachPayment(Connection c, String mallId, String key, String paymentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE mall_idempotency_key SET payment_id = ? WHERE mall_id = ? AND idem_key = ? AND state = 'IN_PROGRESS'")) {
            ps.setString(1, paymentId);
            ps.setString(2, mallId);
            ps.setString(3, key);
            ps.executeUpdate();
        }
    }

    /** Stores the response every retry will get. */
    public void complete(Connection c, String mallId, String key, int httpStatus, byte[] responseBody, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE mall_idempotency_key SET state = 'COMPLETED', status = ?, response_body = ?, "
                + "completed_at = ? WHERE mall_id = ? AND idem_key = ? AND state = 'IN_PROGRESS'")) {
            ps.setInt(1, httpStatus);
            ps.setBytes(2, responseBody);
            ps.setObject(3, utc(now));
            ps.setString(4, mallId);
            ps.setString(5, key);
            if (ps.executeUpdate() != 1) throw new IllegalStateException("idempotency key completed twice or never begun");
        }
    }

    /**
     * Forgets a key whose request was refused before anything happened (a validation error): the
     * mall may then send a corrected request under the same key.
     */
    public void abandon(Connection c, String mallId, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM mall_idempotency_key WHERE mall_id = ? AND idem_key = ? AND state = 'IN_PROGRESS'")) {
            ps.setString(1, mallId);
            ps.setString(2, key);
            ps.executeUpdate();
        }
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
