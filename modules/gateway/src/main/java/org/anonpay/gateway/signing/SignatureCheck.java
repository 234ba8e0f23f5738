// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.signing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;
import org.anonpay.gateway.mall.Malls;

/**
 * Checks a mall request's {@link RequestSignature}: a live key, a timestamp within the tolerance
 * of now (either side: clocks drift), the HMAC, and that this exact signature was not accepted
 * before (a replay). Each refusal is its own {@link Outcome}, so the mall's developers see which
 * part is wrong; none of them tells an attacker more than "unsigned".
 */
public final class SignatureCheck {

    public enum Outcome { VALID, MISSING, MALFORMED, UNKNOWN_KEY, STALE_TIMESTAMP, BAD_SIGNATURE, REPLAYED }

    /** @param mallId the signing mall, null unless VALID */
    public record Result(Outcome outcome, String mallId) {
        public boolean valid() {
            return outcome == Outcome.VALID;
        }
    }

    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
    /** Expired replay records removed per check: bounded work, and the table stays small. */
    private static final int PURGE_BATCH = 100;

    private final Malls malls;
    private final Duration tolerance;

    public SignatureCheck(Malls malls, Duration tolerance) {
        assert !tolerance.isNegative() && !tolerance.isZero();
        this.malls = malls;
        this.tolerance = tolerance;
    }

    /**
     * Run it in its own transaction and commit, whatever becomes of the request: the replay
     * record must stay even if the request is then refused.
     */
    public Result check(Connection c, String header, String method, String path, byte[] body, Instant now) throws SQLException {
        if (header == null || header.isBlank()) return refused(Outcome.MISSING);
        Optional<RequestSignature> parsed = RequestSignature.parse(header);
        if (parsed.isEmpty()) return refused(Outcome.MALFORMED);
        RequestSignature signature = parsed.get();
        Optional<Malls.LiveKey> key = malls.liveKey(c, signature.keyId());
        if (key.isEmpty()) return refused(Outcome.UNKNOWN_KEY);
        Instant signedAt = Instant.ofEpochSecond(signature.timestampSeconds());
        if (Duration.between(signedAt, now).abs().compareTo(tolerance) > 0) return refused(Outcome.STALE_TIMESTAMP);
        if (!signature.matches(key.get().verificationKey(), method, path, body)) return refused(Outcome.BAD_SIGNATURE);
        purgeExpired(c, now);
        if (!remember(c, key.get().mallId(), signature, signedAt.plus(tolerance))) return refused(Outcome.REPLAYED);
        return new Result(Outcome.VALID, key.get().mallId());
    }

    /** False when the signature was seen before (the primary key says so, also across hosts). */
    private static boolean remember(Connection c, String mallId, RequestSignature signature, Instant expiresAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mall_request_seen (mall_id, signature_hash, expires_at) VALUES (?, ?, ?)")) {
            ps.setString(1, mallId);
            ps.setBytes(2, sha256(signature.v1()));
            ps.setObject(3, LocalDateTime.ofInstant(expiresAt, ZoneOffset.UTC));
            ps.executeUpdate();
            return true;
        } catch (SQLIntegrityConstraintViolationException e) {
            return false;
        }
    }

    private static void purgeExpired(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM mall_request_seen WHERE expires_at < ? LIMIT " + PURGE_BATCH)) {
            ps.setObject(1, LocalDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    private static byte[] sha256(String hex) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(HexFormat.of().parseHex(hex));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Result refused(Outcome outcome) {
        return new Result(outcome, null);
    }
}
