// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The framework ceiling: {@link EchoServer} as a separate JVM on a free port, driven by the same
 * {@link Driver} with 0800 echoes, from the same number of connections, for the same time.
 */
final class EchoCeiling {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** Echoes answered per second over the measured window, their latencies, and the server's CPU. */
    record Result(double messagesPerSecond, Stats stats, double serverCores, double clientCores) {}

    private EchoCeiling() {}

    static Result measure(Path workDir, List<String> jvmOptions, int connections, Duration warmup, Duration measured,
                          Duration timeout) throws IOException, InterruptedException {
        int port = HostRun.freePort();
        Process server = start(workDir, jvmOptions, port);
        Thread stopper = new Thread(server::destroyForcibly, "stop-echo-server");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            awaitPort(server, port);
            Workload none = new Workload(2, 0, 2, 0, 0, 1, 1, "0101");
            Driver driver = new Driver(new Worker.Target("127.0.0.1", port, timeout), none, Mix.echoOnly(), connections, 0, 1, new Spending(2));
            Driver.Running running = driver.start(warmup, measured);
            CpuMeter.Use cpu = Benchmark.cpuOverWindow(running.window(), server.pid(), 0);
            Driver.Result result = running.await();
            Stats.TypeStats echoes = result.measured().combined("0800");
            return new Result(echoes.answered() / result.measuredSeconds(), result.measured(), cpu.host(), cpu.client());
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly();
            Runtime.getRuntime().removeShutdownHook(stopper);
        }
    }

    private static Process start(Path workDir, List<String> jvmOptions, int port) throws IOException {
        String jar = Path.of(codeSource()).toString();
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", jar, EchoServer.class.getName(), Integer.toString(port)));
        return new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("echo-server.out").toFile())).start();
    }

    private static java.net.URI codeSource() {
        try {
            return EchoCeiling.class.getProtectionDomain().getCodeSource().getLocation().toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitPort(Process server, int port) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) throw new IllegalStateException("echo server exited at start");
            if (HostRun.portOpen(port)) return;
            Thread.sleep(100);
        }
        throw new IllegalStateException("echo server not listening in " + START_TIMEOUT);
    }
}
