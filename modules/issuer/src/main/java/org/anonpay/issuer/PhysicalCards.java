// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.anonpay.crypto.VersionedAesGcm;

/**
 * Requests for a plastic card with the number of an issued card (patent step a6): the wallet
 * records the request in the card's issuing transaction, the issuer's staff work the queue
 * ({@code anonpay-ops physical-cards}) and mark each request PRODUCED, then SHIPPED with the
 * carrier's tracking reference. Table {@code physical_card_request} (V22).
 *
 * <p>The delivery address is stored only encrypted (AES-256-GCM, keys {@code address.key.<n>} in
 * {@value CardVault#KEYS_FILE}, env {@value #ENV_ADDRESS_KEY} wins), with the card id as
 * associated data. Every method works on the caller's connection and transaction. Times are UTC.
 */
public final class PhysicalCards {

    public static final String ENV_ADDRESS_KEY = "ANONPAY_ADDRESS_KEY";
    public static final String KEY_PREFIX = "address.key.";
    public static final int ADDRESS_MAX_CHARS = 200;
    public static final int TRACKING_MAX_CHARS = 64;

    public enum Delivery { HOME, OFFICE }

    public enum State { REQUESTED, PRODUCED, SHIPPED }

    /** Outcome of {@link #request}. */
    public enum RequestResult { REQUESTED, ALREADY_REQUESTED, CARD_NOT_FOUND }

    /** Outcome of {@link #markProduced} and {@link #markShipped}. */
    public enum Transition { DONE, NOT_FOUND, WRONG_STATE, INVALID_TRACKING_REF }

    /** What the cardholder sees: no address. */
    public record Status(long requestId, long cardId, Delivery delivery, State state, Instant requestedAt,
                         Instant producedAt, Instant shippedAt, String trackingRef) {}

    /** A row of the staff's queue, with the card's masked number and the clear address to print on the parcel. */
    public record QueueEntry(long requestId, long cardId, String maskedPan, String cardName, Delivery delivery,
                             String address, State state, Instant requestedAt) {
        @Override
        public String toString() {
            // the address is personal data: not in logs
            return "QueueEntry[" + requestId + ", card " + cardId + ", " + state + "]";
        }
    }

    private final VersionedAesGcm addressBox;
    private final Clock clock;

