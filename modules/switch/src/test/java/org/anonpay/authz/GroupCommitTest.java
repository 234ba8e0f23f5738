// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.hibernate.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Group commit on a real MariaDB: members share one commit, a failed member is undone alone, a broken group commits nothing. */
class GroupCommitTest {

    /** Not the common pool: it may have one thread on a 2-core machine, and these tasks block. */
    private static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();
    private static Database db;
    private GroupCommit groups;

    @BeforeAll
    static void open() {
        db = TestMariaDb.freshDatabase("group_commit");
        execute("CREATE TABLE probe (id INT PRIMARY KEY)");
    }

    @AfterAll
    static void close() {
        if (db != null) db.close();
    }

    @BeforeEach
    void fresh() {
        execute("DELETE FROM probe");
        // groups never close for age here (one minute), so that the tests decide who shares a group
        groups = new GroupCommit(db::sessionFactory, 32, 60_000_000);
    }

    private static void execute(String sql) {
        db.inTransaction(s -> s.doReturningWork(c -> c.createStatement().execute(sql)));
    }

    private static void insert(Session session, int id) {
        session.doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO probe (id) VALUES (?)")) {
                ps.setInt(1, id);
                ps.executeUpdate();
            }
        });
    }

    private static List<Integer> committedIds() {
        return db.inTransaction(s -> s.doReturningWork(c -> {
            List<Integer> ids = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery("SELECT id FROM probe ORDER BY id")) {
                while (rs.next()) ids.add(rs.getInt(1));
            }
            return ids;
        }));
    }

    /** Waits until another thread is queued for the turn (it is then sure to find the group still open). */
    private void awaitWaiter() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!groups.someoneWaiting()) {
            assertTrue(System.nanoTime() < deadline, "nobody queued for the turn");
            Thread.sleep(1);
        }
    }

    @Test
    void aLoneMessageIsCommittedAtOnce() throws Exception {
        GroupCommit.Turn turn = groups.enter();
        insert(turn.session(), 1);
        assertTrue(turn.leaveAndAwaitCommit());
        assertEquals(List.of(1), committedIds());
        assertEquals(1, groups.groupsCommitted());
    }

    @Test
    void messagesThatQueueShareOneCommitAndAllAreDurable() throws Exception {
        int threads = 8;
        int perThread = 40;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * 1_000;
                results.add(pool.submit(() -> {
                    boolean all = true;
                    for (int i = 0; i < perThread; i++) {
                        GroupCommit.Turn turn = groups.enter();
                        insert(turn.session(), base + i);
                        Thread.sleep(0, 200_000); // some work under the turn, so that others queue behind it
                        all &= turn.leaveAndAwaitCommit();
                    }
                    return all;
                }));
            }
            for (Future<Boolean> r : results) assertTrue(r.get(60, TimeUnit.SECONDS));
        }
        assertEquals(threads * perThread, committedIds().size());
        assertEquals(threads * perThread, groups.messagesCommitted());
        assertTrue(groups.groupsCommitted() < threads * perThread,
                "queued messages were grouped: " + groups.groupsCommitted() + " commits for " + threads * perThread);
    }

    @Test
    void aFailedMemberIsUndoneAloneAndTheGroupGoesOn() throws Exception {
        GroupCommit.Turn first = groups.enter();
        insert(first.session(), 1);
        CompletableFuture<GroupCommit.Turn> second = CompletableFuture.supplyAsync(() -> enterQuietly(), THREADS);
        awaitWaiter();
        CompletableFuture<Boolean> firstCommitted = CompletableFuture.supplyAsync(() -> leaveQuietly(first), THREADS);
        GroupCommit.Turn failing = second.get(10, TimeUnit.SECONDS);
        insert(failing.session(), 2);
        failing.leaveUndone();
        failing.leaveUndone(); // twice: a no-op
        assertTrue(firstCommitted.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(1), committedIds());
    }

    @Test
    void aBrokenGroupCommitsNothingAndTellsEveryMember() throws Exception {
        GroupCommit.Turn first = groups.enter();
        insert(first.session(), 1);
        CompletableFuture<GroupCommit.Turn> second = CompletableFuture.supplyAsync(() -> enterQuietly(), THREADS);
        awaitWaiter();
        CompletableFuture<Boolean> firstCommitted = CompletableFuture.supplyAsync(() -> leaveQuietly(first), THREADS);
        GroupCommit.Turn breaking = second.get(10, TimeUnit.SECONDS);
        insert(breaking.session(), 2);
        // as after a deadlock: the server rolled back the whole transaction, savepoints included
        breaking.session().doWork(c -> c.createStatement().execute("ROLLBACK"));
        breaking.leaveUndone();
        assertFalse(firstCommitted.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(), committedIds());
        GroupCommit.Turn after = groups.enter();
        insert(after.session(), 3);
        assertTrue(after.leaveAndAwaitCommit(), "the next group starts afresh");
        assertEquals(List.of(3), committedIds());
    }

    @Test
    void aGroupPastItsAgeClosesThoughSomeoneWaits() throws Exception {
        groups = new GroupCommit(db::sessionFactory, 32, 0);
        GroupCommit.Turn first = groups.enter();
        insert(first.session(), 1);
        CompletableFuture<GroupCommit.Turn> second = CompletableFuture.supplyAsync(() -> enterQuietly(), THREADS);
        awaitWaiter();
        assertTrue(first.leaveAndAwaitCommit(), "committed without waiting for the next message");
        assertEquals(List.of(1), committedIds());
        GroupCommit.Turn next = second.get(10, TimeUnit.SECONDS);
        insert(next.session(), 2);
        next.leaveUndone();
        assertEquals(List.of(1), committedIds());
    }

    @Test
    void aFailedFirstMemberLeavesNothingBehind() throws Exception {
        GroupCommit.Turn turn = groups.enter();
        insert(turn.session(), 1);
        turn.leaveUndone();
        GroupCommit.Turn next = groups.enter();
        insert(next.session(), 2);
        assertTrue(next.leaveAndAwaitCommit());
        assertEquals(List.of(2), committedIds());
    }

    private GroupCommit.Turn enterQuietly() {
        try {
            return groups.enter();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean leaveQuietly(GroupCommit.Turn turn) {
        try {
            return turn.leaveAndAwaitCommit();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
