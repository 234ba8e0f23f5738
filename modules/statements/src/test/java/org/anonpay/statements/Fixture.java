// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.statements;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Rows in the shapes the other modules write them: a member as the wallet registers it (V40), a
 * card as the issuer issues it with the member's row id in holder_ref (V20), a mall (V50) and
 * journal rows as WriteJournal writes them (V30/V31) for each door: the mall API (wallet payment
 * and auto-fill, acquirer 900100 terminal MALLAPI1), a VAN (the demo shop's 900200/DEMOSHP2), a POS
 * terminal, and a wallet top-up (LOAD).
 */
final class Fixture {

    static final String MALL_API_ACQ = "900100", MALL_API_TID = "MALLAPI1";
    static final String VAN_ACQ = "900200", VAN_TID = "DEMOSHP2";
    static final String POS_ACQ = "123456", POS_TID = "POS00001";
    static final String WALLET_ACQ = "900000", WALLET_TID = "WALLET01";

    private final DataSource ds;
    private final AtomicInteger stan = new AtomicInteger();

    Fixture(DataSource ds) {
        this.ds = ds;
    }

    long member(String memberId, String name, String email, String mobile, String channel) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO member (member_id, member_id_key, nickname, nickname_key, name, name_latin, national_id_encrypted,"
                        + " national_id_masked, birth_date, birth_calendar, password_hash, security_question_id, security_answer_hash,"
                        + " email, mobile, statement_channel, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, '900101-1******', '1990-01-01',"
                        + " 'SOLAR', '$argon2id$x', 1, '$argon2id$y', ?, ?, ?, NOW(6))", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, memberId);
            ps.setString(2, memberId.toLowerCase());
            ps.setString(3, "n" + memberId);
            ps.setString(4, "n" + memberId.toLowerCase());
            ps.setString(5, name);
            ps.setString(6, "HONG GILDONG");
            ps.setBytes(7, new byte[] {1, 2, 3});
            ps.setString(8, email);
            ps.setString(9, mobile);
            ps.setString(10, channel);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                long id = rs.getLong(1);
                c.commit();
                return id;
            }
        }
    }

    /** A card of {@code memberRef}; returns its id. The masked PAN is 941000******NNNN. */
    long card(long memberRef, String last4) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO card (program_id, pan_hash, pan_encrypted, pan_first6, pan_last4, expiry, state, pvv, card_name, holder_ref,"
                        + " created_at) VALUES ('KRW-PREPAID', ?, ?, '941000', ?, '3012', 'ACTIVE', '1234', 'MY CARD', ?, NOW(6))",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setBytes(1, MessageDigest.getInstance("SHA-256").digest(("card" + memberRef + last4).getBytes()));
            ps.setBytes(2, new byte[] {9});
            ps.setString(3, last4);
            ps.setString(4, Long.toString(memberRef));
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                long id = rs.getLong(1);
                c.commit();
                return id;
            }
        }
    }

    void mall(String mallId, String name) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO mall (mall_id, name, mcc, kind, state, created_at, updated_at) VALUES (?, ?, '5499', 'PARTNER', 'ACTIVE', NOW(6), NOW(6))")) {
            ps.setString(1, mallId);
            ps.setString(2, name);
            ps.executeUpdate();
            c.commit();
        }
    }

    /** A journal row; {@code merchantId} as field 42 (space-padded to 15). Returns its id. */
    long journal(long cardId, String last4, LocalDate day, LocalTime time, String type, String acquirer, String terminal,
                 String merchantId, String merchantName, long amount, String currency, String response, Long originalId) throws Exception {
        String mti = switch (type) {
            case "AUTHORIZATION" -> "0100";
            case "COMPLETION" -> "0220";
            case "REVERSAL" -> "0400";
            default -> "0200";
        };
        String pc = switch (type) {
            case "REFUND" -> "200000";
            case "LOAD" -> "210000";
            default -> "000000";
        };
        int n = stan.incrementAndGet();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO authz_journal (mti, mti_class, txn_type, processing_code, acquirer_id, terminal_id, merchant_id, merchant_name,"
                        + " stan, transmission_time, rrn, request_fingerprint, card_id, pan_masked, amount, currency, business_date, response_code,"
                        + " decline_reason, approval_code, card_amount, original_id, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, mti);
            ps.setString(2, mti.substring(0, 3));
            ps.setString(3, type);
            ps.setString(4, pc);
            ps.setString(5, acquirer);
            ps.setString(6, terminal);
            ps.setString(7, merchantId == null ? null : String.format("%-15s", merchantId));
            ps.setString(8, merchantName);
            ps.setString(9, String.format("%06d", n));
            ps.setString(10, String.format("%02d%02d%06d", day.getMonthValue(), day.getDayOfMonth(), n));
            ps.setString(11, String.format("%012d", n));
            ps.setBytes(12, ByteBuffer.allocate(32).putInt(n).array());
            ps.setLong(13, cardId);
            ps.setString(14, "941000******" + last4);
            ps.setLong(15, amount);
            ps.setString(16, currency);
            ps.setObject(17, day);
            ps.setString(18, response);
            ps.setString(19, "00".equals(response) ? null : "INSUFFICIENT_FUNDS");
            ps.setString(20, "00".equals(response) ? String.format("%06d", n) : null);
            ps.setLong(21, "00".equals(response) ? amount : 0);
            ps.setObject(22, originalId);
            // created_at in Asia/Seoul wall time of the business day
            ps.setTimestamp(23, Timestamp.from(day.atTime(time).atZone(StatementStore.KOREA).toInstant()));
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                long id = rs.getLong(1);
                c.commit();
                return id;
            }
        }
    }

    int count(String sql, Object... args) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                int n = rs.getInt(1);
                c.commit();
                return n;
            }
        }
    }

    void update(String sql, Object... args) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            ps.executeUpdate();
            c.commit();
        }
    }
}
