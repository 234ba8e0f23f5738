// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.anonpay.authz.KeyClaims.Kind;
import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link KeyClaims#claimAll}, the batch form of a claim: all keys claimed by one statement, or none. */
class KeyClaimsTest {

    private static final AtomicInteger STANS = new AtomicInteger(200_000);
    private static Database db;

    @BeforeAll
    static void open() {
        db = TestMariaDb.freshDatabase("key_claims");
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static MessageKey key() {
        return new MessageKey("12345", "TERM0002", String.valueOf(STANS.incrementAndGet()), "0314120000", "020");
    }

    private static List<MessageKey> keys(int count) {
        List<MessageKey> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) keys.add(key());
        return keys;
    }

    /** A reversal claiming the key: who was there first, or null if nobody (the reversal's claim then stays). */
    private static Kind earlier(MessageKey key) {
        return db.inTransaction(s -> KeyClaims.claim(s, key, Kind.EARLY_REVERSAL).earlier());
    }

    private static int claimsOf(Connection c, List<MessageKey> keys) throws SQLException {
        int found = 0;
        for (MessageKey key : keys) {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM authz_key_claim WHERE acquirer_id = ? AND terminal_id = ?"
                    + " AND stan = ? AND transmission_time = ? AND mti_class = ?")) {
                key.bind(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    found += rs.getInt(1);
                }
            }
        }
        return found;
    }

    @Test
    void newKeysAreAllClaimedAsOriginals() {
        for (int size : new int[] {1, 2, 3, 5}) {
            List<MessageKey> keys = keys(size);
            boolean claimed = db.inJdbcTransaction(c -> KeyClaims.claimAll(c, keys));
            assertTrue(claimed, "size " + size);
            int stored = db.inJdbcTransaction(c -> claimsOf(c, keys));
            assertEquals(size, stored);
            for (MessageKey key : keys) assertEquals(Kind.ORIGINAL, earlier(key), key + " was taken by the batch, as an original");
        }
    }

    @Test
    void oneTakenKeyClaimsNoneOfTheOthers() throws Exception {
        MessageKey taken = key();
        assertNull(db.inTransaction(s -> KeyClaims.claim(s, taken, Kind.EARLY_REVERSAL).earlier()), "a reversal came first");
        List<MessageKey> others = keys(3);
        List<MessageKey> batch = List.of(others.get(0), others.get(1), taken, others.get(2));

        try (Connection c = db.dataSource().getConnection()) {
            assertFalse(KeyClaims.claimAll(c, batch));
            // one statement: InnoDB undid the rows it had inserted before the taken key, in this very transaction
            assertEquals(0, claimsOf(c, others), "the failed statement left none of its rows");
            assertEquals(1, claimsOf(c, List.of(taken)));
            c.rollback();
        }

        assertEquals(Kind.EARLY_REVERSAL, earlier(taken), "the earlier claim is kept as it was");
        for (MessageKey key : others) assertNull(earlier(key), key + " was free: this reversal is first");
    }

    @Test
    void aKeyTwiceInOneBatchClaimsNone() {
        MessageKey twice = key();
        MessageKey other = key();
        boolean claimed = db.inJdbcTransaction(c -> KeyClaims.claimAll(c, List.of(other, twice, twice)));
        assertFalse(claimed);
        int stored = db.inJdbcTransaction(c -> claimsOf(c, List.of(other, twice)));
        assertEquals(0, stored);
    }

    @Test
    void aKeyClaimedByAnOpenTransactionMakesTheBatchWait() throws Exception {
        MessageKey busy = key();
        List<MessageKey> batch = List.of(key(), busy);
        try (Connection first = db.dataSource().getConnection(); Connection second = db.dataSource().getConnection()) {
            assertTrue(KeyClaims.claimAll(first, List.of(busy)));
            try (Statement st = second.createStatement()) {
                st.execute("SET SESSION innodb_lock_wait_timeout = 1");
            }
            SQLException waited = assertThrows(SQLException.class, () -> KeyClaims.claimAll(second, batch),
                    "neither claimed nor refused before the first transaction ends");
            assertTrue(waited.getMessage().toLowerCase(Locale.ROOT).contains("lock wait timeout"), waited.getMessage());
            second.rollback();
            first.commit();
            assertFalse(KeyClaims.claimAll(second, batch), "taken once the first committed");
            assertEquals(1, claimsOf(second, batch));
            second.rollback();
        }
    }
}
