// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.member;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDateTime;
import org.anonpay.db.Database;

/**
 * The {@code member} and {@code member_handle} tables (V40__members.sql), in plain JDBC. The
 * database's unique keys, not a prior look-up, decide who gets a member ID or nickname: of two
 * concurrent registrations of one ID, the second insert waits for the first and then fails.
 */
public final class MemberStore {

    /** What became of an insert. */
    public enum InsertResult { CREATED, MEMBER_ID_TAKEN, NICKNAME_TAKEN }

    /** A row to insert: the registration with its secrets already hashed or encrypted. */
    public record NewMember(Registration registration, String passwordHash, String answerHash,
                            byte[] nationalIdEncrypted, String nationalIdMasked) {
        @Override
        public String toString() {
            return "NewMember[" + registration.memberId() + "]";
        }
    }

    private static final int ER_DUP_ENTRY = 1062;
    private static final int DEADLOCK_RETRIES = 3;

    private final Database database;
    private final Clock clock;

    public MemberStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Whether {@code handleKey} (a member ID key or nickname key) belongs to a member already. */
    public boolean handleTaken(String handleKey) {
        return database.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM member_handle WHERE handle_key = ?")) {
                ps.setString(1, handleKey);
                try (var rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    public InsertResult insert(NewMember member) {
        for (int attempt = 1; ; attempt++) {
            try {
                database.inJdbcTransaction(c -> insertRows(c, member));
                return InsertResult.CREATED;
            } catch (Taken t) {
                return t.result;
            } catch (IllegalStateException e) {
                // InnoDB may pick a concurrent insert of the same keys as a deadlock victim: try again
                if (attempt >= DEADLOCK_RETRIES || !isDeadlock(e)) throw e;
            }
        }
    }

    /** Thrown inside the transaction so that it rolls back (a returned result would commit a half insert). */
    private static final class Taken extends RuntimeException {
        final InsertResult result;

        Taken(InsertResult result) {
            super(result.name(), null, false, false);
            this.result = result;
        }
    }

    private Void insertRows(Connection c, NewMember m) throws SQLException {
        long id = insertMember(c, m);
        Registration r = m.registration();
        // the handle rows: member IDs and nicknames share one namespace (see V40__members.sql)
        insertHandle(c, r.memberIdKey(), id, "MEMBER_ID", InsertResult.MEMBER_ID_TAKEN);
        insertHandle(c, r.nicknameKey(), id, "NICKNAME", InsertResult.NICKNAME_TAKEN);
        return null;
    }

    private long insertMember(Connection c, NewMember m) throws SQLException {
        Registration r = m.registration();
        String sql = """
                INSERT INTO member (member_id, member_id_key, nickname, nickname_key, name, name_latin,
                    national_id_encrypted, national_id_masked, birth_date, birth_calendar, password_hash,
                    security_question_id, security_answer_hash, email, mobile, statement_channel, state, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?)""";
        try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            int i = 0;
            ps.setString(++i, r.memberId());
            ps.setString(++i, r.memberIdKey());
            ps.setString(++i, r.nickname());
            ps.setString(++i, r.nicknameKey());
            ps.setString(++i, r.name());
            ps.setString(++i, r.nameLatin());
            ps.setBytes(++i, m.nationalIdEncrypted());
            ps.setString(++i, m.nationalIdMasked());
            ps.setObject(++i, r.birthDate());
            ps.setString(++i, r.birthCalendar().name());
            ps.setString(++i, m.passwordHash());
            ps.setInt(++i, r.securityQuestionId());
            ps.setString(++i, m.answerHash());
            ps.setString(++i, r.email());
            ps.setString(++i, r.mobile());
            ps.setString(++i, r.statementChannel().name());
            ps.setTimestamp(++i, Timestamp.valueOf(LocalDateTime.now(clock)));
            executeOrTaken(ps, null);
            try (var keys = ps.getGeneratedKeys()) {
                if (!keys.next()) throw new IllegalStateException("no generated member id");
                return keys.getLong(1);
            }
        }
    }

    private static void insertHandle(Connection c, String key, long memberRef, String kind, InsertResult ifTaken) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO member_handle (handle_key, member_ref, kind) VALUES (?, ?, ?)")) {
            ps.setString(1, key);
            ps.setLong(2, memberRef);
            ps.setString(3, kind);
            executeOrTaken(ps, ifTaken);
        }
    }

    /**
     * Runs the insert; a duplicate key becomes {@link Taken}. For the member row the key name tells
     * which field ({@code ifTaken} null); a handle row has one key, so its caller says.
     */
    private static void executeOrTaken(PreparedStatement ps, InsertResult ifTaken) throws SQLException {
        try {
            ps.executeUpdate();
        } catch (SQLException e) {
            if (e.getErrorCode() != ER_DUP_ENTRY) throw e;
            // the driver's message quotes the duplicate value: do not pass it on, only the key name
            String message = String.valueOf(e.getMessage());
            if (ifTaken != null) throw new Taken(ifTaken);
            if (message.contains("uk_member_member_id")) throw new Taken(InsertResult.MEMBER_ID_TAKEN);
            if (message.contains("uk_member_nickname")) throw new Taken(InsertResult.NICKNAME_TAKEN);
            throw new IllegalStateException("duplicate key on an unexpected member key (SQLState " + e.getSQLState() + ")");
        }
    }

    private static boolean isDeadlock(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ("40001".equals(sql.getSQLState()) || sql.getErrorCode() == 1213)) return true;
        }
        return false;
    }
}
