// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Database#inSideTransaction}: callers that each hold a connection of the main pool (all of
 * them) still get their short side transaction, committed on its own.
 */
class SideTransactionTest {
    private static final int MAIN_POOL_SIZE = 2;

    @Test
    void everyMainConnectionHeldStillLeavesTheSideTransactionsTheirConnections() throws Exception {
        try (Database db = Database.open(TestMariaDb.freshSettings("side", MAIN_POOL_SIZE))) {
            db.inJdbcTransaction(c -> execute(c, "CREATE TABLE side_note (id INT PRIMARY KEY)"));
            CountDownLatch allHoldOne = new CountDownLatch(MAIN_POOL_SIZE);
            ExecutorService callers = Executors.newFixedThreadPool(MAIN_POOL_SIZE);
            try {
                List<Future<Integer>> done = new ArrayList<>();
                for (int i = 0; i < MAIN_POOL_SIZE; i++) {
                    int id = i + 1;
                    done.add(callers.submit(() -> db.inJdbcTransaction(main -> {
                        allHoldOne.countDown();
                        allHoldOne.await(); // now the main pool has no free connection
                        db.inSideTransaction(side -> execute(side, "INSERT INTO side_note VALUES (" + id + ")"));
                        main.rollback(); // the caller's own transaction fails: the side one stays
                        return id;
                    })));
                }
                // from the main pool, the second connections would wait for the pool's 10 s timeout
                for (Future<Integer> f : done) f.get(5, TimeUnit.SECONDS);
            } finally {
                callers.shutdownNow();
            }
            int notes = db.inJdbcTransaction(c -> count(c, "SELECT COUNT(*) FROM side_note"));
            assertEquals(MAIN_POOL_SIZE, notes, "each side transaction committed on its own");
        }
    }

    private static int execute(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
        }
    }

    private static int count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
