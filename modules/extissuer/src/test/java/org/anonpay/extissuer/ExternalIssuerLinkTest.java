// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.extissuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.jpos.iso.MUX;
import org.jpos.q2.Q2;
import org.jpos.q2.iso.QMUX;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real descriptors deploy/65_external_issuer_simulator.xml and deploy/66_external_issuer_link.xml,
 * copied into a temporary deploy directory with free ports (the same strings the host's end-to-end
 * harness rewrites), run in an in-process Q2; the client talks to the simulator over real TCP on
 * 127.0.0.1. A third copy of the link, renamed "dead-issuer", points at a port nobody listens on.
 */
class ExternalIssuerLinkTest {
    private static final String KNOWN = "4111111111111111";      // limit 1,000,000
    private static final String SMALL_LIMIT = "4012888888881881"; // limit 50,000
    private static final String SLOW = "4000000000000002";        // delay.ms=3000, drop-reversals=2
    private static final String UNLISTED = "4000000000000077";
    private static final String KRW = "410";

    @TempDir
    static Path deployDir;
    private static Q2 q2;
    private static SimulatedIssuer simulator;

    @BeforeAll
    static void startQ2() throws Exception {
        Path root = repositoryRoot();
        int issuerPort = freePort();
        String simulatorXml = read(root.resolve("deploy/65_external_issuer_simulator.xml"))
                .replace(">9583<", ">" + issuerPort + "<")
                .replace("value=\"cfg/extissuer/cards.properties\"", "value=\"" + root.resolve("cfg/extissuer/cards.properties") + "\"");
        String linkXml = read(root.resolve("deploy/66_external_issuer_link.xml"));
        Files.writeString(deployDir.resolve("65_external_issuer_simulator.xml"), simulatorXml);
        Files.writeString(deployDir.resolve("66_external_issuer_link.xml"), linkXml.replace("value=\"9583\"", "value=\"" + issuerPort + "\""));
        Files.writeString(deployDir.resolve("67_dead_issuer_link.xml"),
                linkXml.replace("value=\"9583\"", "value=\"" + freePort() + "\"").replace("external-issuer", "dead-issuer"));
        q2 = new Q2(deployDir.toString());
        q2.start();
        awaitConnected("external-issuer");
        simulator = ExternalIssuerSimulator.named(ExternalIssuerSimulator.DEFAULT_NAME).issuer();
    }

    @AfterAll
    static void stopQ2() {
        if (q2 != null) {
            q2.shutdown(true);
        }
    }

    @Test
    void ownershipOfAKnownCardWithMatchingExpiryAndCvv2IsVerified() throws Exception {
        assertEquals(VerificationResult.VERIFIED, client().verifyOwnership(KNOWN, "2912", "123"));
    }

    @Test
    void aWrongCvv2IsReported() throws Exception {
        assertEquals(VerificationResult.WRONG_CVV2, client().verifyOwnership(KNOWN, "2912", "124"));
    }

    @Test
    void aWrongExpiryIsReported() throws Exception {
        assertEquals(VerificationResult.WRONG_EXPIRY, client().verifyOwnership(KNOWN, "2911", "123"));
    }

    @Test
    void aCardTheIssuerDoesNotKnowIsReported() throws Exception {
        assertEquals(VerificationResult.UNKNOWN_CARD, client().verifyOwnership(UNLISTED, "2912", "123"));
    }

    @Test
    void anApprovedChargeRepeatedWithTheSameIdIsChargedOnce() throws Exception {
        long before = simulator.spentMinor(KNOWN);
        ChargeResult first = client().charge(KNOWN, "2912", 10_000, KRW, "topup-approved-1");
        ChargeResult repeat = client().charge(KNOWN, "2912", 10_000, KRW, "topup-approved-1");

        assertEquals(ChargeResult.Status.APPROVED, first.status());
        assertNotNull(first.approvalCode());
        assertEquals(first, repeat, "the repeat gets the original answer");
        assertEquals(before + 10_000, simulator.spentMinor(KNOWN));
    }

    @Test
    void aChargeAboveWhatIsLeftOfTheLimitIsDeclined() throws Exception {
        long before = simulator.spentMinor(SMALL_LIMIT);
        ChargeResult result = client().charge(SMALL_LIMIT, "2806", 60_000, KRW, "topup-over-limit-1");

        assertEquals(ChargeResult.declined("51"), result);
        assertEquals(before, simulator.spentMinor(SMALL_LIMIT));
    }

    @Test
    void aSlowChargeIsReversedRepeatedlyUntilTheIssuerAcknowledges() throws Exception {
        long spentBefore = simulator.spentMinor(SLOW);
        int reversalsBefore = simulator.reversalsReceived(SLOW);

        ChargeResult result = impatientClient(Duration.ofSeconds(10)).charge(SLOW, "2712", 20_000, KRW, "topup-slow-1");

        assertEquals(ChargeResult.Status.TIMED_OUT_REVERSED, result.status());
        assertEquals(3, simulator.reversalsReceived(SLOW) - reversalsBefore, "two reversals dropped, the third acknowledged");
        assertEquals(spentBefore, simulator.spentMinor(SLOW), "the charge the issuer booked late is released");
    }

