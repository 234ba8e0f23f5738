// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.anonpay.ledger.TrialBalance;

/** What one run found, printed as one summary block at the end. */
final class Report {
    private static final String[] AUTHORIZATIONS = {"0100", "0200"};
    static final double DATABASE_TARGET = 1.0;
    static final double FRAMEWORK_TARGET = 0.3;
    static final double P99_TARGET_MS = 10.0;
    /** Answered over more than this × the window: the open loop offered more than the host answered. */
    private static final double FELL_BEHIND = 1.05;

    private final Machine machine;
    private final String options;
    private Driver.Result host;
    private CpuMeter.Use hostCpu;
    private Verifier.Verification verification;
    private Map<String, String> durability = Map.of();
    private String databasePerMessage = "";
    private SysbenchCeiling.Result database;
    private EchoCeiling.Result framework;
    private List<StatementPatterns.Result> patterns = List.of();

    Report(Machine machine, String options) {
        this.machine = machine;
        this.options = options;
    }

    Machine machine() { return machine; }
    String options() { return options; }
    Verifier.Verification verification() { return verification; }

    void hostRun(Driver.Result result, CpuMeter.Use cpu) { host = result; hostCpu = cpu; }
    void verified(Verifier.Verification v) { verification = v; }
    void durability(Map<String, String> variables) { durability = variables; }
    void databaseCounters(String perMessage) { databasePerMessage = perMessage; }
    void database(SysbenchCeiling.Result r) { database = r; }
    void framework(EchoCeiling.Result r) { framework = r; }
    void patterns(List<StatementPatterns.Result> r) { patterns = r; }

    double authorizationsPerSecond() {
        return host.measured().combined(AUTHORIZATIONS).answered() / host.measuredSeconds();
    }

    void print(PrintStream out) {
        out.println();
        out.println("==================== anonpay benchmark summary ====================");
        line(out, "machine", machine.toString());
        line(out, "options", options);
        line(out, "deploy", "without " + String.join(", ", HostRun.DROPPED));
        if (host != null) printHost(out);
        printCeilings(out);
        printVerification(out);
        printTargets(out);
        out.println("===================================================================");
    }

