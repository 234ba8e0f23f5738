// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.anonpay.db.DatabaseSettings;
import org.anonpay.iso.IsoClient;
import org.anonpay.iso.MessageFactory;
import org.anonpay.iso.Terminal;

/**
 * The packaged host as a process in a fresh working directory: copies of the distribution's
 * deploy/, cfg/ and packager/ with free ports, the deploy files a benchmark does not need removed,
 * and its own embedded MariaDB (new data directory, so every run starts from an empty database).
 */
final class HostRun implements AutoCloseable {
    /** Deploy files left out: the wallet web, the external issuer simulator and link, the demo cards. */
    static final List<String> DROPPED = List.of("65_external_issuer_simulator.xml", "66_external_issuer_link.xml",
            "70_wallet_web.xml", "75_mall_api.xml", "80_demo_malls.xml", "90_demo_data.xml");
    /** Marks a working directory as the bench's own, so that only such a directory is ever deleted. */
    static final String MARKER = ".anonpay-bench-run";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Path dist;
    private final Path work;
    private final int isoPort;
    private final int dbPort;
    private Process process;

    private HostRun(Path dist, Path work, int isoPort, int dbPort) {
        this.dist = dist;
        this.work = work;
        this.isoPort = isoPort;
        this.dbPort = dbPort;
    }

    static HostRun prepare(Path dist, Path work) throws IOException {
        if (!Files.isRegularFile(dist.resolve("anonpay-host.jar"))) {
            throw new IllegalStateException("no host distribution in " + dist + ": build it first (./mvnw -q -DskipTests install)");
        }
        freshDirectory(work);
        for (String dir : List.of("deploy", "cfg", "packager")) copyTree(dist.resolve(dir), work.resolve(dir));
        for (String file : DROPPED) Files.deleteIfExists(work.resolve("deploy").resolve(file));
        HostRun host = new HostRun(dist, work, freePort(), freePort());
        host.setPort("deploy/60_iso_server.xml", "8583", host.isoPort);
        host.setPort("deploy/10_embedded_mariadb.xml", "3307", host.dbPort);
        return host;
    }

    /** Starts the host JVM and waits until it answers an 0800 echo. */
    void start(List<String> jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", dist.resolve("anonpay-host.jar").toAbsolutePath().toString()));
        process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output().toFile())).start();
        // a bench stopped with Ctrl-C must not leave a host and its mariadbd running
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopQuietly, "stop-host"));
        awaitEcho();
    }

    private void awaitEcho() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        MessageFactory messages = new MessageFactory(Terminal.defaults().withTerminalId("BENCHRDY"));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) throw new IllegalStateException("host exited at start; see " + output());
            if (echoAnswered(messages)) return;
            Thread.sleep(250);
        }
        throw new IllegalStateException("host not ready in " + START_TIMEOUT + "; see " + output());
    }

    private boolean echoAnswered(MessageFactory messages) {
        if (!portOpen(isoPort)) return false;
        try (IsoClient client = IsoClient.connect("127.0.0.1", isoPort, Duration.ofSeconds(5))) {
            return "00".equals(client.exchange(messages.echo()).getString(39));
        } catch (Exception e) {
            return false;
        }
    }

    /** The host's embedded MariaDB, database anonpay, as root (the embedded server's only user). */
    DatabaseSettings database(int poolSize) {
        return new DatabaseSettings(jdbcUrl("anonpay"), "root", "", poolSize);
    }

    String jdbcUrl(String database) {
        return "jdbc:mysql://127.0.0.1:" + dbPort + "/" + database + "?sslMode=DISABLED&allowPublicKeyRetrieval=true&characterEncoding=UTF-8";
    }

    long pid() {
        return process.pid();
    }

    /** The mariadbd child of the host JVM; 0 when not found. */
    long databasePid() {
        return process.descendants().filter(p -> p.info().command().map(c -> c.endsWith("mariadbd") || c.endsWith("mysqld")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(0);
    }

    int isoPort() { return isoPort; }
    int dbPort() { return dbPort; }
    Path work() { return work; }
    Path output() { return work.resolve("host.out"); }

    /** An orderly stop (SIGTERM: Q2 undeploys, the embedded MariaDB shuts down). */
    @Override
    public void close() throws InterruptedException {
        if (process == null || !process.isAlive()) return;
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private void stopQuietly() {
        try {
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Empties {@code work}, but only if it is empty already or a former bench run's directory. */
    static void freshDirectory(Path work) throws IOException {
        if (Files.exists(work)) {
            boolean ours = Files.exists(work.resolve(MARKER));
            boolean empty;
            try (Stream<Path> s = Files.list(work)) {
                empty = s.findAny().isEmpty();
            }
            if (!ours && !empty) throw new IllegalStateException(work + " exists and is not a bench working directory: choose another --work");
            try (Stream<Path> all = Files.walk(work)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        Files.createDirectories(work);
        Files.writeString(work.resolve(MARKER), "anonpay benchmark working directory: deleted by the next run\n");
    }

    private void setPort(String file, String from, int to) throws IOException {
        Path p = work.resolve(file);
        String xml = Files.readString(p);
        String changed = xml.replace(">" + from + "<", ">" + to + "<").replace("value=\"" + from + "\"", "value=\"" + to + "\"");
        if (changed.equals(xml)) throw new IllegalStateException(file + " has no port " + from);
        Files.writeString(p, changed);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static boolean portOpen(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Override
    public String toString() {
        return "host in " + work + " (ISO 8583 port " + isoPort + ", MariaDB port " + dbPort + ")";
    }
}
