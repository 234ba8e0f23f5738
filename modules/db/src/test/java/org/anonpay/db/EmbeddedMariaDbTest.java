// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class EmbeddedMariaDbTest {

    @Test
    void dataSurvivesARestartOfTheServer() throws Exception {
        Path root = Files.createTempDirectory(Path.of("target"), "restart");
        try (EmbeddedMariaDb first = EmbeddedMariaDb.start(root.resolve("data"), root.resolve("base"), 0)) {
            exec(first, "CREATE TABLE money (id INT PRIMARY KEY, amount BIGINT) ENGINE=InnoDB",
                    "INSERT INTO money VALUES (1, 12345)");
        }
        try (EmbeddedMariaDb second = EmbeddedMariaDb.start(root.resolve("data"), root.resolve("base"), 0);
             Connection c = DriverManager.getConnection(second.jdbcUrl(EmbeddedMariaDb.DATABASE), "root", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT amount FROM money WHERE id = 1")) {
            rs.next();
            assertEquals(12345L, rs.getLong(1));
            ResultSet flush = c.createStatement().executeQuery("SELECT @@innodb_flush_log_at_trx_commit");
            flush.next();
            assertEquals(1, flush.getInt(1), "commits must be durable");
        }
    }

    @Test
    void aDataDirectoryThatMariaDb4jWouldEmptyIsRefused() throws Exception {
        Path scratch = Files.createTempDirectory("anonpay-data");
        Path money = Files.writeString(scratch.resolve("keep.me"), "ledger");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> EmbeddedMariaDb.start(scratch, scratch.resolveSibling(scratch.getFileName() + "-base"), 0));
        assertEquals("ledger", Files.readString(money), "nothing deleted");
    }

    private static void exec(EmbeddedMariaDb db, String... sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(EmbeddedMariaDb.DATABASE), "root", "");
             Statement s = c.createStatement()) {
            for (String q : sql) s.execute(q);
        }
    }
}
