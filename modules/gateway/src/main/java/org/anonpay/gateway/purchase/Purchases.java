// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.purchase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.anonpay.gateway.References;

/**
 * The purchase data store (table {@code wallet_purchase}), on the caller's connection and
 * transaction. A purchase lives {@code timeToLive} (b5: "for a limited time") and is paid at most
 * once (its row is locked by the approval that pays it). A mall order has at most one pending
 * purchase (a new choice in the wallet replaces the last) and none once it is paid.
 */
public final class Purchases {

    public static final String REFERENCE_PREFIX = "pur_";

    public enum PayStatus { PAID, NOT_PENDING }

    public enum CreateStatus { CREATED, ORDER_ALREADY_PAID }

    /** @param purchase the new purchase, null unless CREATED */
    public record Created(CreateStatus status, Purchase purchase) {}

    private final Duration timeToLive;

    public Purchases(Duration timeToLive) {
        assert !timeToLive.isNegative() && !timeToLive.isZero();
        this.timeToLive = timeToLive;
    }

    /**
     * Keeps the purchase data the member confirmed in the wallet, with a new reference; an earlier
     * pending purchase of the same mall order is expired (the member chose again), and an order
     * already paid is refused.
     */
    public Created create(Connection c, String mallId, String customerRef, String orderId, Goods goods, String currency,
                          long cardId, long memberRef, Instant now) throws SQLException {
        if (orderPaid(c, mallId, orderId)) return new Created(CreateStatus.ORDER_ALREADY_PAID, null);
        expirePending(c, mallId, orderId);
        Purchase p = new Purchase(References.random(REFERENCE_PREFIX), mallId, customerRef, orderId, goods, goods.totalMinor(), currency, cardId, memberRef,
                Purchase.State.PENDING, now, now.plus(timeToLive));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO wallet_purchase (reference, mall_id, customer_ref, order_id, goods, "
                + "goods_digest, total, currency, card_id, member_ref, state, created_at, expires_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, p.reference());
            ps.setString(2, mallId);
            ps.setString(3, customerRef);
            ps.setString(4, orderId);
            ps.setString(5, goods.canonical());
            ps.setBytes(6, goods.digest());
            ps.setLong(7, p.totalMinor());
            ps.setString(8, currency);
            ps.setLong(9, cardId);
            ps.setLong(10, memberRef);
            ps.setString(11, p.state().name());
            ps.setObject(12, utc(now));
            ps.setObject(13, utc(p.expiresAt()));
            ps.executeUpdate();
        }
        return new Created(CreateStatus.CREATED, p);
    }

    private static boolean orderPaid(Connection c, String mallId, String orderId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM wallet_purchase WHERE mall_id = ? AND order_id = ? AND state = 'PAID' LIMIT 1")) {
            ps.setString(1, mallId);
            ps.setString(2, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void expirePending(Connection c, String mallId, String orderId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE wallet_purchase SET state = 'EXPIRED' WHERE mall_id = ? AND order_id = ? AND state = 'PENDING'")) {
            ps.setString(1, mallId);
            ps.setString(2, orderId);
            ps.executeUpdate();
        }
    }

    public Optional<Purchase> find(Connection c, String reference) throws SQLException {
        return select(c, reference, "");
    }

    /** The purchase, locked until the caller's transaction ends: the approval that pays it holds it. */
    public Optional<Purchase> lock(Connection c, String reference) throws SQLException {
        return select(c, reference, " FOR UPDATE");
    }

    /** Marks a locked, matched purchase paid, in the transaction of the approval that pays it. */
    public PayStatus markPaid(Connection c, Purchase p, String paymentRef, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE wallet_purchase SET state = 'PAID', payment_ref = ?, paid_at = ? "
                + "WHERE reference = ? AND state = 'PENDING'")) {
            ps.setString(1, paymentRef);
            ps.setObject(2, utc(now));
            ps.setString(3, p.reference());
            return ps.executeUpdate() == 1 ? PayStatus.PAID : PayStatus.NOT_PENDING;
        }
    }

    /** Marks up to {@code limit} pending purchases whose time is up as EXPIRED; returns how many. */
    public int expireDue(Connection c, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE wallet_purchase SET state = 'EXPIRED' WHERE state = 'PENDING' AND expires_at <= ? LIMIT ?")) {
            ps.setObject(1, utc(now));
            ps.setInt(2, limit);
            return ps.executeUpdate();
        }
    }

    private static Optional<Purchase> select(Connection c, String reference, String lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT reference, mall_id, customer_ref, order_id, goods, total, currency, card_id, "
                + "member_ref, state, created_at, expires_at FROM wallet_purchase WHERE reference = ?" + lock)) {
            ps.setString(1, reference);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Purchase(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        Goods.parseCanonical(rs.getString(5)), rs.getLong(6), rs.getString(7), rs.getLong(8), rs.getLong(9),
                        Purchase.State.valueOf(rs.getString(10)), instant(rs, 11), instant(rs, 12)));
            }
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
