// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.analytics;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Rows in the shapes the other modules write them (member V40, card V20 with the member's row id
 * in holder_ref, mall V50, authz_journal V30/V31), with ids far from any count or amount, so a
 * search of the outputs for them cannot hit by chance. Every identity written is remembered in
 * {@link #identities}.
 */
final class Dataset {

    private final DataSource ds;
    private final AtomicInteger stan = new AtomicInteger();
    private long nextMember = 731_904_511L;
    private long nextCard = 842_617_301L;
    private int nextLast4 = 4821;

    /** Every member id, name, e-mail, mobile, member row id, holder ref, card id and PAN written. */
    final List<String> identities = new ArrayList<>();

    record Card(long memberRef, long cardId, String last4) {}

    Dataset(DataSource ds) {
        this.ds = ds;
    }

    /** A member born {@code birth} with one card; returns the card. */
    Card member(String memberId, String name, String nameLatin, LocalDate birth) throws Exception {
        long id = nextMember++;
        String mobile = "010-" + (4000 + id % 1000) + "-" + (7000 + id % 1000);
        String email = memberId + "@example.kr";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO member (id, member_id, member_id_key, nickname, nickname_key, name, name_latin, national_id_encrypted,"
                        + " national_id_masked, birth_date, birth_calendar, password_hash, security_question_id, security_answer_hash,"
                        + " email, mobile, statement_channel, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'SOLAR', '$argon2id$x', 1,"
                        + " '$argon2id$y', ?, ?, 'EMAIL', NOW(6))")) {
            String masked = String.format("%02d%02d%02d-1******", birth.getYear() % 100, birth.getMonthValue(), birth.getDayOfMonth());
            ps.setLong(1, id);
            ps.setString(2, memberId);
            ps.setString(3, memberId.toLowerCase());
            ps.setString(4, "n" + memberId);
            ps.setString(5, "n" + memberId.toLowerCase());
            ps.setString(6, name);
            ps.setString(7, nameLatin);
            ps.setBytes(8, new byte[] {1, 2, 3});
            ps.setString(9, masked);
            ps.setObject(10, birth);
            ps.setString(11, email);
            ps.setString(12, mobile);
            ps.executeUpdate();
            c.commit();
            identities.addAll(List.of(memberId, "n" + memberId, name, nameLatin, email, mobile, masked, Long.toString(id)));
        }
        return card(Long.toString(id), id);
    }

    /** A card with no wallet member (a POS-only card). */
    Card anonymousCard() throws Exception {
        return card(null, -1);
    }

    private Card card(String holderRef, long memberRef) throws Exception {
        long id = nextCard++;
        String last4 = Integer.toString(nextLast4++);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO card (id, program_id, pan_hash, pan_encrypted, pan_first6, pan_last4, expiry, state, pvv, card_name, holder_ref,"
                        + " created_at) VALUES (?, 'KRW-PREPAID', ?, ?, '941000', ?, '3012', 'ACTIVE', '1234', 'MY CARD', ?, NOW(6))")) {
            ps.setLong(1, id);
            ps.setBytes(2, MessageDigest.getInstance("SHA-256").digest(("card" + id).getBytes()));
            ps.setBytes(3, new byte[] {9});
            ps.setString(4, last4);
            ps.setString(5, holderRef);
            ps.executeUpdate();
            c.commit();
        }
        identities.addAll(List.of(Long.toString(id), "941000******" + last4, "941000" + last4, "9410001234" + "56" + last4));
        return new Card(memberRef, id, last4);
    }

    void mall(String mallId, String name, String mcc) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO mall (mall_id, name, mcc, kind, state, created_at, updated_at) VALUES (?, ?, ?, 'PARTNER', 'ACTIVE', NOW(6), NOW(6))")) {
            ps.setString(1, mallId);
            ps.setString(2, name);
            ps.setString(3, mcc);
            ps.executeUpdate();
            c.commit();
        }
    }

    long purchase(Card card, LocalDate day, String merchantId, long amount) throws Exception {
        return journal(card, day, "PURCHASE", merchantId, amount, "00", null, false);
    }

    /** A journal row as WriteJournal writes it; {@code merchantId} as field 42 (space-padded to 15). */
    long journal(Card card, LocalDate day, String type, String merchantId, long amount, String response, Long originalId,
                 boolean reversed) throws Exception {
        String mti = switch (type) {
            case "AUTHORIZATION" -> "0100";
            case "COMPLETION", "AUTHORIZATION_ADVICE" -> "0220";
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
                        + " approval_code, card_amount, original_id, reversed)"
                        + " VALUES (?, ?, ?, ?, '900100', 'MALLAPI1', ?, 'Some Shop', ?, ?, ?, ?, ?, ?, ?, 'KRW', ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, mti);
            ps.setString(2, mti.substring(0, 3));
            ps.setString(3, type);
            ps.setString(4, pc);
            ps.setString(5, String.format("%-15s", merchantId));
            ps.setString(6, String.format("%06d", n));
            ps.setString(7, String.format("%02d%02d%06d", day.getMonthValue(), day.getDayOfMonth(), n));
            ps.setString(8, String.format("%012d", n));
            ps.setBytes(9, ByteBuffer.allocate(32).putInt(n).array());
            ps.setLong(10, card.cardId());
            ps.setString(11, "941000******" + card.last4());
            ps.setLong(12, amount);
            ps.setObject(13, day);
            ps.setString(14, response);
            ps.setString(15, "00".equals(response) ? String.format("%06d", n) : null);
            ps.setLong(16, "00".equals(response) ? amount : 0);
            ps.setObject(17, originalId);
            ps.setBoolean(18, reversed);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                long id = rs.getLong(1);
                c.commit();
                return id;
            }
        }
    }

    void optOut(long memberRef) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO analytics_opt_out (member_ref, opted_out_at) VALUES (?, NOW(6))")) {
            ps.setLong(1, memberRef);
            ps.executeUpdate();
            c.commit();
        }
    }
}
