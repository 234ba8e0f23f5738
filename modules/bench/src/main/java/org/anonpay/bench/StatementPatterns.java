// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * What the database alone can do for one purchase, by the way its statements are sent: the same
 * server and durability as the host run, the host's own tables (copied empty into a database of
 * their own, with the card accounts), no host in the way. It answers the question the ceilings
 * leave open: how far can batching take the database side? Each pattern books purchases of 100
 * on random card accounts:
 *
 * <ul>
 *   <li>{@code one-by-one}: what a purchase costs the host now, one round trip per statement: the
 *       key claim, the card's locking read, the day's spending, the account's locking read, the
 *       transfer, the account update, the journal row, the day's spending added to, the commit;
 *   <li>{@code packed}: the same nine statements in two round trips (multi-statement text): what
 *       fewer round trips alone would save;
 *   <li>{@code batched-writes}: the reads per purchase, the writes of a group multi-row, one commit
 *       per group: group commit with deferred writes;
 *   <li>{@code batched}: everything per group: one locking read of the group's accounts, one
 *       spending read, multi-row claims, transfers, journal, one update, one commit.
 * </ul>
 */
final class StatementPatterns {
    static final String DATABASE = "patterns";
    static final int GROUP_SIZE = 16;
    private static final List<String> TABLES = List.of("authz_key_claim", "ledger_account", "ledger_transfer", "authz_journal", "card_day_spending");
    private static final String CLAIM = "INSERT INTO authz_key_claim (acquirer_id, terminal_id, stan, transmission_time, mti_class, kind)"
            + " VALUES ('1', ?, ?, ?, '020', 'ORIGINAL')";
    private static final String LOCK = "SELECT debits_posted, credits_posted, debits_pending, credits_pending FROM ledger_account WHERE id = ? FOR UPDATE";
    private static final String SPENT = "SELECT spent FROM card_day_spending WHERE card_id = ? AND business_date = '2026-01-01'";
    private static final String ADD_SPENT = "INSERT INTO card_day_spending (card_id, business_date, spent) VALUES (?, '2026-01-01', 100)"
            + " ON DUPLICATE KEY UPDATE spent = spent + VALUES(spent)";
    private static final String TRANSFER = "INSERT INTO ledger_transfer (id, kind, debit_account_id, credit_account_id, amount, pending_id,"
            + " code, reference, state, created_at) VALUES (?, 'SINGLE_PHASE', ?, ?, 100, NULL, 'PURCHASE', 'pattern', NULL, UTC_TIMESTAMP(6))";
    private static final String UPDATE = "UPDATE ledger_account SET debits_posted = debits_posted + 100 WHERE id = ?";
    private static final String JOURNAL = "INSERT INTO authz_journal (mti, mti_class, txn_type, processing_code, acquirer_id, terminal_id,"
            + " merchant_id, merchant_name, stan, transmission_time, rrn, request_fingerprint, card_id, pan_masked, amount, currency,"
            + " business_date, response_code, approval_code, card_transfer_id, card_amount, duration_micros) VALUES ('0200', '020',"
            + " 'PURCHASE', '000000', '1', ?, 'MERCHANT0000001', 'Pattern shop', ?, ?, '000000000001', ?, ?, '941099******0000', 100,"
            + " 'KRW', '2026-01-01', '00', '000001', ?, 100, 1000)";

    /** The host's Connector/J settings (DatabaseService), and multi-statements for {@code packed}. */
    private static final String DRIVER_SETTINGS = "useServerPrepStmts=true&cachePrepStmts=true&prepStmtCacheSize=512&prepStmtCacheSqlLimit=4096"
            + "&rewriteBatchedStatements=true&useLocalSessionState=true&elideSetAutoCommits=true&allowMultiQueries=true";

    enum Pattern {
        ONE_BY_ONE("one-by-one", 8, 1), PACKED("packed", 8, 1), BATCHED_WRITES("batched-writes", 4, GROUP_SIZE), BATCHED("batched", 4, GROUP_SIZE);

        final String label;
        final int threads;
        final int purchasesPerTransaction;

        Pattern(String label, int threads, int purchasesPerTransaction) {
            this.label = label;
            this.threads = threads;
            this.purchasesPerTransaction = purchasesPerTransaction;
        }
    }

    /** Purchases per second, the database server's and this process's CPU per purchase, statements per purchase. */
    record Result(Pattern pattern, double purchasesPerSecond, double dbMicrosPerPurchase, double clientMicrosPerPurchase,
            double statementsPerPurchase) {}

    private final String jdbcUrl;
    private final long merchantAccount;
    private final long firstCardAccount;
    private final long lastCardAccount;
    private final AtomicLong stans = new AtomicLong();

    private StatementPatterns(String jdbcUrl, long merchantAccount, long firstCardAccount, long lastCardAccount) {
        this.jdbcUrl = jdbcUrl;
        this.merchantAccount = merchantAccount;
        this.firstCardAccount = firstCardAccount;
        this.lastCardAccount = lastCardAccount;
    }

