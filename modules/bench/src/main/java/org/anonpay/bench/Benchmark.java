// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import org.anonpay.db.Database;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark command (issue 6): starts the packaged host on a fresh embedded MariaDB, loads a
 * card population, drives the host over ISO 8583 from N connections with a mix of 0200, 0100/0220
 * and 0200/0400, verifies the ledger afterwards, measures the framework and database ceilings on
 * the same machine, and prints one summary block. Not a test: run it with modules/bench/run.sh.
 */
@Command(name = "anonpay-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Benchmarks the anonpay host over ISO 8583 and prints authorizations/s, latency, CPU, ceilings and a ledger verification.")
public final class Benchmark implements Callable<Integer> {
    static final int VERIFICATION_FAILED = 3;

    @Option(names = "--cards", defaultValue = "100000", description = "funded cards (default ${DEFAULT-VALUE})")
    int cards;
    @Option(names = "--merchants", defaultValue = "1000", description = "merchants (default ${DEFAULT-VALUE})")
    int merchants;
    @Option(names = "--connections", defaultValue = "8", description = "ISO 8583 connections (default ${DEFAULT-VALUE})")
    int connections;
    @Option(names = "--warmup-seconds", defaultValue = "30", description = "warm-up, not measured (default ${DEFAULT-VALUE}: JIT and buffer pool warm; after 10 s the first seconds measured were still slow)")
    int warmupSeconds;
    @Option(names = "--seconds", defaultValue = "60", description = "measured time (default ${DEFAULT-VALUE})")
    int seconds;
    @Option(names = "--hot-share", defaultValue = "0.2", description = "share of draws on the hot cards, and apart on the hot merchants (default ${DEFAULT-VALUE})")
    double hotShare;
    @Option(names = "--hot-cards", defaultValue = "10", description = "hot cards (default ${DEFAULT-VALUE})")
    int hotCards;
    @Option(names = "--hot-merchants", defaultValue = "3", description = "hot merchants (default ${DEFAULT-VALUE})")
    int hotMerchants;
    @Option(names = "--mix", defaultValue = "purchase=70,auth-completion=20,reversal=10",
            description = "scenario weights (default ${DEFAULT-VALUE}); each scenario starts with one 0100 or 0200")
    String mix;
    @Option(names = "--rate", defaultValue = "0",
            description = "0: as fast as possible (closed loop); N: open loop at N authorizations/s, latency from the scheduled time (default ${DEFAULT-VALUE})")
    double rate;
    @Option(names = "--max-in-flight", defaultValue = "1",
            description = "scenarios under way at once per connection, multiplexed (answers matched by STAN) when above 1; open loop: the most, one past it waits, its latency counting; "
                    + "closed loop: that many clients per connection, each sending its next scenario when its last ended (default ${DEFAULT-VALUE})")
    int maxInFlight;
    @Option(names = "--min-amount", defaultValue = "10", description = "smallest amount, KRW (default ${DEFAULT-VALUE})")
    long minAmount;
    @Option(names = "--max-amount", defaultValue = "500", description = "largest amount, KRW (default ${DEFAULT-VALUE})")
    long maxAmount;
    @Option(names = "--timeout-ms", defaultValue = "10000", description = "answer timeout; past it the message counts as an error (default ${DEFAULT-VALUE})")
    long timeoutMs;
    @Option(names = "--skip-ceilings", description = "measure neither the framework nor the database ceiling")
    boolean skipCeilings;
    @Option(names = "--statement-patterns", description = "after the run, measure what the database alone does for a purchase sent statement by statement, packed, and batched (docs/performance.md)")
    boolean statementPatterns;
    @Option(names = "--seed-threads", defaultValue = "0", description = "threads loading the cards (default 0: one per core)")
    int seedThreads;
    @Option(names = "--host-jvm", defaultValue = "-Xms1g -Xmx1g -XX:+UseParallelGC", description = "JVM options of the host and of the echo server (default ${DEFAULT-VALUE}, as bin/anonpay-host)")
    String hostJvm;
    @Option(names = "--jfr", description = "record the host with JFR (settings=profile) over the measured window into WORK/host.jfr")
    boolean jfr;
    @Option(names = "--dist", defaultValue = "modules/host/target/anonpay-host-dist/anonpay", description = "the unpacked host distribution (default ${DEFAULT-VALUE})")
    Path dist;
    @Option(names = "--work", defaultValue = "modules/bench/target/bench-run", description = "working directory, emptied first (default ${DEFAULT-VALUE})")
    Path work;

