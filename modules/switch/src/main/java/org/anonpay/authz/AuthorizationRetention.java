// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.anonpay.db.Database;

/**
 * Deletes what the authorization host needs only for a while, so that its tables do not grow with
 * every message for ever (run daily by the settlement service, after expiry; docs/settlement.md):
 * <ul>
 *   <li><b>Key claims</b> ({@code authz_key_claim}): every claimed message writes one, and an
 *       ORIGINAL claim matters only while its message and a twin (a repeat sent before the answer)
 *       may run at once. Its message is journaled in the same transaction, so once the claim is
 *       old the journal's unique key speaks for it: DetectDuplicate looks a repeat-flagged message
 *       (MTI ending in 1) up in the journal and answers it from there; an unflagged one fails on the
 *       journal's unique key, moves nothing, and SendResponse's abort answers it from the journal too
 *       (96 when its content differs: a clash). EARLY_REVERSAL claims are never purged: they
 *       decline an original that arrives after its reversal, however late.</li>
 *   <li><b>Days' spending</b> ({@code card_day_spending}): the daily limits read only the message's
 *       own business date; earlier days are history that nothing reads.</li>
 * </ul>
 * Each chunk is a short transaction of its own (the host keeps authorizing meanwhile), and every
 * chunk's figures go to {@code progress} as a line, as a long job's should.
 */
public final class AuthorizationRetention {

    /** Journal rows walked, or card ids swept, per transaction. */
    public static final int DEFAULT_CHUNK_ROWS = 500;
    /** Key claims of messages journaled this many days ago and more go (the daily job's and the ops command's default). */
    public static final int DEFAULT_KEY_CLAIMS_DAYS = 3;
    /** Days' spending of business dates this many days back and more goes. */
    public static final int DEFAULT_DAY_SPENDING_DAYS = 7;
    /** A progress line every this many transactions (and one at the end). */
    private static final int PROGRESS_EVERY_CHUNKS = 20;
    private static final String KEY_CLAIMS_MARK = "key-claims";

    /** What one run deleted. */
    public record Purged(long keyClaims, long journalRowsWalked, long daySpendingRows) {}

    private final Database db;
    private final int chunkRows;
    private final Consumer<String> progress;

    public AuthorizationRetention(Database db, int chunkRows, Consumer<String> progress) {
        if (chunkRows < 1) throw new IllegalArgumentException("chunk rows must be at least 1: " + chunkRows);
        this.db = db;
        this.chunkRows = chunkRows;
        this.progress = progress;
    }

    /**
     * Both purges, keeping the key claims of the last {@code keyClaimsDays} days before {@code now}
     * and the days' spending of the last {@code daySpendingDays} business dates before {@code businessToday}.
     */
    public Purged runKeeping(int keyClaimsDays, int daySpendingDays, Instant now, LocalDate businessToday) {
        if (keyClaimsDays < 1 || daySpendingDays < 1) {
            throw new IllegalArgumentException("keep at least one day: key claims " + keyClaimsDays + ", days' spending " + daySpendingDays);
        }
        return run(now.minus(java.time.Duration.ofDays(keyClaimsDays)), businessToday.minusDays(daySpendingDays));
    }

    /** Both purges: claims of messages journaled before {@code claimsBefore}, spending of days before {@code firstDayKept}. */
    public Purged run(Instant claimsBefore, LocalDate firstDayKept) {
        ClaimsPurged claims = purgeKeyClaims(claimsBefore);
        long days = purgeDaySpending(firstDayKept);
        return new Purged(claims.purged(), claims.walked(), days);
    }

    record ClaimsPurged(long purged, long walked) {}

    /**
     * Walks the journal from where the last run stopped, in id order, and deletes the ORIGINAL claims
     * of the rows journaled before {@code before}; stops at the first row that is not. Ids grow with
     * time, so every row behind the mark is older than any that run still: none is skipped.
     */
    ClaimsPurged purgeKeyClaims(Instant before) {
        long purged = 0;
        long walked = 0;
        for (int chunk = 1; ; chunk++) {
            ClaimsChunk done = db.inJdbcTransaction(c -> purgeNextClaims(c, before));
            purged += done.purged();
            walked += done.walked();
            if (done.walked() > 0 && (chunk % PROGRESS_EVERY_CHUNKS == 0 || !done.more())) {
                progress.accept(String.format("retention: key claims: chunk %d, %,d journal rows walked (to id %d), %,d claims purged",
                        chunk, walked, done.lastJournalId(), purged));
            }
            if (!done.more()) break;
        }
        progress.accept(String.format("retention: key claims of messages before %s: %,d purged, %,d journal rows walked", before, purged, walked));
        return new ClaimsPurged(purged, walked);
    }

    private record ClaimsChunk(long walked, long purged, long lastJournalId, boolean more) {}

    private ClaimsChunk purgeNextClaims(Connection c, Instant before) throws SQLException {
        // locked: two hosts' runs at once take turns, and neither walks what the other purged
        long mark = lockMark(c);
        List<JournalStore.JournaledKey> rows = JournalStore.keysAfter(c, mark, chunkRows);
        List<MessageKey> old = new ArrayList<>(rows.size());
        long last = mark;
        for (JournalStore.JournaledKey row : rows) {
            if (!row.createdAt().isBefore(before)) return finish(c, old, last, false);
            old.add(row.key());
            last = row.id();
        }
        return finish(c, old, last, rows.size() == chunkRows);
    }

    private ClaimsChunk finish(Connection c, List<MessageKey> old, long last, boolean more) throws SQLException {
        int purged = KeyClaims.purgeOriginals(c, old);
        if (!old.isEmpty()) moveMark(c, last);
        return new ClaimsChunk(old.size(), purged, last, more);
    }

    private static long lockMark(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT last_journal_id FROM authz_retention_mark WHERE name = ? FOR UPDATE")) {
            ps.setString(1, KEY_CLAIMS_MARK);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new IllegalStateException("no " + KEY_CLAIMS_MARK + " row in authz_retention_mark (migration V35)");
                return rs.getLong(1);
            }
        }
    }

    private static void moveMark(Connection c, long lastJournalId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE authz_retention_mark SET last_journal_id = ? WHERE name = ?")) {
            ps.setLong(1, lastJournalId);
            ps.setString(2, KEY_CLAIMS_MARK);
            ps.executeUpdate();
        }
    }

    /** Deletes every card's spending of business dates before {@code firstKept}, {@code chunkRows} card ids at a time. */
    long purgeDaySpending(LocalDate firstKept) {
        long lastCard = db.inJdbcTransaction(DaySpending::lastCardId);
        long purged = 0;
        int sweep = 0;
        for (long first = 0; first <= lastCard; first += chunkRows) {
            long from = first;
            purged += db.inJdbcTransaction(c -> DaySpending.purge(c, from, from + chunkRows, firstKept));
            long end = Math.min(from + chunkRows, lastCard + 1);
            if (++sweep % PROGRESS_EVERY_CHUNKS == 0 || end > lastCard) {
                progress.accept(String.format("retention: days' spending: cards to id %d of %d swept, %,d rows purged", end - 1, lastCard, purged));
            }
        }
        progress.accept(String.format("retention: days' spending before %s: %,d rows purged", firstKept, purged));
        return purged;
    }
}
