// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.host;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.anonpay.db.DatabaseSettings;

/**
 * The packaged host run as a real process from the unpacked distribution
 * (target/anonpay-host-dist/anonpay), as ops staff run it: its own working directory holding
 * copies of the distribution's deploy/, cfg/ and packager/, with only the ports changed. Either on the test's MariaDB (through ANONPAY_DB_URL, as production points
 * at MySQL) or on its own embedded MariaDB.
 */
public final class HostProcess implements AutoCloseable {

    public static final Path ROOT = Path.of(System.getProperty("anonpay.root", "../..")).toAbsolutePath().normalize();
    private static final Path DIST = Path.of(System.getProperty("anonpay.dist", "target/anonpay-host-dist/anonpay")).toAbsolutePath();
    private static final Path JAR = DIST.resolve("anonpay-host.jar");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final Path workDir;
    private int isoPort;
    private final int embeddedDbPort;
    private int webPort;
    private int mallApiPort;
    private int partnerMallPort;
    private int demoShopPort;
    private final Map<String, String> env;
    private Process process;
    private int starts;

    private HostProcess(Path workDir, int isoPort, int embeddedDbPort, Map<String, String> env) {
        this.workDir = workDir;
        this.isoPort = isoPort;
        this.embeddedDbPort = embeddedDbPort;
        this.env = env;
    }

    /** A host on the given database (the test's MariaDB). */
    public static HostProcess onDatabase(String name, DatabaseSettings db) throws IOException {
        return prepare(name, Map.of(DatabaseSettings.ENV_URL, db.jdbcUrl(), DatabaseSettings.ENV_USER, db.user(),
                DatabaseSettings.ENV_PASSWORD, db.password()));
    }

    /** A host that starts its own embedded MariaDB in its working directory. */
    public static HostProcess withEmbeddedDatabase(String name) throws IOException {
        return prepare(name, Map.of());
    }

    private static HostProcess prepare(String name, Map<String, String> env) throws IOException {
        Path workDir = ROOT.resolve("modules/host/target/hosts").resolve(name + "-" + System.nanoTime());
        for (String dir : List.of("deploy", "cfg", "packager")) copyTree(DIST.resolve(dir), workDir.resolve(dir));
        HostProcess host = new HostProcess(workDir, freePort(), freePort(), env);
        host.setPort("deploy/60_iso_server.xml", "8583", host.isoPort);
        host.setPort("deploy/10_embedded_mariadb.xml", "3307", host.embeddedDbPort);
        host.webPort = freePort();
        host.setPort("deploy/70_wallet_web.xml", "8080", host.webPort);
        host.setProperty("cfg/web/wallet-web.properties", "public-base-url", "http://127.0.0.1:" + host.webPort);
        host.mallApiPort = freePort();
        host.setPort("deploy/75_mall_api.xml", "8090", host.mallApiPort);
        host.placeDemoMalls();
        int externalIssuerPort = freePort(); // the simulator and the link to it must agree
        host.setPort("deploy/65_external_issuer_simulator.xml", "9583", externalIssuerPort);
        host.setPort("deploy/66_external_issuer_link.xml", "9583", externalIssuerPort);
        return host;
    }

