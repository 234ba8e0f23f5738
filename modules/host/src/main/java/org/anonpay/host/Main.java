// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.host;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jpos.q2.Q2;

/**
 * Starts jPOS Q2 over ./deploy (the repository root or an unpacked distribution). The only thing
 * it adds to Q2's own main is the log/ directory, which jPOS's file log listeners expect to exist.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        Files.createDirectories(Path.of("log"));
        // Hibernate logs through jboss-logging: send it to SLF4J with the rest, not to JUL
        System.setProperty("org.jboss.logging.provider", "slf4j");
        Q2.main(args);
    }
}