    private final PrintStream out = System.out;

    public static void main(String[] args) {
        // before anything touches a logger: only warnings from the pool, Flyway and Hibernate
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.hibernate", "error");
        System.setProperty("org.jboss.logging.provider", "slf4j");
        System.exit(new CommandLine(new Benchmark()).setExecutionExceptionHandler(Benchmark::failed).execute(args));
    }

    /** A bad option value (mix, workload) is one line; anything else keeps its stack trace for the report. */
    private static int failed(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        if (e instanceof IllegalArgumentException) {
            cmd.getErr().println("anonpay-bench: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        e.printStackTrace(cmd.getErr());
        return CommandLine.ExitCode.SOFTWARE;
    }

    @Override
    public Integer call() throws Exception {
        if (maxInFlight < 1) throw new IllegalArgumentException("--max-in-flight is at least 1");
        Mix parsedMix = Mix.parse(mix);
        String expiry = Seeder.yymm(YearMonth.now().plusYears(3));
        Workload workload = new Workload(cards, hotCards, merchants, hotMerchants, hotShare, minAmount, maxAmount, expiry);
        if (seedThreads <= 0) seedThreads = Runtime.getRuntime().availableProcessors();
        Report report = new Report(Machine.current(), options(parsedMix));
        out.println("machine: " + report.machine());
        out.println("options: " + report.options());
        runHost(report, workload, parsedMix);
        if (!skipCeilings) measureFramework(report);
        report.print(out);
        return report.verification() != null && report.verification().passed() ? 0 : VERIFICATION_FAILED;
    }

    private void runHost(Report report, Workload workload, Mix parsedMix) throws Exception {
        Path workDir = work.toAbsolutePath().normalize();
        try (HostRun host = HostRun.prepare(dist.toAbsolutePath().normalize(), workDir)) {
            out.println("host: " + host + "; left out of deploy/ (not used by the run): " + String.join(", ", HostRun.DROPPED));
            host.start(jvmOptions());
            out.printf("host: ready (pid %d, mariadbd pid %d)%n", host.pid(), host.databasePid());
            Spending spending = new Spending(cards);
            try (Database db = Database.open(host.database(seedThreads + 2))) {
                Seeder.Population population = new Seeder(db, workDir, out).seed(workload, seedThreads);
                drive(report, host, workload, parsedMix, spending);
                out.println("verify: trial balance and " + cards + " card balances");
                report.verified(Verifier.verify(db, population, spending));
            }
            report.durability(SysbenchCeiling.durability(host.jdbcUrl("anonpay")));
            if (!skipCeilings) measureDatabase(report, host);
            if (statementPatterns) measurePatterns(report, host);
        }
    }

    private void drive(Report report, HostRun host, Workload workload, Mix parsedMix, Spending spending) throws Exception {
        out.printf("drive: %d connections, %d s warm-up, %d s measured, %s%n", connections, warmupSeconds, seconds,
                rate > 0 ? "open loop at " + rate + " authorizations/s, up to " + maxInFlight + " scenarios in flight per connection"
                        : "closed loop (as fast as possible), " + maxInFlight + (maxInFlight == 1 ? " client" : " clients multiplexed") + " per connection");
        Driver driver = new Driver(target(host.isoPort()), workload, parsedMix, connections, rate, maxInFlight, spending);
        Driver.Running running = driver.start(Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(seconds));
        Profiler profiler = new Profiler(jfr, host.pid(), host.work().resolve("host.jfr"), out);
        String jdbcUrl = host.jdbcUrl("anonpay");
        Map<String, Map<String, Long>> counters = new HashMap<>();
        CpuMeter.Use cpu = cpuOverWindow(running.window(), host.pid(), host.databasePid(), () -> {
            counters.put("before", DatabaseCounters.read(jdbcUrl));
            profiler.start();
        }, () -> {
            counters.put("after", DatabaseCounters.read(jdbcUrl));
            profiler.stop();
        });
        Driver.Result result = running.await();
        report.hostRun(result, cpu);
        report.databaseCounters(DatabaseCounters.perMessage(counters.get("before"), counters.get("after"),
                result.measured().all().answered()));
        out.printf("drive: done, %,d authorizations answered in the measured window%n", result.measured().combined("0100", "0200").answered());
    }

    private void measureDatabase(Report report, HostRun host) throws Exception {
        if (!SysbenchCeiling.available()) {
            out.println("ceiling: sysbench not found; database ceiling not measured (modules/bench/run.sh installs it)");
            return;
        }
        out.printf("ceiling: sysbench oltp_update_non_index, %d threads, on the host's MariaDB%n", connections);
        try {
            report.database(SysbenchCeiling.measure(host, connections, Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(seconds)));
        } catch (Exception e) {
            // the host run's figures and verification still stand: print them without this ceiling
            out.println("ceiling: database ceiling failed: " + e.getMessage());
        }
    }

    private void measurePatterns(Report report, HostRun host) {
        out.printf("patterns: one purchase's statements on the host's MariaDB, sent one by one, packed and batched (%d s each)%n", PATTERN_SECONDS);
        try {
            report.patterns(StatementPatterns.measure(host, "anonpay", Duration.ofSeconds(PATTERN_WARMUP_SECONDS), Duration.ofSeconds(PATTERN_SECONDS)));
        } catch (Exception e) {
            out.println("patterns: failed: " + e.getMessage());
        }
    }

    private static final int PATTERN_WARMUP_SECONDS = 3;
    private static final int PATTERN_SECONDS = 10;

    private void measureFramework(Report report) throws Exception {
        out.printf("ceiling: 0800 echo server (AnonpayChannel + AnonpayPackager, no database), %d connections%n", connections);
        try {
            report.framework(EchoCeiling.measure(work.toAbsolutePath().normalize(), jvmOptions(), connections,
                    Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(seconds), Duration.ofMillis(timeoutMs)));
        } catch (Exception e) {
            out.println("ceiling: framework ceiling failed: " + e.getMessage());
        }
    }

    /**
     * Sleeps through the warm-up, reads the CPU counters at the start and the end of the measured
     * window, and runs the hooks at those moments; returns the cores used in between.
     */
    static CpuMeter.Use cpuOverWindow(Window window, long hostPid, long dbPid, Runnable atStart, Runnable atEnd) {
        parkUntil(window.measureStart());
        CpuMeter.Sample first = CpuMeter.Sample.of(hostPid, dbPid);
        long t0 = System.nanoTime();
        atStart.run();
        parkUntil(window.end());
        CpuMeter.Sample last = CpuMeter.Sample.of(hostPid, dbPid);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        atEnd.run();
        return CpuMeter.Use.between(first, last, elapsed);
    }

    static CpuMeter.Use cpuOverWindow(Window window, long hostPid, long dbPid) {
        return cpuOverWindow(window, hostPid, dbPid, () -> { }, () -> { });
    }

    private static void parkUntil(long nanos) {
        long wait;
        while ((wait = nanos - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
    }

    private Worker.Target target(int port) {
        return new Worker.Target("127.0.0.1", port, Duration.ofMillis(timeoutMs));
    }

    private List<String> jvmOptions() {
        return new ArrayList<>(Arrays.stream(hostJvm.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
    }

    private String options(Mix parsedMix) {
        return String.format("cards=%d merchants=%d connections=%d warmup=%ds measured=%ds hot-share=%s hot-cards=%d hot-merchants=%d "
                        + "mix=%s rate=%s max-in-flight=%d amounts=%d..%d KRW timeout=%dms host-jvm=\"%s\"%s",
                cards, merchants, connections, warmupSeconds, seconds, hotShare, hotCards, hotMerchants, parsedMix,
                rate > 0 ? rate + "/s" : "max", maxInFlight, minAmount, maxAmount, timeoutMs, hostJvm, skipCeilings ? " skip-ceilings" : "");
    }
}
