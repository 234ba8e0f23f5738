// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JFR recording of the host over the measured window (--jfr), through jcmd: started when the
 * measurement starts, dumped when it ends, so warm-up and seeding stay out of it. Read it with
 * {@code jfr print --events jdk.ExecutionSample} or {@code jfr summary} (docs/performance.md).
 */
final class Profiler {
    private static final String RECORDING = "anonpay-bench";

    private final boolean enabled;
    private final long pid;
    private final Path file;
    private final PrintStream out;

    Profiler(boolean enabled, long pid, Path file, PrintStream out) {
        this.enabled = enabled;
        this.pid = pid;
        this.file = file;
        this.out = out;
    }

    void start() {
        if (enabled) jcmd("JFR.start", "name=" + RECORDING, "settings=profile");
    }

    void stop() {
        if (!enabled) return;
        jcmd("JFR.stop", "name=" + RECORDING, "filename=" + file);
        out.println("profile: JFR recording of the host's measured window in " + file);
    }

    private void jcmd(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (IOException e) {
            out.println("profile: jcmd failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
