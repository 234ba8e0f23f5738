// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.tools;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.anonpay.db.Database;
import org.anonpay.db.DatabaseSettings;
import org.flywaydb.core.Flyway;

/**
 * The ops audit log (table {@code ops_audit}, V90): append only, a hash chain over its rows. This
 * class only ever INSERTs and SELECTs; the table's triggers refuse UPDATE and DELETE.
 */
final class OpsAudit {

    static final String GENESIS = "0".repeat(64);
    /**
     * What could be a card number: a run of 13 or more digits, or 13-19 digits in the groups a card
     * number is written in (4-4-4-4[-3], 4-6-5) with single spaces or hyphens. Two dates side by side
     * ("2026-11-23 2026-11-24") are not a card number.
     */
    private static final Pattern DIGIT_RUN = Pattern.compile("(?<![0-9])(?:[0-9]{13,}|[0-9]{4}[ -][0-9]{6}[ -][0-9]{5}"
            + "|[0-9]{4}(?:[ -][0-9]{4}){2}[ -][0-9]{1,4}(?:[ -]?[0-9]{1,3})?)(?![0-9])");
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;\\s]*");
    private static final String LOCK = "anonpay_ops_audit";

    /** One audit row. */
    record Entry(long id, LocalDateTime at, String osUser, String hostName, String command, String arguments,
                 int exitCode, String outcome, String prevHash, String hash) {

        /** The hash this row must have after {@code prevHash}. */
        String expectedHash(String previous) {
            return sha256(previous + "|" + id + "|" + at + "|" + osUser + "|" + hostName + "|" + command + "|"
                    + arguments + "|" + exitCode + "|" + outcome);
        }
    }

    private final DatabaseSettings settings;

    OpsAudit(DatabaseSettings settings) {
        this.settings = settings;
    }

    /** Masks anything that could be a card number: first 6 and last 4 digits kept, the rest '*'. */
    static String mask(String s) {
        if (s == null) return "";
        // a password in a JDBC URL (--db-url 'jdbc:mysql://…?password=…') is a secret too
        s = PASSWORD.matcher(s).replaceAll("$1***");
        Matcher m = DIGIT_RUN.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String digits = m.group().replaceAll("[^0-9]", "");
            if (digits.length() > 19 || digits.length() < 13) {
                m.appendReplacement(out, "*".repeat(digits.length()));
            } else {
                m.appendReplacement(out, digits.substring(0, 6) + "*".repeat(digits.length() - 10) + digits.substring(digits.length() - 4));
            }
        }
        m.appendTail(out);
        return out.toString();
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", settings.user());
        p.setProperty("password", settings.password() == null ? "" : settings.password());
        p.setProperty("connectTimeout", "5000");
        Connection c = DriverManager.getConnection(settings.jdbcUrl(), p);
        c.setAutoCommit(false);
        return c;
    }

    /** Brings the schema up to date (a command that failed early may not have opened the database). */
    private void migrate() {
        Flyway.configure().dataSource(settings.jdbcUrl(), settings.user(), settings.password())
                .locations(Database.MIGRATIONS).outOfOrder(true).failOnMissingLocations(false).load().migrate();
    }

    /** Appends one row in its own transaction; returns it. */
    Entry append(String osUser, String hostName, String command, String arguments, int exitCode, String outcome) throws SQLException {
        try {
            return insert(osUser, hostName, command, arguments, exitCode, outcome);
        } catch (SQLException e) {
            if (e.getErrorCode() != 1146) throw e;   // table does not exist: a database never migrated
            migrate();
            return insert(osUser, hostName, command, arguments, exitCode, outcome);
        }
    }

    private Entry insert(String osUser, String hostName, String command, String arguments, int exitCode, String outcome) throws SQLException {
        try (Connection c = connect()) {
            try {
                lock(c);
                try {
                    long id = 1;
                    String prev = GENESIS;
                    try (ResultSet rs = c.createStatement().executeQuery("SELECT id, hash FROM ops_audit ORDER BY id DESC LIMIT 1")) {
                        if (rs.next()) {
                            id = rs.getLong(1) + 1;
                            prev = rs.getString(2);
                        }
                    }
                    LocalDateTime at = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
                    Entry draft = new Entry(id, at, cut(osUser, 64), cut(hostName, 255), cut(command, 64), cut(mask(arguments), 2000),
                            exitCode, cut(mask(outcome), 500), prev, null);
                    Entry row = new Entry(id, at, draft.osUser(), draft.hostName(), draft.command(), draft.arguments(), exitCode,
                            draft.outcome(), prev, draft.expectedHash(prev));
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO ops_audit (id, `at`, os_user, host_name, command,"
                            + " arguments, exit_code, outcome, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                        ps.setLong(1, row.id());
                        ps.setObject(2, row.at());
                        ps.setString(3, row.osUser());
                        ps.setString(4, row.hostName());
                        ps.setString(5, row.command());
                        ps.setString(6, row.arguments());
                        ps.setInt(7, row.exitCode());
                        ps.setString(8, row.outcome());
                        ps.setString(9, row.prevHash());
                        ps.setString(10, row.hash());
                        ps.executeUpdate();
                    }
                    c.commit();
                    return row;
                } finally {
                    unlock(c);
                }
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Rows are appended one at a time across processes: the chain has one head. */
    private static void lock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, 10)")) {
            ps.setString(1, LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getInt(1) != 1) throw new SQLException("ops_audit is locked by another anonpay-ops for 10 s");
            }
        }
    }

    private static void unlock(Connection c) {
        try (PreparedStatement ps = c.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            ps.setString(1, LOCK);
            ps.executeQuery().close();
        } catch (SQLException ignored) {
            // the lock goes with the connection anyway
        }
    }

    /** The newest {@code limit} rows, newest first. */
    static List<Entry> recent(Connection c, int limit) throws SQLException {
        List<Entry> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY id DESC LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) rows.add(entry(rs));
            }
        }
        return rows;
    }

    /** Walks the whole chain, oldest first; returns the first row that breaks it, or empty. */
    static Optional<String> verify(Connection c, Consumer<Integer> count) throws SQLException {
        String prev = GENESIS;
        long expectedId = 1;
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY id")) {
            ps.setFetchSize(Integer.MIN_VALUE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Entry e = entry(rs);
                    if (e.id() != expectedId) return Optional.of("row " + expectedId + " is missing (next row is " + e.id() + ")");
                    if (!e.prevHash().equals(prev)) return Optional.of("row " + e.id() + ": prev_hash does not match the hash of row " + (e.id() - 1));
                    if (!e.hash().equals(e.expectedHash(prev))) return Optional.of("row " + e.id() + ": content does not match its hash (edited)");
                    prev = e.hash();
                    expectedId++;
                    n++;
                }
            }
        }
        count.accept(n);
        return Optional.empty();
    }

    private static final String SELECT = "SELECT id, `at`, os_user, host_name, command, arguments, exit_code, outcome, prev_hash, hash FROM ops_audit";

    private static Entry entry(ResultSet rs) throws SQLException {
        return new Entry(rs.getLong(1), rs.getObject(2, LocalDateTime.class), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getInt(7), rs.getString(8), rs.getString(9), rs.getString(10));
    }

    private static String cut(String s, int max) {
        if (s == null) return "";
        return s.length() <= max ? s : s.substring(0, max);
    }
}
