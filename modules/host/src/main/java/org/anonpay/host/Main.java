// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jpos.q2.Q2;

/**
 * Starts jPOS Q2 over ./deploy (the repository root or an unpacked distribution). The only thing
 * it adds to Q2's own main: the log/ directory jPOS's file log listeners expect, a temporary
 * directory of its own (see below), and its own flight recording in place of Q2's
 * ({@link FlightRecording}; {@code --no-jfr} still leaves it off).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        Files.createDirectories(Path.of("log"));
        // The JVM's temporary files go under data/tmp: the embedded MariaDB library deletes any
        // data directory under java.io.tmpdir at start, so with the default /tmp a host run from a
        // checkout in /tmp would lose its database (and its money) at every restart.
        Path tmp = Files.createDirectories(Path.of("data", "tmp")).toAbsolutePath();
        System.setProperty("java.io.tmpdir", tmp.toString());
        // Hibernate logs through jboss-logging: send it to SLF4J with the rest, not to JUL
        System.setProperty("org.jboss.logging.provider", "slf4j");
        Q2.main(withOwnFlightRecording(args));
    }

    private static String[] withOwnFlightRecording(String[] args) throws Exception {
        if (FlightRecording.disabledBy(args)) return args;
        FlightRecording.start();
        String[] q2Args = Arrays.copyOf(args, args.length + 1);
        q2Args[args.length] = FlightRecording.Q2_NO_JFR;
        return q2Args;
    }
}