    @Test
    void aReversalNotAcknowledgedInTimeStaysPendingAndCanBeClearedLater() throws Exception {
        long spentBefore = simulator.spentMinor(SLOW);

        ChargeResult result = impatientClient(Duration.ofMillis(300)).charge(SLOW, "2712", 7_000, KRW, "topup-slow-2");
        assertEquals(ChargeResult.Status.TIMED_OUT_REVERSAL_PENDING, result.status());
        assertEquals(spentBefore + 7_000, simulator.spentMinor(SLOW), "still charged: the issuer ignored the reversal");

        ReversalResult cleared = impatientClient(Duration.ofSeconds(10)).reverseCharge(SLOW, "2712", 7_000, KRW, "topup-slow-2");
        assertEquals(ReversalResult.ACKNOWLEDGED, cleared);
        assertEquals(spentBefore, simulator.spentMinor(SLOW));
    }

    @Test
    void anAmountEndingIn999IsAnsweredLateAndReversed() throws Exception {
        long spentBefore = simulator.spentMinor(KNOWN);
        ChargeResult result = impatientClient(Duration.ofSeconds(10)).charge(KNOWN, "2912", 10_999, KRW, "topup-999-1");

        assertEquals(ChargeResult.Status.TIMED_OUT_REVERSED, result.status());
        assertEquals(spentBefore, simulator.spentMinor(KNOWN));
    }

    @Test
    void anIssuerThatCannotBeReachedIsUnavailable() throws Exception {
        ExternalIssuerClient client = ExternalIssuerClient.fromRegistry("dead-issuer", ExternalIssuerSettings.defaults());

        assertEquals(VerificationResult.ISSUER_UNAVAILABLE, client.verifyOwnership(KNOWN, "2912", "123"));
        assertEquals(ChargeResult.Status.ISSUER_UNAVAILABLE, client.charge(KNOWN, "2912", 1_000, KRW, "topup-dead-1").status());
    }

    /** Ops edit a deployed link: Q2 undeploys the group (its channel adaptor and MUX with it) and deploys it anew. */
    @Test
    void anEditedLinkFileIsRedeployedWithItsBeans() throws Exception {
        MUX before = QMUX.getMUX("dead-issuer");
        Path file = deployDir.resolve("67_dead_issuer_link.xml");
        Files.writeString(file, read(file).replace("<reconnect-delay>2000<", "<reconnect-delay>3000<"));

        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline && !redeployed(before)) {
            Thread.sleep(100);
        }
        assertTrue(redeployed(before), "a new dead-issuer MUX was registered");
        assertFalse(Files.exists(deployDir.resolve("67_dead_issuer_link.BAD")), "the redeploy did not fail");
    }

    private static boolean redeployed(MUX before) {
        try {
            return QMUX.getMUX("dead-issuer") != before;
        } catch (org.jpos.util.NameRegistrar.NotFoundException betweenUndeployAndDeploy) {
            return false;
        }
    }

    private static ExternalIssuerClient client() throws Exception {
        return ExternalIssuerClient.fromRegistry(ExternalIssuerClient.DEFAULT_MUX, ExternalIssuerSettings.defaults());
    }

    /** Gives up on a charge after 1 s (the slow rules answer after 3 s); short reversal pauses. */
    private static ExternalIssuerClient impatientClient(Duration giveUpReversalAfter) throws Exception {
        ExternalIssuerSettings settings = ExternalIssuerSettings.defaults().withTimeouts(Duration.ofSeconds(1),
                Duration.ofMillis(400), Duration.ofMillis(100), Duration.ofMillis(400), giveUpReversalAfter);
        return ExternalIssuerClient.fromRegistry(ExternalIssuerClient.DEFAULT_MUX, settings);
    }

    private static void awaitConnected(String muxName) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                MUX mux = QMUX.getMUX(muxName);
                if (mux.isConnected()) {
                    return;
                }
            } catch (org.jpos.util.NameRegistrar.NotFoundException notYetDeployed) {
                // Q2 deploys the files a moment after start
            }
            Thread.sleep(100);
        }
        throw new AssertionError("MUX " + muxName + " did not connect");
    }

    /** The repository root (deploy/, cfg/): set by the parent pom's surefire configuration, else found upwards. */
    private static Path repositoryRoot() {
        String configured = System.getProperty("anonpay.root");
        Path dir = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("deploy"))) {
            dir = dir.getParent();
        }
        assertNotNull(dir, "repository root with deploy/ not found");
        assertTrue(Files.isRegularFile(dir.resolve("deploy/66_external_issuer_link.xml")));
        return dir;
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
