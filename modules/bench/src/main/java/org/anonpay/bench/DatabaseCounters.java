// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's own counters (SHOW GLOBAL STATUS) over the measured window, per message answered:
 * how many statements, commits and log flushes each message costs the database, which is what
 * group commit and fewer round trips change. A reading that fails is empty, never fatal.
 */
final class DatabaseCounters {

    /** Statements received, statements prepared on the server, commits, savepoints, InnoDB flushes to disk. */
    static final List<String> NAMES = List.of("Questions", "Com_stmt_prepare", "Com_commit", "Com_select", "Com_insert", "Com_update", "Com_savepoint",
            "Innodb_data_fsyncs");

    private DatabaseCounters() {}

    static Map<String, Long> read(String jdbcUrl) {
        Map<String, Long> values = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "root", ""); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS")) {
            while (rs.next()) {
                if (NAMES.contains(rs.getString(1))) values.put(rs.getString(1), Long.parseLong(rs.getString(2)));
            }
        } catch (SQLException | RuntimeException e) {
            values.clear();
        }
        return values;
    }

    /** "name per message" for each counter read at both ends; empty text when a reading failed. */
    static String perMessage(Map<String, Long> before, Map<String, Long> after, long messages) {
        if (before.isEmpty() || after.isEmpty() || messages <= 0) return "";
        StringBuilder text = new StringBuilder();
        for (String name : NAMES) {
            Long a = before.get(name);
            Long b = after.get(name);
            if (a == null || b == null) continue;
            if (!text.isEmpty()) text.append(", ");
            text.append(String.format("%s %.2f", name, (b - a) / (double) messages));
        }
        return text.toString();
    }
}
