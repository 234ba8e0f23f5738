// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jpos.q2.QBeanSupport;
import org.jpos.util.NameRegistrar;

/**
 * Q2 service that keeps the card programs of {@code cfg/programs} in force. It loads them at
 * start (a bad set stops the start: the host must not authorize without programs) and checks
 * the folder every few seconds; when a file changed it loads the set again and, if the new set
 * is good, puts it in force. A bad edit is logged and the last good set stays in force.
 *
 * <pre>
 *   property programs-dir   folder of *.properties program files (default cfg/programs)
 *   property poll-seconds   how often to look for changes (default 5)
 * </pre>
 *
 * The set in force is {@link #current()}; the service itself is registered under
 * {@value #REGISTRY_NAME}.
 */
public class CardProgramService extends QBeanSupport {

    public static final String REGISTRY_NAME = "anonpay.card-programs";
    private static volatile CardPrograms current;

    private volatile CardPrograms programs;
    private Path dir;
    private byte[] loadedFingerprint;
    private byte[] rejectedFingerprint;
    private ScheduledExecutorService poller;

    @Override
    protected void startService() {
        dir = Path.of(cfg.get("programs-dir", "cfg/programs"));
        loadedFingerprint = fingerprint(dir);
        putInForce(CardPrograms.load(dir));
        NameRegistrar.register(REGISTRY_NAME, this);
        long pollSeconds = Math.max(1, cfg.getLong("poll-seconds", 5));
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "card-program-reload");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::reloadIfChanged, pollSeconds, pollSeconds, TimeUnit.SECONDS);
    }

    @Override
    protected void stopService() {
        if (poller != null) poller.shutdownNow();
        poller = null;
        NameRegistrar.unregister(REGISTRY_NAME);
        if (current == programs) current = null;
    }

    /** The card programs in force in this JVM. */
    public static CardPrograms current() {
        CardPrograms in = current;
        if (in == null) throw new IllegalStateException("no card programs: is the CardProgramService deployed?");
        return in;
    }

    /** The card programs in force (same as {@link #current()}). */
    public CardPrograms programs() {
        return programs;
    }

    /** Package-private for tests: one poll. */
    void reloadIfChanged() {
        try {
            byte[] now = fingerprint(dir);
            if (Arrays.equals(now, loadedFingerprint) || Arrays.equals(now, rejectedFingerprint)) return;
            tryReload(now);
        } catch (RuntimeException e) {
            // the poller must survive anything: a dead poller would silently stop reloads
            getLog().error("card program reload failed: " + e);
        }
    }

    private void tryReload(byte[] fingerprint) {
        try {
            CardPrograms loaded = CardPrograms.load(dir);
            loadedFingerprint = fingerprint;
            rejectedFingerprint = null;
            putInForce(loaded);
        } catch (IllegalArgumentException e) {
            // remember the bad state so the same error is logged once, not every poll
            rejectedFingerprint = fingerprint;
            getLog().error("card programs in " + dir + " NOT reloaded, keeping " + programs + ": " + e.getMessage());
        }
    }

    private void putInForce(CardPrograms loaded) {
        programs = loaded;
        current = loaded;
        getLog().info("card programs in force: " + loaded);
    }

    /** SHA-256 over the names and contents of the program files: any edit changes it. */
    static byte[] fingerprint(Path dir) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            if (!Files.isDirectory(dir)) return sha.digest();
            for (Path file : CardPrograms.programFiles(dir)) {
                sha.update(file.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(Files.readAllBytes(file));
                sha.update((byte) 0);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is always present", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }
}