    /** Copies the tables' definitions and the accounts from {@code source} into {@link #DATABASE}; then each pattern in turn. */
    static List<Result> measure(HostRun host, String source, Duration warmup, Duration measured) throws Exception {
        String url = host.jdbcUrl(DATABASE) + "&" + DRIVER_SETTINGS;
        StatementPatterns patterns = prepare(host.jdbcUrl(source), url, source);
        List<Result> results = new ArrayList<>();
        for (Pattern p : Pattern.values()) results.add(patterns.run(p, host.databasePid(), warmup, measured));
        return results;
    }

    private static StatementPatterns prepare(String sourceUrl, String url, String source) throws SQLException {
        try (Connection c = DriverManager.getConnection(sourceUrl, "root", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE);
            s.execute("CREATE DATABASE " + DATABASE);
            for (String table : TABLES) s.execute("CREATE TABLE " + DATABASE + "." + table + " LIKE " + source + "." + table);
            s.execute("INSERT INTO " + DATABASE + ".ledger_account SELECT * FROM " + source + ".ledger_account");
            try (ResultSet rs = s.executeQuery("SELECT MIN(id), MAX(id) FROM " + DATABASE + ".ledger_account WHERE kind = 'CARD_PREPAID'")) {
                rs.next();
                long first = rs.getLong(1);
                long last = rs.getLong(2);
                try (ResultSet m = s.executeQuery("SELECT MIN(id) FROM " + DATABASE + ".ledger_account WHERE kind <> 'CARD_PREPAID'")) {
                    m.next();
                    return new StatementPatterns(url, m.getLong(1), first, last);
                }
            }
        }
    }

