// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.mall;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.anonpay.crypto.KeyFiles;
import org.anonpay.crypto.VersionedAesGcm;

/**
 * The mall registry (table {@code mall}) and the malls' API secrets ({@code mall_secret}), on the
 * caller's connection and transaction. Ops staff drive it through {@code anonpay-ops mall …}: a
 * database rather than a file in deploy/, because a mall's secret must be shown once and kept only
 * as a sealed hash, which a file ops staff edit by hand could not do.
 */
public final class Malls {

    public static final String ENV_KEY = "ANONPAY_GATEWAY_KEY";
    private static final String KEY_PREFIX = "mall-secret.key.";
    /** One secret to sign with, and a second while the mall moves over to it. */
    public static final int MAX_LIVE_SECRETS = 2;

    public enum AddStatus { ADDED, MALL_ID_TAKEN }

    /** @param secret the new mall's first secret (show it once), null unless ADDED */
    public record AddResult(AddStatus status, MallSecret secret) {}

    public enum ChangeStatus { CHANGED, UNKNOWN_MALL }

    public enum RotateStatus { ROTATED, UNKNOWN_MALL, TWO_LIVE_SECRETS }

    public record RotateResult(RotateStatus status, MallSecret secret) {}

    public enum RetireStatus { RETIRED, UNKNOWN_KEY, LAST_LIVE_SECRET }

    /** A live secret's verification key, and the mall it belongs to. */
    public record LiveKey(String mallId, String keyId, byte[] verificationKey) {}

    private final VersionedAesGcm sealer;

    public Malls(VersionedAesGcm sealer) {
        this.sealer = sealer;
    }

    /** The sealing key from {@code keysDir/dev-gateway.properties}, or {@value #ENV_KEY}. */
    public static Malls load(Path keysDir) {
        return new Malls(VersionedAesGcm.fromProperties("mall secret", KeyFiles.read(keysDir.resolve("dev-gateway.properties")),
                KEY_PREFIX, System.getenv(ENV_KEY), ENV_KEY));
    }

