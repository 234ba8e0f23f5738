// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.host;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.sql.DataSource;

/**
 * Every row of every table of a database as text, for the card-data leak scan. Binary columns
 * are written both as hex and as Latin-1 text, so a PAN stored as plain bytes would show.
 */
final class DatabaseDump {
    private DatabaseDump() {}

    static void write(DataSource ds, Path file) throws IOException, SQLException {
        Files.createDirectories(file.getParent());
        try (Connection c = ds.getConnection(); BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String table : tables(c)) dumpTable(c, table, out);
        }
    }

    private static List<String> tables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), null, "%", new String[] {"TABLE"})) {
            while (rs.next()) tables.add(rs.getString("TABLE_NAME"));
        }
        return tables;
    }

    private static void dumpTable(Connection c, String table, BufferedWriter out) throws SQLException, IOException {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT * FROM `" + table + "`")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder(table).append(':');
                for (int i = 1; i <= columns; i++) row.append(' ').append(text(rs.getObject(i)));
                out.write(row.append('\n').toString());
            }
        }
    }

    private static String text(Object value) {
        if (value instanceof byte[] bytes) {
            return HexFormat.of().formatHex(bytes) + "|" + new String(bytes, StandardCharsets.ISO_8859_1);
        }
        return String.valueOf(value);
    }
}