    private void printHost(PrintStream out) {
        Stats m = host.measured();
        Stats.TypeStats auth = m.combined(AUTHORIZATIONS);
        Stats.TypeStats all = m.all();
        line(out, "throughput", String.format("%.1f authorizations/s (0100+0200 answered), %.1f messages/s (all types)",
                authorizationsPerSecond(), all.answered() / host.measuredSeconds()));
        if (host.measuredSeconds() > host.windowSeconds() * FELL_BEHIND) {
            line(out, "fell behind", String.format("the measured window's %.0f s of scenarios were answered over %.1f s: the rates above are the answered ones, "
                    + "the offered rate was more than the host could answer", host.windowSeconds(), host.measuredSeconds()));
        }
        line(out, "latency auth", latency(auth.latency));
        line(out, "latency all", latency(all.latency));
        m.byMti().forEach((mti, t) -> line(out, "  " + mti, counts(t) + "; " + latency(t.latency)));
        line(out, "results", counts(all) + (all.declinesByCode.isEmpty() ? "" : "; declines by 39: " + byCode(all)));
        Stats.TypeStats warm = host.warmup().all();
        line(out, "warm-up", String.format("%d answered, %d errors, %d of them 96 (not in the figures above)", warm.answered(), warm.errors, warm.malfunctions));
        if (host.openLoop() && host.maxInFlight() > 1) {
            line(out, "in flight", String.format("at most %d scenarios at once on one connection in the measured window (--max-in-flight %d%s)",
                    host.peakInFlight(), host.maxInFlight(),
                    host.peakInFlight() >= host.maxInFlight() ? "; reached: scenarios waited for a slot, their latency counting" : ""));
        }
        if (host.unmatchedAnswers() > 0) {
            line(out, "unmatched", host.unmatchedAnswers() + " answers matched no message in flight (late past the timeout, or a wrong MTI); dropped");
        }
        if (m.recoveryMessages + host.warmup().recoveryMessages > 0) {
            line(out, "recovery", (m.recoveryMessages + host.warmup().recoveryMessages) + " repeats (0101/0201/0221/0401) sent to learn the outcome of messages that got no answer");
        }
        line(out, "cpu (cores)", String.format("host JVM %.2f, mariadbd %.2f, bench client %.2f (of %d)", hostCpu.host(), hostCpu.db(), hostCpu.client(), machine.cores()));
        if (!databasePerMessage.isEmpty()) line(out, "db/message", databasePerMessage);
        line(out, "durability", durability.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
    }

    private void printCeilings(PrintStream out) {
        if (framework != null) {
            Stats.TypeStats echo = framework.stats().all();
            line(out, "framework", String.format("%.1f echoes/s (0800 → 0810, no database); %s; %d errors; echo server %.2f cores, client %.2f",
                    framework.messagesPerSecond(), latency(echo.latency), echo.errors, framework.serverCores(), framework.clientCores()));
        } else {
            line(out, "framework", "not measured");
        }
        if (database != null) {
            line(out, "database", String.format("%.1f commits/s (sysbench oltp_update_non_index, one single-row UPDATE per commit); p99 %.2f ms; "
                    + "%d ignored errors; mariadbd %.2f cores", database.transactionsPerSecond(), database.p99Millis(), database.ignoredErrors(), database.dbCores()));
        } else {
            line(out, "database", "not measured");
        }
        for (StatementPatterns.Result p : patterns) {
            line(out, "pattern", String.format("%-14s %8.1f purchases/s, %.1f statements each, mariadbd %.0f µs and client %.0f µs of CPU per purchase (%d connections)",
                    p.pattern().label, p.purchasesPerSecond(), p.statementsPerPurchase(), p.dbMicrosPerPurchase(), p.clientMicrosPerPurchase(), p.pattern().threads));
        }
        if (host == null) return;
        double auth = authorizationsPerSecond();
        line(out, "cpu/auth", cpuBudget(auth, hostCpu, machine.cores(), database == null ? Double.NaN : database.transactionsPerSecond(),
                framework == null ? Double.NaN : framework.messagesPerSecond()));
        line(out, "ratios", String.format("auth/s ÷ database ceiling = %s (target ≥ %.1f); auth/s ÷ framework ceiling = %s (target ≥ %.1f)",
                ratio(auth, database == null ? Double.NaN : database.transactionsPerSecond()), DATABASE_TARGET,
                ratio(auth, framework == null ? Double.NaN : framework.messagesPerSecond()), FRAMEWORK_TARGET));
    }

    /**
     * The CPU one authorization cost (host, database, client; with its 0220s and 0400s) beside what
     * each throughput target allows on this machine: all cores ÷ the target rate. Where the cost
     * is several times the allowance, no tuning of waits or batch sizes reaches the target; only
     * less work per authorization does.
     */
    static String cpuBudget(double authPerSecond, CpuMeter.Use cpu, int cores, double databaseCeiling, double frameworkCeiling) {
        if (!(authPerSecond > 0)) return "no authorizations";
        double hostMicros = cpu.host() * 1e6 / authPerSecond;
        double dbMicros = cpu.db() * 1e6 / authPerSecond;
        double clientMicros = cpu.client() * 1e6 / authPerSecond;
        double totalMicros = hostMicros + dbMicros + clientMicros;
        return String.format("host %.0f + mariadbd %.0f + bench client %.0f = %.0f µs of CPU per authorization; at this cost %d cores answer at most %.0f/s;"
                        + " the database target allows %s µs, the framework target %s µs",
                hostMicros, dbMicros, clientMicros, totalMicros, cores, cores * 1e6 / totalMicros,
                allowance(cores, DATABASE_TARGET * databaseCeiling), allowance(cores, FRAMEWORK_TARGET * frameworkCeiling));
    }

    private static String allowance(int cores, double targetPerSecond) {
        return Double.isNaN(targetPerSecond) || targetPerSecond <= 0 ? "n/a" : String.format("%.0f", cores * 1e6 / targetPerSecond);
    }

    private void printVerification(PrintStream out) {
        if (verification == null) {
            line(out, "verification", "NOT RUN");
            return;
        }
        String trial = verification.trialBalances().stream().map(Report::trialLine).collect(Collectors.joining("; "));
        BalanceCheck.Result c = verification.cards();
        line(out, "verification", (verification.passed() ? "PASS" : "FAIL") + ": trial balance " + trial);
        line(out, "", String.format("%d cards checked, %d mismatches, %d with an unknown outcome (not checked)", c.checked(), c.mismatchCount(), c.uncertain()));
        for (BalanceCheck.Mismatch x : c.examples()) {
            line(out, "", String.format("card %s: expected posted %d, ledger posted %d, pending %d",
                    BenchCards.masked(BenchCards.pan(x.index())), x.expectedPosted(), x.actualPosted(), x.pending()));
        }
    }

    private void printTargets(PrintStream out) {
        if (host == null) return;
        Stats.TypeStats all = host.measured().all();
        double auth = authorizationsPerSecond();
        double p99 = host.measured().combined(AUTHORIZATIONS).latency.getValueAtPercentile(99) / 1000.0;
        line(out, "targets", String.format("database ≥ %.1f: %s; framework ≥ %.1f: %s; errors 0: %s; 96 none: %s; p99 ≤ %.0f ms: %s (%.2f ms%s)",
                DATABASE_TARGET, verdict(measured(database == null ? 0 : database.transactionsPerSecond()) ? auth >= DATABASE_TARGET * database.transactionsPerSecond() : null),
                FRAMEWORK_TARGET, verdict(measured(framework == null ? 0 : framework.messagesPerSecond()) ? auth >= FRAMEWORK_TARGET * framework.messagesPerSecond() : null),
                verdict(all.errors == 0), verdict(all.malfunctions == 0), P99_TARGET_MS, verdict(p99 <= P99_TARGET_MS), p99,
                options.contains("rate=max") ? ", closed loop: the target is for a --rate run at 70 % of the maximum" : ""));
    }

    /** A ceiling of 0 means its run failed (e.g. the echo server answered nothing): no verdict against it. */
    private static boolean measured(double ceiling) {
        return ceiling > 0;
    }

    private static String verdict(Boolean ok) {
        return ok == null ? "n/a" : ok ? "met" : "NOT met";
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(b) || b <= 0 ? "n/a" : String.format("%.3f", a / b);
    }

    private static String trialLine(TrialBalance t) {
        return String.format("%s %s (debits posted %d = credits posted %d, pending %d = %d)", t.currency(),
                t.balanced() ? "balanced" : "UNBALANCED", t.debitsPosted(), t.creditsPosted(), t.debitsPending(), t.creditsPending());
    }

    private static String counts(Stats.TypeStats t) {
        return String.format("approved %d, declined %d, errors %d, 96 %d", t.approved, t.declined, t.errors, t.malfunctions);
    }

    private static String byCode(Stats.TypeStats t) {
        return t.declinesByCode.entrySet().stream().map(e -> e.getKey() + "×" + e.getValue()).collect(Collectors.joining(" "));
    }

    static String latency(Histogram h) {
        if (h.getTotalCount() == 0) return "no answers";
        return String.format("p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms", ms(h, 50), ms(h, 95), ms(h, 99), h.getMaxValue() / 1000.0);
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static void line(PrintStream out, String label, String text) {
        out.printf("%-13s %s%n", label.isEmpty() ? "" : label + ":", text);
    }
}