    public AddResult add(Connection c, Mall mall) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mall (mall_id, name, mcc, kind, state, webhook_url, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, mall.mallId());
            ps.setString(2, mall.name());
            ps.setString(3, mall.mcc());
            ps.setString(4, mall.kind().name());
            ps.setString(5, mall.state().name());
            ps.setString(6, mall.webhookUrl() == null ? null : mall.webhookUrl().toString());
            ps.setObject(7, utc(mall.createdAt()));
            ps.setObject(8, utc(mall.createdAt()));
            ps.executeUpdate();
        } catch (SQLIntegrityConstraintViolationException e) {
            return new AddResult(AddStatus.MALL_ID_TAKEN, null);
        }
        return new AddResult(AddStatus.ADDED, insertSecret(c, mall.mallId(), mall.createdAt()));
    }

    /** Replaces the mall's name, MCC, kind, state and webhook URL (the id never changes). */
    public ChangeStatus change(Connection c, Mall changed, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE mall SET name = ?, mcc = ?, kind = ?, state = ?, webhook_url = ?, updated_at = ? "
                + "WHERE mall_id = ?")) {
            ps.setString(1, changed.name());
            ps.setString(2, changed.mcc());
            ps.setString(3, changed.kind().name());
            ps.setString(4, changed.state().name());
            ps.setString(5, changed.webhookUrl() == null ? null : changed.webhookUrl().toString());
            ps.setObject(6, utc(now));
            ps.setString(7, changed.mallId());
            return ps.executeUpdate() == 1 ? ChangeStatus.CHANGED : ChangeStatus.UNKNOWN_MALL;
        }
    }

    public Optional<Mall> find(Connection c, String mallId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT mall_id, name, mcc, kind, state, webhook_url, created_at FROM mall WHERE mall_id = ?")) {
            ps.setString(1, mallId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(mallOf(rs)) : Optional.empty();
            }
        }
    }

    public List<Mall> list(Connection c) throws SQLException {
        List<Mall> malls = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT mall_id, name, mcc, kind, state, webhook_url, created_at FROM mall ORDER BY mall_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) malls.add(mallOf(rs));
        }
        return malls;
    }

    /**
     * A new secret beside the current one, so the mall can switch without a failed request; refused
     * while two are live (retire the old one first). The mall row is locked so two rotations at
     * once cannot make three.
     */
    public RotateResult rotateSecret(Connection c, String mallId, Instant now) throws SQLException {
        if (!lockMall(c, mallId)) return new RotateResult(RotateStatus.UNKNOWN_MALL, null);
        if (liveKeys(c, mallId).size() >= MAX_LIVE_SECRETS) return new RotateResult(RotateStatus.TWO_LIVE_SECRETS, null);
        return new RotateResult(RotateStatus.ROTATED, insertSecret(c, mallId, now));
    }

    /** Ends a secret; the mall's last live one cannot be retired (rotate first). */
    public RetireStatus retireSecret(Connection c, String mallId, String keyId, Instant now) throws SQLException {
        if (!lockMall(c, mallId)) return RetireStatus.UNKNOWN_KEY;
        List<LiveKey> live = liveKeys(c, mallId);
        if (live.stream().noneMatch(k -> k.keyId().equals(keyId))) return RetireStatus.UNKNOWN_KEY;
        if (live.size() == 1) return RetireStatus.LAST_LIVE_SECRET;
        try (PreparedStatement ps = c.prepareStatement("UPDATE mall_secret SET retired_at = ? WHERE key_id = ? AND retired_at IS NULL")) {
            ps.setObject(1, utc(now));
            ps.setString(2, keyId);
            ps.executeUpdate();
        }
        return RetireStatus.RETIRED;
    }

    /** The mall's live secrets, oldest first. */
    public List<LiveKey> liveKeys(Connection c, String mallId) throws SQLException {
        List<LiveKey> keys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT key_id, sealed_hash FROM mall_secret WHERE mall_id = ? AND retired_at IS NULL ORDER BY id")) {
            ps.setString(1, mallId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) keys.add(new LiveKey(mallId, rs.getString(1), unseal(rs.getString(1), rs.getBytes(2))));
            }
        }
        return keys;
    }

    /** The live secret with this key id, if any: how a signed request names its signer. */
    public Optional<LiveKey> liveKey(Connection c, String keyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT mall_id, sealed_hash FROM mall_secret WHERE key_id = ? AND retired_at IS NULL")) {
            ps.setString(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new LiveKey(rs.getString(1), keyId, unseal(keyId, rs.getBytes(2)))) : Optional.empty();
            }
        }
    }

    /** Ids and states of every mall's live key ids, for the ops listing (never a secret). */
    public Map<String, List<String>> liveKeyIds(Connection c) throws SQLException {
        Map<String, List<String>> ids = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT mall_id, key_id FROM mall_secret WHERE retired_at IS NULL ORDER BY mall_id, id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) ids.computeIfAbsent(rs.getString(1), m -> new ArrayList<>()).add(rs.getString(2));
        }
        return ids;
    }

    private MallSecret insertSecret(Connection c, String mallId, Instant now) throws SQLException {
        MallSecret secret = MallSecret.generate();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mall_secret (mall_id, key_id, sealed_hash, created_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, mallId);
            ps.setString(2, secret.keyId());
            ps.setBytes(3, sealer.seal(secret.verificationKey(), context(secret.keyId())));
            ps.setObject(4, utc(now));
            ps.executeUpdate();
        }
        return secret;
    }

    private boolean lockMall(Connection c, String mallId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT mall_id FROM mall WHERE mall_id = ? FOR UPDATE")) {
            ps.setString(1, mallId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The key id is the associated data: a sealed hash copied onto another key's row does not open. */
    private byte[] unseal(String keyId, byte[] sealed) {
        return sealer.open(sealed, context(keyId));
    }

    private static byte[] context(String keyId) {
        return ("mall-secret:" + keyId).getBytes(StandardCharsets.US_ASCII);
    }

    private static Mall mallOf(ResultSet rs) throws SQLException {
        String webhook = rs.getString(6);
        return new Mall(rs.getString(1), rs.getString(2), rs.getString(3), Mall.Kind.valueOf(rs.getString(4)),
                Mall.State.valueOf(rs.getString(5)), webhook == null ? null : URI.create(webhook),
                rs.getObject(7, LocalDateTime.class).toInstant(ZoneOffset.UTC));
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
