// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * CPU time of a process from /proc/&lt;pid&gt;/stat (utime + stime, in clock ticks; threads
 * included), so that "cores used" over a window = CPU seconds / wall seconds.
 */
final class CpuMeter {
    /** USER_HZ: 100 on every Linux that exposes it to user space through /proc. */
    static final double TICKS_PER_SECOND = 100.0;
    private static final int UTIME_FIELD_AFTER_COMM = 11;

    private CpuMeter() {}

    /** A reading: CPU seconds of the process, or empty when it is gone or not Linux. */
    static OptionalLong ticks(long pid) {
        try {
            return OptionalLong.of(parseTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** utime + stime of a /proc/pid/stat line; the command name may hold spaces, so fields count from its ')'. */
    static long parseTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(fields[UTIME_FIELD_AFTER_COMM]) + Long.parseLong(fields[UTIME_FIELD_AFTER_COMM + 1]);
    }

    /** Cores used between two readings {@code seconds} apart; NaN when either is missing. */
    static double cores(OptionalLong before, OptionalLong after, double seconds) {
        if (before.isEmpty() || after.isEmpty() || seconds <= 0) return Double.NaN;
        return (after.getAsLong() - before.getAsLong()) / TICKS_PER_SECOND / seconds;
    }

    /** Readings of several processes taken together. */
    record Sample(OptionalLong host, OptionalLong db, OptionalLong client) {
        static Sample of(long hostPid, long dbPid) {
            return new Sample(ticks(hostPid), dbPid > 0 ? ticks(dbPid) : OptionalLong.empty(), ticks(ProcessHandle.current().pid()));
        }
    }

    /** Cores used per process over a window. */
    record Use(double host, double db, double client) {
        static Use between(Sample a, Sample b, double seconds) {
            return new Use(cores(a.host(), b.host(), seconds), cores(a.db(), b.db(), seconds), cores(a.client(), b.client(), seconds));
        }
    }
}
