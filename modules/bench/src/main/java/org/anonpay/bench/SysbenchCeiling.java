// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database ceiling: sysbench oltp_update_non_index against the host's own MariaDB (same
 * server, same settings, innodb_flush_log_at_trx_commit=1), threads = connections: each event is
 * one UPDATE of one row by primary key in autocommit, i.e. one durable single-row commit.
 */
final class SysbenchCeiling {
    static final String DATABASE = "sbtest";
    static final int TABLE_ROWS = 100_000;
    private static final Pattern TRANSACTIONS = Pattern.compile("transactions:\\s+\\d+\\s+\\(([0-9.]+) per sec\\.\\)");
    private static final Pattern P99 = Pattern.compile("99th percentile:\\s+([0-9.]+)");
    private static final Pattern ERRORS = Pattern.compile("ignored errors:\\s+(\\d+)");
    /** The settings that decide what a commit costs. */
    static final List<String> DURABILITY_VARIABLES = List.of("innodb_flush_log_at_trx_commit", "sync_binlog", "log_bin",
            "innodb_doublewrite", "innodb_flush_method", "innodb_buffer_pool_size", "version");

    /** Commits per second, their p99 in ms, and the database server's CPU while it ran. */
    record Result(double transactionsPerSecond, double p99Millis, long ignoredErrors, double dbCores) {}

    private SysbenchCeiling() {}

    static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "sysbench"))) return true;
        }
        return false;
    }

    /** The server's durability settings (SHOW VARIABLES), for the summary. */
    static Map<String, String> durability(String jdbcUrl) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "root", ""); Statement s = c.createStatement()) {
            for (String name : DURABILITY_VARIABLES) {
                try (ResultSet rs = s.executeQuery("SHOW VARIABLES LIKE '" + name + "'")) {
                    values.put(name, rs.next() ? rs.getString(2) : "(none)");
                }
            }
        }
        return values;
    }

    static Result measure(HostRun host, int threads, Duration warmup, Duration measured) throws Exception {
        try (Connection c = DriverManager.getConnection(host.jdbcUrl("anonpay"), "root", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE);
            s.execute("CREATE DATABASE " + DATABASE);
        }
        Path log = host.work().resolve("sysbench.out");
        sysbench(host, log, List.of("--threads=" + Math.min(threads, 8), "prepare"));
        // sysbench 1.0 (Debian's) has no --warmup-time: a run of its own warms the server up
        if (!warmup.isZero()) sysbench(host, log, List.of("--threads=" + threads, "--time=" + warmup.toSeconds(), "run"));
        long dbPid = host.databasePid();
        long start = System.nanoTime();
        var before = CpuMeter.ticks(dbPid);
        String output = sysbench(host, log, List.of("--threads=" + threads, "--time=" + measured.toSeconds(),
                "--percentile=99", "--report-interval=0", "run"));
        double cores = CpuMeter.cores(before, CpuMeter.ticks(dbPid), (System.nanoTime() - start) / 1e9);
        sysbench(host, log, List.of("cleanup"));
        return new Result(number(TRANSACTIONS, output).orElseThrow(() -> new IllegalStateException("no sysbench result; see " + log)),
                number(P99, output).orElse(Double.NaN), (long) (double) number(ERRORS, output).orElse(0.0), cores);
    }

    private static String sysbench(HostRun host, Path log, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sysbench", "oltp_update_non_index", "--db-driver=mysql",
                "--mysql-host=127.0.0.1", "--mysql-port=" + host.dbPort(), "--mysql-user=root", "--mysql-password=",
                "--mysql-db=" + DATABASE, "--tables=1", "--table-size=" + TABLE_ROWS));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        int exit = p.waitFor();
        Files.writeString(log, "$ " + String.join(" ", command) + "\n" + output, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        if (exit != 0) throw new IllegalStateException("sysbench " + args.getLast() + " failed (exit " + exit + "); see " + log);
        return output;
    }

    private static Optional<Double> number(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
    }
}