    private Result run(Pattern pattern, long dbPid, Duration warmup, Duration measured) throws InterruptedException, SQLException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<SQLException> failure = new AtomicReference<>();
        AtomicLong purchases = new AtomicLong();
        AtomicLong statements = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < pattern.threads; i++) {
            String terminal = String.format("PAT%s%02d", pattern.ordinal(), i);
            threads.add(Thread.ofPlatform().name("pattern-" + pattern.label + "-" + i).start(() -> {
                try {
                    loop(pattern, terminal, stop, measuring, purchases, statements);
                } catch (SQLException e) {
                    failure.compareAndSet(null, e);
                    stop.set(true);
                }
            }));
        }
        sleep(warmup);
        OptionalLong db0 = CpuMeter.ticks(dbPid);
        OptionalLong self0 = CpuMeter.ticks(ProcessHandle.current().pid());
        long t0 = System.nanoTime();
        measuring.set(true);
        sleep(measured);
        measuring.set(false);
        double seconds = (System.nanoTime() - t0) / 1e9;
        OptionalLong db1 = CpuMeter.ticks(dbPid);
        OptionalLong self1 = CpuMeter.ticks(ProcessHandle.current().pid());
        stop.set(true);
        for (Thread t : threads) t.join();
        // a connection that failed would leave the others' figures looking like the pattern's
        if (failure.get() != null) throw failure.get();
        long n = Math.max(1, purchases.get());
        return new Result(pattern, n / seconds, micros(CpuMeter.cores(db0, db1, seconds), seconds, n),
                micros(CpuMeter.cores(self0, self1, seconds), seconds, n), (double) statements.get() / n);
    }

    private static double micros(double cores, double seconds, long purchases) {
        return cores * seconds * 1e6 / purchases;
    }

    private void loop(Pattern pattern, String terminal, AtomicBoolean stop, AtomicBoolean measuring, AtomicLong purchases, AtomicLong statements)
            throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "root", "")) {
            c.setAutoCommit(false);
            while (!stop.get()) {
                int sent = switch (pattern) {
                    case ONE_BY_ONE -> oneByOne(c, terminal);
                    case PACKED -> packed(c, terminal);
                    case BATCHED_WRITES -> batchedWrites(c, terminal);
                    case BATCHED -> batched(c, terminal);
                };
                if (measuring.get()) {
                    purchases.addAndGet(pattern.purchasesPerTransaction);
                    statements.addAndGet(sent);
                }
            }
        }
    }

    /** One purchase; returns the statements sent. */
    private int oneByOne(Connection c, String terminal) throws SQLException {
        Purchase p = nextPurchase(terminal);
        update(c, CLAIM, p.terminal, p.stan, p.time);
        query(c, LOCK, p.account);
        query(c, SPENT, p.account);
        query(c, LOCK, p.account);
        update(c, TRANSFER, p.transferId, p.account, merchantAccount);
        update(c, UPDATE, p.account);
        update(c, JOURNAL, p.terminal, p.stan, p.time, new byte[32], p.account, p.transferId);
        update(c, ADD_SPENT, p.account);
        c.commit();
        return 9;
    }

    /** The same statements: claim and reads in one round trip, the writes and the commit in another. */
    private int packed(Connection c, String terminal) throws SQLException {
        Purchase p = nextPurchase(terminal);
        var client = c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class);
        try (PreparedStatement ps = client.clientPrepareStatement(String.join(";", CLAIM, LOCK, SPENT, LOCK))) {
            bind(ps, p.terminal, p.stan, p.time, p.account, p.account, p.account);
            drain(ps);
        }
        try (PreparedStatement ps = client.clientPrepareStatement(String.join(";", TRANSFER, UPDATE, JOURNAL, ADD_SPENT, "COMMIT"))) {
            bind(ps, p.transferId, p.account, merchantAccount, p.account, p.terminal, p.stan, p.time, new byte[32], p.account, p.transferId, p.account);
            drain(ps);
        }
        return 9;
    }

    /** A group: each purchase's claim and reads at once; the group's writes multi-row; one commit. */
    private int batchedWrites(Connection c, String terminal) throws SQLException {
        List<Purchase> group = nextGroup(terminal);
        for (Purchase p : group) {
            update(c, CLAIM, p.terminal, p.stan, p.time);
            query(c, LOCK, p.account);
            query(c, SPENT, p.account);
            query(c, LOCK, p.account);
        }
        writeGroup(c, group, false);
        c.commit();
        return 4 * group.size() + 5;
    }

    /** A group: one locking read, one spending read, the writes multi-row, one commit. */
    private int batched(Connection c, String terminal) throws SQLException {
        List<Purchase> group = nextGroup(terminal);
        String in = "?" + ",?".repeat(group.size() - 1);
        Object[] accounts = group.stream().map(p -> (Object) p.account).toArray();
        query(c, "SELECT id, debits_posted, credits_posted, debits_pending, credits_pending FROM ledger_account WHERE id IN (" + in
                + ") ORDER BY id FOR UPDATE", accounts);
        query(c, "SELECT card_id, spent FROM card_day_spending WHERE business_date = '2026-01-01' AND card_id IN (" + in + ")", accounts);
        writeGroup(c, group, true);
        c.commit();
        return 8;
    }

    /** Claims (when {@code claims}), transfers, journal rows and day's spending as multi-row inserts; the accounts in one update. */
    private void writeGroup(Connection c, List<Purchase> group, boolean claims) throws SQLException {
        if (claims) batch(c, CLAIM, group, p -> new Object[] {p.terminal, p.stan, p.time});
        batch(c, TRANSFER, group, p -> new Object[] {p.transferId, p.account, merchantAccount});
        StringBuilder sql = new StringBuilder("UPDATE ledger_account SET debits_posted = debits_posted + CASE id");
        for (int i = 0; i < group.size(); i++) sql.append(" WHEN ? THEN 100");
        sql.append(" END WHERE id IN (?").append(",?".repeat(group.size() - 1)).append(")");
        Object[] ids = new Object[group.size() * 2];
        for (int i = 0; i < group.size(); i++) ids[i] = ids[group.size() + i] = group.get(i).account;
        update(c, sql.toString(), ids);
        batch(c, JOURNAL, group, p -> new Object[] {p.terminal, p.stan, p.time, new byte[32], p.account, p.transferId});
        batch(c, ADD_SPENT, group, p -> new Object[] {p.account});
    }

    private record Purchase(String terminal, String stan, String time, long account, byte[] transferId) {}

    private Purchase nextPurchase(String terminal) {
        return purchase(terminal, randomCardAccount());
    }

    /** Distinct accounts in ascending order, as a batching host would lock them (no deadlocks between groups). */
    private List<Purchase> nextGroup(String terminal) {
        TreeSet<Long> accounts = new TreeSet<>();
        while (accounts.size() < GROUP_SIZE) accounts.add(randomCardAccount());
        return accounts.stream().map(a -> purchase(terminal, a)).toList();
    }

    private long randomCardAccount() {
        return firstCardAccount + ThreadLocalRandom.current().nextLong(lastCardAccount - firstCardAccount + 1);
    }

    private Purchase purchase(String terminal, long account) {
        long n = stans.incrementAndGet();
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        return new Purchase(terminal, String.format("%06d", n % 1_000_000), String.format("%010d", n / 1_000_000), account, id);
    }

    private static void update(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, values);
            ps.executeUpdate();
        }
    }

    private static void query(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, values);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getLong(1);
                }
            }
        }
    }

    private static void batch(Connection c, String sql, List<Purchase> group, java.util.function.Function<Purchase, Object[]> values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Purchase p : group) {
                bind(ps, values.apply(p));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void bind(PreparedStatement ps, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) ps.setObject(i + 1, values[i]);
    }

    /** Reads every result of a multi-statement execution. */
    private static void drain(PreparedStatement ps) throws SQLException {
        boolean resultSet = ps.execute();
        while (resultSet || ps.getUpdateCount() != -1) {
            if (resultSet) {
                try (ResultSet rs = ps.getResultSet()) {
                    while (rs.next()) {
                        rs.getLong(1);
                    }
                }
            }
            resultSet = ps.getMoreResults();
        }
    }

    private static void sleep(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        long wait;
        while ((wait = end - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
    }
}
