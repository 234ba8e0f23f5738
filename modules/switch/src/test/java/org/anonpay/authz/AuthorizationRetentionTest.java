// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicInteger;
import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link AuthorizationRetention} against a real MariaDB: what it purges, what it keeps, and that it walks on from its mark. */
class AuthorizationRetentionTest {

    private static final AtomicInteger STANS = new AtomicInteger(300_000);
    private static final Instant NOW = Instant.now();
    private static final Instant OLD = NOW.minus(Duration.ofDays(5));
    private static final Instant CUTOFF = NOW.minus(Duration.ofDays(3));
    private Database db;
    private final List<String> progress = new ArrayList<>();

    @BeforeEach
    void open() {
        db = TestMariaDb.freshDatabase("retention");
    }

    @AfterEach
    void close() {
        db.close();
    }

    private AuthorizationRetention retention(int chunkRows) {
        return new AuthorizationRetention(db, chunkRows, progress::add);
    }

    /** A message journaled at {@code at} with its key claimed as {@code kind}, as the participants leave it. */
    private MessageKey journaledAndClaimed(Instant at, KeyClaims.Kind kind) {
        MessageKey key = new MessageKey("12345", "TERM0001", String.valueOf(STANS.incrementAndGet()), "1124120000", "020");
        JournalEntry e = new JournalEntry("0200", TransactionType.PURCHASE, key)
                .request("000000", "M1", "R1", new byte[32])
                .money(100, "KRW", LocalDate.of(2026, 11, 24))
                .outcome("00", null, null, null);
        db.inTransaction(s -> {
            KeyClaims.claim(s, key, kind);
            Journal.write(s, e);
            return null;
        });
        db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE authz_journal SET created_at = ? WHERE id = ?")) {
                ps.setTimestamp(1, Timestamp.from(at), Calendar.getInstance(TimeZone.getTimeZone("UTC")));
                ps.setLong(2, e.id());
                return ps.executeUpdate();
            }
        });
        return key;
    }

    private long count(String sql) {
        return db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void theOriginalClaimsOfOldMessagesGoTheRestStay() {
        for (int i = 0; i < 7; i++) journaledAndClaimed(OLD, KeyClaims.Kind.ORIGINAL);
        journaledAndClaimed(OLD, KeyClaims.Kind.EARLY_REVERSAL);
        for (int i = 0; i < 3; i++) journaledAndClaimed(NOW, KeyClaims.Kind.ORIGINAL);

        AuthorizationRetention.ClaimsPurged first = retention(3).purgeKeyClaims(CUTOFF);

        assertEquals(7, first.purged());
        assertEquals(8, first.walked(), "the old rows, the early reversal's included, in chunks of 3; none of the young");
        assertEquals(3, count("SELECT COUNT(*) FROM authz_key_claim WHERE kind = 'ORIGINAL'"), "the young messages' claims");
        assertEquals(1, count("SELECT COUNT(*) FROM authz_key_claim WHERE kind = 'EARLY_REVERSAL'"), "an early reversal's claim, however old");
        assertEquals(11, count("SELECT COUNT(*) FROM authz_journal"), "the journal is never purged");
        assertEquals(count("SELECT MAX(id) FROM authz_journal") - 3, count("SELECT last_journal_id FROM authz_retention_mark"));
        assertTrue(progress.stream().anyMatch(l -> l.contains("chunk 3, 8 journal rows walked") && l.contains("7 claims purged")), progress.toString());
        assertTrue(progress.getLast().contains("7 purged, 8 journal rows walked"), progress.toString());
    }

    @Test
    void aSecondRunWalksOnlyWhatWasJournaledSince() {
        for (int i = 0; i < 4; i++) journaledAndClaimed(OLD, KeyClaims.Kind.ORIGINAL);
        MessageKey young = journaledAndClaimed(NOW, KeyClaims.Kind.ORIGINAL);
        assertEquals(4, retention(500).purgeKeyClaims(CUTOFF).purged());

        AuthorizationRetention.ClaimsPurged again = retention(500).purgeKeyClaims(CUTOFF);
        assertEquals(0, again.purged());
        assertEquals(0, again.walked(), "it starts at its mark, where the young message stopped it");

        // three days on, the young message is old too
        AuthorizationRetention.ClaimsPurged later = retention(500).purgeKeyClaims(NOW.plus(Duration.ofMinutes(1)));
        assertEquals(1, later.purged());
        assertEquals(1, later.walked());
        assertEquals(0, count("SELECT COUNT(*) FROM authz_key_claim WHERE stan = '" + young.stan() + "'"));
    }

    @Test
    void daysSpendingBeforeTheFirstKeptDayGoesForEveryCard() {
        LocalDate today = LocalDate.of(2026, 11, 24);
        db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO card_day_spending (card_id, business_date, spent) VALUES (?, ?, ?)")) {
                // cards 1 … 1,201 (three sweeps of 500 ids), each with 10 days up to today
                for (long card = 1; card <= 1_201; card += 40) {
                    for (int back = 0; back < 10; back++) {
                        ps.setLong(1, card);
                        ps.setObject(2, today.minusDays(back));
                        ps.setLong(3, 100 + back);
                        ps.addBatch();
                    }
                }
                return ps.executeBatch().length;
            }
        });
        long cards = count("SELECT COUNT(DISTINCT card_id) FROM card_day_spending");

        long purged = retention(500).purgeDaySpending(today.minusDays(6));

        assertEquals(cards * 3, purged, "days 7, 8 and 9 back of every card");
        assertEquals(cards * 7, count("SELECT COUNT(*) FROM card_day_spending"));
        assertEquals(0, count("SELECT COUNT(*) FROM card_day_spending WHERE business_date < '2026-11-18'"));
        assertEquals(cards, count("SELECT COUNT(*) FROM card_day_spending WHERE business_date = '2026-11-18'"), "the first day kept");
        assertTrue(progress.getLast().contains("before 2026-11-18: " + cards * 3 + " rows purged"), progress.toString());
    }
}