    public HostProcess start() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-jar", JAR.toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output().toFile()));
        pb.environment().remove(DatabaseSettings.ENV_URL);
        pb.environment().putAll(env);
        process = pb.start();
        starts++;
        awaitReady();
        return this;
    }

    /** Ready = the ISO port answers and the demo data service has reported its cards (the last deploy file). */
    private void awaitReady() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) throw new IllegalStateException("host exited: " + tail());
            if (portOpen() && demoCardsReported() >= starts * DemoData.CARDS.size()) return;
            Thread.sleep(200);
        }
        throw new IllegalStateException("host not ready in " + START_TIMEOUT + ": " + tail());
    }

    private long demoCardsReported() throws IOException {
        try (Stream<String> lines = Files.lines(output())) {
            return lines.filter(l -> l.contains("demo card") && l.contains("ready")).count();
        }
    }

    private boolean portOpen() {
        try (Socket ignored = new Socket("127.0.0.1", isoPort)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** As `kill -9`: the JVM and every process it started (the embedded mariadbd) die at once. */
    public void kill9() throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) p.onExit().join();
    }

    /** An orderly stop (SIGTERM: Q2 undeploys its services). */
    public void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) return;
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** As ops staff would: edits deploy/60_iso_server.xml of the running host to another port. */
    public void moveIsoServerTo(int port) throws IOException {
        setPort("deploy/60_iso_server.xml", String.valueOf(isoPort), port);
        isoPort = port;
    }

    public int isoPort() { return isoPort; }
    public int embeddedDbPort() { return embeddedDbPort; }
    /** The partner malls' API (deploy/75_mall_api.xml). */
    public int mallApiPort() { return mallApiPort; }
    /** The wallet web's port; its pages and API at {@code http://127.0.0.1:<port>/}. */
    public int webPort() { return webPort; }
    /** The demo partner mall DEMOMALL01 (deploy/80_demo_malls.xml), at {@code http://127.0.0.1:<port>/}. */
    public int partnerMallPort() { return partnerMallPort; }
    /** The demo non-affiliated shop DEMOSHOP02 (deploy/80_demo_malls.xml). */
    public int demoShopPort() { return demoShopPort; }

    /**
     * deploy/80_demo_malls.xml (DEMO ONLY): the two shops on free ports, and pointed at this host's
     * wallet web, mall API and ISO 8583 port. After those ports are chosen.
     */
    private void placeDemoMalls() throws IOException {
        String file = "deploy/80_demo_malls.xml";
        Path p = workDir.resolve(file);
        if (!Files.exists(p)) return;
        partnerMallPort = freePort();
        demoShopPort = freePort();
        setPort(file, "8101", partnerMallPort);
        setPort(file, "8102", demoShopPort);
        setPort(file, "8583", isoPort);
        String xml = Files.readString(p);
        String changed = xml.replace("http://127.0.0.1:8080", "http://127.0.0.1:" + webPort).replace("http://127.0.0.1:8090", "http://127.0.0.1:" + mallApiPort);
        if (changed.equals(xml)) throw new IllegalStateException(file + " names no wallet web or mall API URL");
        Files.writeString(p, changed);
    }

    /** Sends the wallet web's mail to an SMTP server on 127.0.0.1:{@code port} (a test's GreenMail). Before {@link #start()}. */
    public HostProcess mailTo(int port) throws IOException {
        setProperty("cfg/web/wallet-web.properties", "mail.smtp.host", "127.0.0.1");
        setProperty("cfg/web/wallet-web.properties", "mail.smtp.port", Integer.toString(port));
        return this;
    }
    public Path workDir() { return workDir; }
    public Path output() { return workDir.resolve("host.out"); }

    public String tail() throws IOException {
        if (!Files.exists(output())) return "(no output)";
        List<String> lines = Files.readAllLines(output());
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void setPort(String file, String from, int to) throws IOException {
        Path p = workDir.resolve(file);
        String xml = Files.readString(p);
        String changed = xml.replace(">" + from + "<", ">" + to + "<").replace("value=\"" + from + "\"", "value=\"" + to + "\"");
        if (changed.equals(xml)) throw new IllegalStateException(file + " has no port " + from);
        Files.writeString(p, changed);
    }

    /** Replaces the line {@code name=...} of a properties file in the host's working directory. */
    public void setProperty(String file, String name, String value) throws IOException {
        Path p = workDir.resolve(file);
        List<String> lines = new ArrayList<>(Files.readAllLines(p));
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(name + "=")) {
                lines.set(i, name + "=" + value);
                found = true;
            }
        }
        if (!found) throw new IllegalStateException(file + " has no property " + name);
        Files.write(p, lines);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
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
}
