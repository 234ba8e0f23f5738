// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import java.sql.Savepoint;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.hibernate.Session;
import org.hibernate.SessionFactory;

/**
 * Group commit (issue 6): the messages that reach the database one right after another share one
 * database transaction, committed once for all of them, and each is answered only after that
 * commit. Durability is unchanged (an approval is still on disk before its answer); what is saved
 * is the commit's work and log flush per message, and the connection and session per message.
 *
 * <h2>How a group forms</h2>
 * One message at a time holds the <em>turn</em>: it does all its database work (the participants
 * from OpenTransaction to WriteJournal) in the open group's transaction, behind a savepoint of its
 * own, then leaves. Leaving closes the group when nobody waits for the turn, when the group has
 * {@code maxMessages} members, or when it is {@code maxOpenMicros} old; the message that closes
 * it commits it (after releasing the turn, so that the next group fills while this one is written)
 * and wakes the other members. Under light load a group is one message, with no added wait; under
 * load the groups grow by themselves. A group that commits while the next one runs holds its row
 * locks until then: the next one waits for them, never the other way round, so groups cannot
 * deadlock each other.
 *
 * <h2>Failures</h2>
 * A message that fails before leaving is rolled back to its savepoint and leaves as a non-member:
 * the group goes on without it. If even that rollback fails (after a deadlock InnoDB has rolled
 * back the whole transaction and the savepoint is gone) the group is broken: it is closed at once
 * and rolled back, and every member learns that its work was not committed (answered 96). A failed
 * commit is the same.
 */
public final class GroupCommit {

    private final Supplier<SessionFactory> sessions;
    private final int maxMessages;
    private final long maxOpenNanos;
    /** Fair, so that messages get the turn in the order they asked for it. */
    private final Semaphore turn = new Semaphore(1, true);
    /** The group now filling; read and written only by the holder of the turn. */
    private Group open;
    private final java.util.concurrent.atomic.AtomicLong groupsCommitted = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong messagesCommitted = new java.util.concurrent.atomic.AtomicLong();

    public GroupCommit(Supplier<SessionFactory> sessions, int maxMessages, long maxOpenMicros) {
        if (maxMessages < 1) throw new IllegalArgumentException("group size must be >= 1: " + maxMessages);
        if (maxOpenMicros < 0) throw new IllegalArgumentException("group age must be >= 0: " + maxOpenMicros);
        this.sessions = sessions;
        this.maxMessages = maxMessages;
        this.maxOpenNanos = maxOpenMicros * 1_000;
    }

    /** Groups committed so far (with {@link #messagesCommitted}: the mean group size). */
    public long groupsCommitted() {
        return groupsCommitted.get();
    }

    public long messagesCommitted() {
        return messagesCommitted.get();
    }

    /** Whether a message waits for the turn now. */
    public boolean someoneWaiting() {
        return turn.hasQueuedThreads();
    }

    /** Waits for the turn and starts this message's work in the open group (a new one if none). */
    public Turn enter() throws InterruptedException {
        turn.acquire();
        try {
            if (open == null) open = new Group(sessions.get().openSession());
            // the first member needs no savepoint: its failure rolls back the whole (empty) group
            return new Turn(open, open.members == 0 ? null : open.savepoint());
        } catch (RuntimeException | Error e) {
            closeAfterFailure();
            throw e;
        }
    }

    /** A group whose session or savepoint could not even be made: nobody may use it any more. */
    private void closeAfterFailure() {
        Group failed = open;
        if (failed != null) failed.broken = true;
        open = null;
        turn.release();
        if (failed != null) failed.finish();
    }

    /** Closes the open group now or leaves it open for the next message, then gives the turn on. */
    private void release(Group group) {
        assert group == open : "only the holder of the turn releases it";
        boolean close = group.broken || group.members >= maxMessages || !turn.hasQueuedThreads()
                || System.nanoTime() - group.openedNanos >= maxOpenNanos;
        if (close) open = null;
        turn.release();
        if (close && group.finish()) {
            groupsCommitted.incrementAndGet();
            messagesCommitted.addAndGet(group.members);
        }
    }

    /** One message's place in a group, from {@link #enter} until it leaves; leaving twice is a no-op. */
    public final class Turn {
        private final Group group;
        private final Savepoint savepoint;
        private boolean left;

        private Turn(Group group, Savepoint savepoint) {
            this.group = group;
            this.savepoint = savepoint;
        }

        /** The session (and transaction) of the group, for this message's work while it holds the turn. */
        public Session session() {
            return group.session;
        }

        /**
         * The message's work is done: it stays in the group, gives the turn on and waits for the
         * group's commit. True when its work is committed, false when the group was rolled back.
         */
        public boolean leaveAndAwaitCommit() throws InterruptedException {
            if (left) throw new IllegalStateException("this message has left its group already");
            // entity changes (e.g. a card's PIN tries) go out while the message still holds the turn:
            // if they fail, it has not left, and its abort undoes it alone (leaveUndone)
            group.session.flush();
            left = true;
            group.session.clear(); // the next message starts from the database, not from this one's entities
            group.members++;
            release(group);
            return group.awaitOutcome();
        }

        /** The message failed while holding the turn: its work is undone and it leaves the group. */
        public void leaveUndone() {
            if (left) return;
            left = true;
            try {
                group.session.clear();
                if (savepoint == null) {
                    group.broken = true; // nothing of anybody else in it: the group ends with this message
                    group.session.getTransaction().rollback();
                } else {
                    group.session.doWork(c -> c.rollback(savepoint));
                }
            } catch (RuntimeException e) {
                group.broken = true; // the savepoint is gone: the whole transaction was rolled back
            }
            release(group);
        }
    }

    /** One database transaction shared by the messages that had the turn while it was open. */
    private static final class Group {
        private final Session session;
        private final long openedNanos = System.nanoTime();
        private final CountDownLatch finished = new CountDownLatch(1);
        private int members;
        private boolean broken;
        private volatile boolean committed;

        private Group(Session session) {
            this.session = session;
            session.beginTransaction();
        }

        private Savepoint savepoint() {
            return session.doReturningWork(c -> c.setSavepoint());
        }

        /** Commits (or, when broken or empty of members, rolls back) and closes; wakes the members. True when committed. */
        private boolean finish() {
            try {
                if (!broken && members > 0) {
                    session.getTransaction().commit();
                    committed = true;
                }
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger("anonpay.authorization").warn("group commit of {} messages failed: {}", members, e.toString(), e);
            } finally {
                try {
                    if (session.getTransaction().isActive()) session.getTransaction().rollback();
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger("anonpay.authorization").warn("group rollback failed: {}", e.toString());
                } finally {
                    session.close();
                    finished.countDown();
                }
            }
            return committed;
        }

        private boolean awaitOutcome() throws InterruptedException {
            finished.await();
            return committed;
        }
    }
}
