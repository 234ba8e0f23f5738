// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.LocalDate;
import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store alone, without the early look-ups of {@link MemberRegistration}: here only the unique
 * keys stand between two members, and a refused insert must leave no half-written member.
 */
class MemberStoreTest {

    private static Database db;
    private static MemberStore store;

    @BeforeAll
    static void open() {
        db = TestMariaDb.freshDatabase("web_store");
        store = new MemberStore(db, Clock.systemUTC());
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static MemberStore.NewMember member(String memberId, String nickname) {
        Registration r = new Registration("홍길동", "HONG GILDONG", "900101-1234568", LocalDate.of(1990, 1, 1), BirthCalendar.SOLAR,
                memberId, "Secret123", 1, "answer", nickname, "a@example.com", "010-1234-5678", StatementChannel.EMAIL);
        return new MemberStore.NewMember(r, "$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA",
                new byte[29], "900101-1******");
    }

    private static long count(String table) {
        return db.inJdbcTransaction(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void uniqueKeysDecideAndRefusalsLeaveNothing() {
        assertEquals(MemberStore.InsertResult.CREATED, store.insert(member("storeA001", "nickA001")));
        long members = count("member"), handles = count("member_handle");

        assertEquals(MemberStore.InsertResult.MEMBER_ID_TAKEN, store.insert(member("STOREA001", "nickA002")));
        assertEquals(MemberStore.InsertResult.NICKNAME_TAKEN, store.insert(member("storeA003", "NICKa001")));
        // the member row itself would fit: only the shared namespace refuses, and the row is rolled back
        assertEquals(MemberStore.InsertResult.MEMBER_ID_TAKEN, store.insert(member("nickA001", "nickA004")));
        assertEquals(MemberStore.InsertResult.NICKNAME_TAKEN, store.insert(member("storeA005", "storeA001")));

        assertEquals(members, count("member"));
        assertEquals(handles, count("member_handle"));
        assertTrue(store.handleTaken("storea001"));
        assertTrue(store.handleTaken("nicka001"));
        assertFalse(store.handleTaken("storea003"));
    }
}
