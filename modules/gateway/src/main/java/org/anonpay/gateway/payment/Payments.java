// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.payment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.anonpay.authz.MessageKey;

/** The payments and their follow-ups (tables {@code mall_payment}, {@code mall_payment_op}) on the caller's transaction. */
public final class Payments {

    private static final String COLUMNS = "payment_id, mall_id, order_id, customer_ref, purchase_ref, goods, amount, currency, capture_mode, "
            + "status, decline_reason, response_code, approval_code, card_id, masked_card, captured_amount, refunded_amount, "
            + "iso_acquirer, iso_terminal, iso_stan, iso_time, iso_mti, created_at, updated_at";

    public void insert(Connection c, Payment p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mall_payment (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, p.paymentId());
            ps.setString(2, p.mallId());
            ps.setString(3, p.orderId());
            ps.setString(4, p.customerRef());
            ps.setString(5, p.purchaseRef());
            ps.setString(6, p.goodsCanonical());
            ps.setLong(7, p.amount());
            ps.setString(8, p.currency());
            ps.setString(9, p.captureMode().name());
            ps.setString(10, p.status().name());
            ps.setString(11, p.declineReason());
            ps.setString(12, p.responseCode());
            ps.setString(13, p.approvalCode());
            ps.setObject(14, p.cardId());
            ps.setString(15, p.maskedCard());
            ps.setLong(16, p.capturedAmount());
            ps.setLong(17, p.refundedAmount());
            ps.setString(18, p.isoKey().acquirerId());
            ps.setString(19, p.isoKey().terminalId());
            ps.setString(20, p.isoKey().stan());
            ps.setString(21, p.isoKey().transmissionTime());
            ps.setString(22, p.isoMti());
            ps.setObject(23, utc(p.createdAt()));
            ps.setObject(24, utc(p.updatedAt()));
            ps.executeUpdate();
        }
    }

    /** The mall's payment; another mall's is not found (a mall sees only its own). */
    public Optional<Payment> find(Connection c, String mallId, String paymentId) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM mall_payment WHERE payment_id = ? AND mall_id = ?", paymentId, mallId);
    }

    /** As {@link #find}, the row locked until the transaction ends: captures, cancels and refunds of one payment run one at a time. */
    public Optional<Payment> lock(Connection c, String mallId, String paymentId) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM mall_payment WHERE payment_id = ? AND mall_id = ? FOR UPDATE", paymentId, mallId);
    }

    /** Payments still PENDING that were created before {@code cutoff}: their answer was lost, recovery finishes them. */
    public List<Payment> pendingBefore(Connection c, Instant cutoff, int limit) throws SQLException {
        List<Payment> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM mall_payment WHERE status = 'PENDING' AND created_at < ? "
                + "ORDER BY created_at LIMIT ?")) {
            ps.setObject(1, utc(cutoff));
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) found.add(paymentOf(rs));
            }
        }
        return found;
    }

    public void update(Connection c, Payment p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE mall_payment SET status = ?, decline_reason = ?, response_code = ?, approval_code = ?, "
                + "card_id = ?, masked_card = ?, captured_amount = ?, refunded_amount = ?, updated_at = ? WHERE payment_id = ?")) {
            ps.setString(1, p.status().name());
            ps.setString(2, p.declineReason());
            ps.setString(3, p.responseCode());
            ps.setString(4, p.approvalCode());
            ps.setObject(5, p.cardId());
            ps.setString(6, p.maskedCard());
            ps.setLong(7, p.capturedAmount());
            ps.setLong(8, p.refundedAmount());
            ps.setObject(9, utc(p.updatedAt()));
            ps.setString(10, p.paymentId());
            if (ps.executeUpdate() != 1) throw new IllegalStateException("payment vanished: " + p.paymentId());
        }
    }

    public void insertOp(Connection c, PaymentOp op) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mall_payment_op (op_id, payment_id, kind, amount, status, response_code, "
                + "decline_reason, iso_terminal, iso_stan, iso_time, iso_mti, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, op.opId());
            ps.setString(2, op.paymentId());
            ps.setString(3, op.kind().name());
            ps.setLong(4, op.amount());
            ps.setString(5, op.status().name());
            ps.setString(6, op.responseCode());
            ps.setString(7, op.declineReason());
            ps.setString(8, op.isoKey().terminalId());
            ps.setString(9, op.isoKey().stan());
            ps.setString(10, op.isoKey().transmissionTime());
            ps.setString(11, op.isoMti());
            ps.setObject(12, utc(op.createdAt()));
            ps.setObject(13, utc(op.createdAt()));
            ps.executeUpdate();
        }
    }

    public void finishOp(Connection c, PaymentOp op, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE mall_payment_op SET status = ?, response_code = ?, decline_reason = ?, updated_at = ? "
                + "WHERE op_id = ?")) {
            ps.setString(1, op.status().name());
            ps.setString(2, op.responseCode());
            ps.setString(3, op.declineReason());
            ps.setObject(4, utc(now));
            ps.setString(5, op.opId());
            ps.executeUpdate();
        }
    }

    private static final String OP_COLUMNS = "op_id, payment_id, kind, amount, status, response_code, decline_reason, iso_terminal, "
            + "iso_stan, iso_time, iso_mti, created_at";

    /** The payment's refunds (and other follow-ups), oldest first. */
    public List<PaymentOp> ops(Connection c, String paymentId, String acquirerId) throws SQLException {
        List<PaymentOp> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + OP_COLUMNS + " FROM mall_payment_op WHERE payment_id = ? ORDER BY created_at, op_id")) {
            ps.setString(1, paymentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) found.add(opOf(rs, acquirerId));
            }
        }
        return found;
    }

    /** Follow-ups still PENDING that were sent before {@code cutoff}: their answer was lost, recovery finishes them. */
    public List<PaymentOp> pendingOpsBefore(Connection c, Instant cutoff, String acquirerId, int limit) throws SQLException {
        List<PaymentOp> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + OP_COLUMNS + " FROM mall_payment_op WHERE status = 'PENDING' AND created_at < ? "
                + "ORDER BY created_at LIMIT ?")) {
            ps.setObject(1, utc(cutoff));
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) found.add(opOf(rs, acquirerId));
            }
        }
        return found;
    }

    /** A payment by its id alone, whichever mall's (recovery; never for a mall's request). */
    public Optional<Payment> findById(Connection c, String paymentId) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM mall_payment WHERE payment_id = ?", paymentId);
    }

    private static PaymentOp opOf(ResultSet rs, String acquirerId) throws SQLException {
        String mti = rs.getString(11);
        return new PaymentOp(rs.getString(1), rs.getString(2), PaymentOp.Kind.valueOf(rs.getString(3)), rs.getLong(4),
                PaymentOp.Status.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7),
                new MessageKey(acquirerId, rs.getString(8), rs.getString(9), rs.getString(10), MessageKey.mtiClass(mti)), mti,
                instant(rs, 12));
    }

    private static Optional<Payment> one(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setString(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(paymentOf(rs)) : Optional.empty();
            }
        }
    }

    private static Payment paymentOf(ResultSet rs) throws SQLException {
        String mti = rs.getString(22);
        long card = rs.getLong(14);
        Long cardId = rs.wasNull() ? null : card;
        return new Payment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getLong(7), rs.getString(8), Payment.CaptureMode.valueOf(rs.getString(9)), Payment.Status.valueOf(rs.getString(10)),
                rs.getString(11), rs.getString(12), rs.getString(13), cardId, rs.getString(15), rs.getLong(16), rs.getLong(17),
                new MessageKey(rs.getString(18), rs.getString(19), rs.getString(20), rs.getString(21), MessageKey.mtiClass(mti)), mti,
                instant(rs, 23), instant(rs, 24));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
