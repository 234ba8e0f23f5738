// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The machine the figures come from, as the summary names it. */
record Machine(int cores, String cpuModel, long memoryKib, String os, String jvm) {

    static Machine current() {
        return new Machine(Runtime.getRuntime().availableProcessors(), readCpuModel(), readMemoryKib(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    }

    private static String readCpuModel() {
        return procLine(Path.of("/proc/cpuinfo"), "model name").orElse("unknown CPU");
    }

    private static long readMemoryKib() {
        return procLine(Path.of("/proc/meminfo"), "MemTotal").map(v -> Long.parseLong(v.replace("kB", "").trim())).orElse(0L);
    }

    /** The value after the ':' of the first line starting with {@code key}. */
    private static Optional<String> procLine(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.stream().filter(l -> l.startsWith(key)).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return String.format("%d cores, %s, %.1f GiB memory, %s, %s", cores, cpuModel, memoryKib / 1024.0 / 1024.0, os, jvm);
    }
}