    public PhysicalCards(VersionedAesGcm addressBox, Clock clock) {
        this.addressBox = Objects.requireNonNull(addressBox, "addressBox");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Keys from {@code keysDir/dev-vault.properties} with the process environment on top. */
    public static PhysicalCards load(Path keysDir) {
        return load(keysDir, System.getenv(), Clock.systemUTC());
    }

    public static PhysicalCards load(Path keysDir, Map<String, String> env, Clock clock) {
        Properties p = org.anonpay.crypto.KeyFiles.read(keysDir.resolve(CardVault.KEYS_FILE));
        VersionedAesGcm box = VersionedAesGcm.fromProperties("delivery address", p, KEY_PREFIX, env.get(ENV_ADDRESS_KEY), ENV_ADDRESS_KEY);
        return new PhysicalCards(box, clock);
    }

    /**
     * Records the request for card {@code cardId} (the caller validated the address: 1–200
     * characters). One request per card: a second one is ALREADY_REQUESTED and changes nothing.
     */
    public RequestResult request(Connection c, long cardId, Delivery delivery, String address) throws SQLException {
        Objects.requireNonNull(delivery, "delivery");
        if (address == null || address.isBlank() || address.codePointCount(0, address.length()) > ADDRESS_MAX_CHARS) {
            throw new IllegalArgumentException("the delivery address must have 1-" + ADDRESS_MAX_CHARS + " characters");
        }
        if (!cardExists(c, cardId)) return RequestResult.CARD_NOT_FOUND;
        if (status(c, cardId).isPresent()) return RequestResult.ALREADY_REQUESTED;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO physical_card_request"
                + " (card_id, delivery, address_encrypted, state, requested_at) VALUES (?, ?, ?, 'REQUESTED', ?)")) {
            ps.setLong(1, cardId);
            ps.setString(2, delivery.name());
            ps.setBytes(3, addressBox.seal(address.strip().getBytes(StandardCharsets.UTF_8), context(cardId)));
            ps.setObject(4, utc(clock.instant()));
            ps.executeUpdate();
        }
        return RequestResult.REQUESTED;
    }

    /** The request of the card, if one was made. */
    public Optional<Status> status(Connection c, long cardId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, card_id, delivery, state, requested_at, produced_at, shipped_at, tracking_ref"
                + " FROM physical_card_request WHERE card_id = ?")) {
            ps.setLong(1, cardId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Status(rs.getLong(1), rs.getLong(2), Delivery.valueOf(rs.getString(3)), State.valueOf(rs.getString(4)),
                        instant(rs, 5), instant(rs, 6), instant(rs, 7), rs.getString(8)));
            }
        }
    }

    /** Requests not yet shipped (REQUESTED and PRODUCED), oldest first; with {@code all}, shipped ones too. */
    public List<QueueEntry> queue(Connection c, boolean all, int limit) throws SQLException {
        String sql = "SELECT r.id, r.card_id, c.pan_first6, c.pan_last4, c.card_name, r.delivery, r.address_encrypted, r.state, r.requested_at"
                + " FROM physical_card_request r JOIN card c ON c.id = r.card_id"
                + (all ? "" : " WHERE r.state <> 'SHIPPED'") + " ORDER BY r.requested_at, r.id LIMIT ?";
        List<QueueEntry> entries = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) entries.add(queueEntry(rs));
            }
        }
        return entries;
    }

    private QueueEntry queueEntry(ResultSet rs) throws SQLException {
        long cardId = rs.getLong(2);
        String address = new String(addressBox.open(rs.getBytes(7), context(cardId)), StandardCharsets.UTF_8);
        return new QueueEntry(rs.getLong(1), cardId, rs.getString(3) + "******" + rs.getString(4), rs.getString(5),
                Delivery.valueOf(rs.getString(6)), address, State.valueOf(rs.getString(8)), instant(rs, 9));
    }

    /** REQUESTED → PRODUCED: the plastic card is made. */
    public Transition markProduced(Connection c, long requestId) throws SQLException {
        return move(c, requestId, State.REQUESTED, State.PRODUCED, "produced_at = ?", null);
    }

    /** PRODUCED → SHIPPED with the carrier's tracking reference (1–64 printable characters). */
    public Transition markShipped(Connection c, long requestId, String trackingRef) throws SQLException {
        if (trackingRef == null || trackingRef.isBlank() || trackingRef.strip().length() > TRACKING_MAX_CHARS
                || trackingRef.codePoints().anyMatch(Character::isISOControl)) {
            return Transition.INVALID_TRACKING_REF;
        }
        return move(c, requestId, State.PRODUCED, State.SHIPPED, "shipped_at = ?, tracking_ref = ?", trackingRef.strip());
    }

    /** A compare-and-set on the state, so two operators cannot both move the same request. */
    private Transition move(Connection c, long requestId, State from, State to, String set, String trackingRef) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE physical_card_request SET state = ?, " + set
                + ", version = version + 1 WHERE id = ? AND state = ?")) {
            int i = 1;
            ps.setString(i++, to.name());
            ps.setObject(i++, utc(clock.instant()));
            if (trackingRef != null) ps.setString(i++, trackingRef);
            ps.setLong(i++, requestId);
            ps.setString(i, from.name());
            if (ps.executeUpdate() == 1) return Transition.DONE;
        }
        return requestExists(c, requestId) ? Transition.WRONG_STATE : Transition.NOT_FOUND;
    }

    private static boolean requestExists(Connection c, long requestId) throws SQLException {
        return exists(c, "SELECT 1 FROM physical_card_request WHERE id = ?", requestId);
    }

    private static boolean cardExists(Connection c, long cardId) throws SQLException {
        return exists(c, "SELECT 1 FROM card WHERE id = ?", cardId);
    }

    private static boolean exists(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Associated data of the address: the card id, so a ciphertext only opens in its own row. */
    private static byte[] context(long cardId) {
        return ByteBuffer.allocate(Long.BYTES).putLong(cardId).array();
    }

    private static LocalDateTime utc(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        LocalDateTime t = rs.getObject(column, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }
}
