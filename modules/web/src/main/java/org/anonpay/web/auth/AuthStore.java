// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.anonpay.db.Database;

/**
 * JDBC access to {@code web_session}, {@code login_attempt}, {@code password_reset_token},
 * {@code recovery_mail} (V41) and the few {@code member} columns log-in and recovery need.
 * Times are UTC {@code DATETIME(6)} from the caller's clock.
 */
public final class AuthStore {

    /** A member as log-in and recovery see it. */
    public record MemberAuth(long ref, String memberId, String nickname, String passwordHash, int securityQuestionId,
                             String answerHash, String email, String state) {
        @Override
        public String toString() {
            return "MemberAuth[" + memberId + "]";
        }
    }

    private static final String MEMBER_COLUMNS = "m.id, m.member_id, m.nickname, m.password_hash, m.security_question_id, m.security_answer_hash, m.email, m.state";

    private final Database db;

    public AuthStore(Database db) {
        this.db = db;
    }

    static LocalDateTime utc(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }

    private static MemberAuth member(ResultSet rs) throws SQLException {
        return new MemberAuth(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                rs.getString(6), rs.getString(7), rs.getString(8));
    }

    /** The member whose ID or nickname has this key (member IDs and nicknames share one namespace), or null. */
    public MemberAuth memberByHandle(String handleKey) {
        return db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + MEMBER_COLUMNS
                    + " FROM member_handle h JOIN member m ON m.id = h.member_ref WHERE h.handle_key = ?")) {
                ps.setString(1, handleKey);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? member(rs) : null;
                }
            }
        });
    }

    /** The member with this member ID key (not nickname), or null. */
    public MemberAuth memberByIdKey(String memberIdKey) {
        return db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + MEMBER_COLUMNS + " FROM member m WHERE m.member_id_key = ?")) {
                ps.setString(1, memberIdKey);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? member(rs) : null;
                }
            }
        });
    }

    /** The member with this row id, or null. */
    public MemberAuth memberByRef(long ref) {
        return db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + MEMBER_COLUMNS + " FROM member m WHERE m.id = ?")) {
                ps.setLong(1, ref);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? member(rs) : null;
                }
            }
        });
    }

    /** Sets a new password hash and ends every session of the member except {@code keep}; returns how many ended. */
    public int changePassword(long memberRef, String passwordHash, byte[] keep) {
        return db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE member SET password_hash = ?, version = version + 1 WHERE id = ?")) {
                ps.setString(1, passwordHash);
                ps.setLong(2, memberRef);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM web_session WHERE member_ref = ? AND id_hash <> ?")) {
                ps.setLong(1, memberRef);
                ps.setBytes(2, keep);
                return ps.executeUpdate();
            }
        });
    }

    /** Members of this name and e-mail address (both compared ignoring case). */
    public List<MemberAuth> membersByNameAndEmail(String name, String email) {
        return db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + MEMBER_COLUMNS + " FROM member m WHERE m.name = ? AND m.email = ? ORDER BY m.id LIMIT 10")) {
                ps.setString(1, name);
                ps.setString(2, email);
                List<MemberAuth> list = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) list.add(member(rs));
                }
                return list;
            }
        });
    }

    // ---- sessions ----

    public void insertSession(byte[] idHash, byte[] csrfHash, long memberRef, Instant now, Instant expires) {
        db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO web_session (id_hash, member_ref, csrf_hash, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setBytes(1, idHash);
                ps.setLong(2, memberRef);
                ps.setBytes(3, csrfHash);
                ps.setObject(4, utc(now));
                ps.setObject(5, utc(now));
                ps.setObject(6, utc(expires));
                return ps.executeUpdate();
            }
        });
    }

    /**
     * The session with this id hash if it is live at {@code now} (idle and absolute limits, member
     * active), its last-seen time set to {@code now}; otherwise null, and a dead row is deleted.
     */
    public WebSession touchSession(byte[] idHash, Instant now, Instant idleCutoff) {
        return db.inJdbcTransaction(c -> {
            WebSession found = null;
            boolean live = false;
            try (PreparedStatement ps = c.prepareStatement("SELECT s.csrf_hash, s.member_ref, m.member_id, m.nickname, s.created_at, s.last_seen_at, s.expires_at, m.state"
                    + " FROM web_session s JOIN member m ON m.id = s.member_ref WHERE s.id_hash = ? FOR UPDATE")) {
                ps.setBytes(1, idHash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return null;
                    found = new WebSession(idHash, rs.getBytes(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            instant(rs, "created_at"), instant(rs, "expires_at"));
                    Instant lastSeen = instant(rs, "last_seen_at");
                    live = lastSeen.isAfter(idleCutoff) && now.isBefore(found.expiresAt()) && "ACTIVE".equals(rs.getString(8));
                }
            }
            if (!live) {
                deleteSession(c, idHash);
                return null;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE web_session SET last_seen_at = ? WHERE id_hash = ?")) {
                ps.setObject(1, utc(now));
                ps.setBytes(2, idHash);
                ps.executeUpdate();
            }
            return found;
        });
    }

    private static int deleteSession(Connection c, byte[] idHash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM web_session WHERE id_hash = ?")) {
            ps.setBytes(1, idHash);
            return ps.executeUpdate();
        }
    }

    public void deleteSession(byte[] idHash) {
        db.inJdbcTransaction(c -> deleteSession(c, idHash));
    }

    /** Ends every session of a member; returns how many. */
    public int deleteSessionsOf(long memberRef) {
        return db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM web_session WHERE member_ref = ?")) {
                ps.setLong(1, memberRef);
                return ps.executeUpdate();
            }
        });
    }

    /** Drops sessions past their absolute or idle limit (housekeeping, a bounded batch). */
    public void purgeSessions(Instant now, Instant idleCutoff) {
        db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM web_session WHERE expires_at <= ? OR last_seen_at <= ? LIMIT 1000")) {
                ps.setObject(1, utc(now));
                ps.setObject(2, utc(idleCutoff));
                return ps.executeUpdate();
            }
        });
    }

    // ---- throttling ----

    /** Records one attempt; returns its row id. */
    public long insertAttempt(String kind, byte[] subject, Instant at) {
        return db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO login_attempt (kind, subject_hash, attempted_at) VALUES (?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, kind);
                ps.setBytes(2, subject);
                ps.setObject(3, utc(at));
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    /** Times of the attempts on a subject after {@code since}, newest first. */
    public List<Instant> attemptsSince(String kind, byte[] subject, Instant since) {
        return db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT attempted_at FROM login_attempt WHERE kind = ? AND subject_hash = ? AND attempted_at > ? ORDER BY attempted_at DESC LIMIT 1000")) {
                ps.setString(1, kind);
                ps.setBytes(2, subject);
                ps.setObject(3, utc(since));
                List<Instant> times = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) times.add(instant(rs, "attempted_at"));
                }
                return times;
            }
        });
    }

    public void deleteAttempts(List<Long> ids) {
        if (ids.isEmpty()) return;
        db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM login_attempt WHERE id = ?")) {
                for (long id : ids) {
                    ps.setLong(1, id);
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
    }

    public void deleteAttemptsOf(String kind, byte[] subject) {
        db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM login_attempt WHERE kind = ? AND subject_hash = ?")) {
                ps.setString(1, kind);
                ps.setBytes(2, subject);
                return ps.executeUpdate();
            }
        });
    }

    /** Housekeeping: attempts older than every window. */
    public void purgeAttempts(Instant before) {
        db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM login_attempt WHERE attempted_at < ? LIMIT 1000")) {
                ps.setObject(1, utc(before));
                return ps.executeUpdate();
            }
        });
    }

    // ---- recovery ----

    public int recoveryMailsSince(long memberRef, Instant since) {
        return db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM recovery_mail WHERE member_ref = ? AND sent_at > ?")) {
                ps.setLong(1, memberRef);
                ps.setObject(2, utc(since));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    public void recordRecoveryMail(long memberRef, String kind, Instant at) {
        db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO recovery_mail (member_ref, kind, sent_at) VALUES (?, ?, ?)")) {
                ps.setLong(1, memberRef);
                ps.setString(2, kind);
                ps.setObject(3, utc(at));
                return ps.executeUpdate();
            }
        });
    }

    /** Stores a new reset token for the member, replacing any earlier one (only the latest link works). */
    public void replaceResetToken(long memberRef, byte[] tokenHash, Instant now, Instant expires) {
        db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM password_reset_token WHERE member_ref = ?")) {
                ps.setLong(1, memberRef);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO password_reset_token (token_hash, member_ref, created_at, expires_at) VALUES (?, ?, ?, ?)")) {
                ps.setBytes(1, tokenHash);
                ps.setLong(2, memberRef);
                ps.setObject(3, utc(now));
                ps.setObject(4, utc(expires));
                return ps.executeUpdate();
            }
        });
    }

    /** The member of an unexpired reset token, or null. */
    public MemberAuth memberOfResetToken(byte[] tokenHash, Instant now) {
        return db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + MEMBER_COLUMNS
                    + " FROM password_reset_token t JOIN member m ON m.id = t.member_ref WHERE t.token_hash = ? AND t.expires_at > ?")) {
                ps.setBytes(1, tokenHash);
                ps.setObject(2, utc(now));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? member(rs) : null;
                }
            }
        });
    }

    /**
     * In one transaction: consumes the token (it must still exist and be unexpired, else false and
     * nothing changes), sets the new password hash and ends every session of the member.
     */
    public boolean resetPassword(byte[] tokenHash, long memberRef, String passwordHash, Instant now) {
        return db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM password_reset_token WHERE token_hash = ? AND member_ref = ? AND expires_at > ?")) {
                ps.setBytes(1, tokenHash);
                ps.setLong(2, memberRef);
                ps.setObject(3, utc(now));
                if (ps.executeUpdate() != 1) return false;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE member SET password_hash = ?, version = version + 1 WHERE id = ?")) {
                ps.setString(1, passwordHash);
                ps.setLong(2, memberRef);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM web_session WHERE member_ref = ?")) {
                ps.setLong(1, memberRef);
                ps.executeUpdate();
            }
            return true;
        });
    }
}
