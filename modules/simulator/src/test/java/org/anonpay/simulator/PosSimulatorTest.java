// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.anonpay.iso.AdditionalData;
import org.anonpay.iso.Field;
import org.anonpay.iso.PinBlocks;
import org.anonpay.iso.TestIsoServer;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the pos-sim command line against an in-test ISO server over a real socket. */
class PosSimulatorTest {
    private static final String PAN = "4111111111111111";
    private static final String CVV2 = "987";
    private static TestIsoServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestIsoServer.start(2_000);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void purchasePrintsMaskedFieldsAndTheResponseCode() {
        Run run = simulate("purchase", "--pan", PAN, "--expiry", "2712", "--cvv2", CVV2, "--pin", "1234",
                "--amount", "15000", "--currency", "KRW", "--zpk-file", devZpkFile().toString());
        assertEquals(0, run.exitCode, run.err);
        assertTrue(run.out.contains("411111******1111"), run.out);
        assertFalse(run.out.contains(PAN), run.out);
        assertFalse(run.out.contains("9203" + CVV2), run.out);
        assertTrue(run.out.contains("92=***"), run.out);
        assertTrue(run.out.contains("[PIN block, 8 bytes]"), run.out);
        assertTrue(run.out.contains("--of-mti 0200 --of-stan "), run.out);
        assertTrue(run.out.lines().anyMatch(l -> l.equals("response 00 approved")), run.out);

        ISOMsg seen = lastReceived();
        assertEquals("0200", seen.getString(Field.MTI));
        assertEquals(PAN, seen.getString(Field.PAN));
        assertEquals("000000015000", seen.getString(Field.AMOUNT));
        assertEquals("410", seen.getString(Field.CURRENCY));
        assertEquals(CVV2, AdditionalData.cvv2(seen).orElseThrow());
        assertEquals(PinBlocks.BLOCK_BYTES, seen.getBytes(Field.PIN_BLOCK).length);
    }

    @Test
    void reverseSendsOriginalDataAndRepeatSendsTheRepeatMti() {
        Run run = simulate("reverse", "--pan", PAN, "--amount", "15000", "--of-stan", "000123",
                "--of-time", "1123101530", "--repeat", "--stan", "000124", "--time", "1123101600");
        assertEquals(0, run.exitCode, run.err);
        ISOMsg seen = lastReceived();
        assertEquals("0401", seen.getString(Field.MTI));
        assertEquals("000124", seen.getString(Field.STAN));
        assertEquals("1123101600", seen.getString(Field.TRANSMISSION_TIME));
        assertEquals("0200" + "000123" + "1123101530" + "00000100001" + "00000000000", seen.getString(Field.ORIGINAL_DATA));
        assertTrue(run.out.contains("MTI 0410"), run.out);
    }

    @Test
    void everyCommandGetsAnAnswer() {
        List<String[]> commands = new ArrayList<>();
        commands.add(new String[] {"echo"});
        commands.add(new String[] {"sign-on"});
        commands.add(new String[] {"authorize", "--pan", PAN, "--amount", "100"});
        commands.add(new String[] {"advice", "--pan", PAN, "--amount", "100"});
        commands.add(new String[] {"refund", "--pan", PAN, "--amount", "100", "--ecommerce"});
        commands.add(new String[] {"balance", "--pan", PAN});
        commands.add(new String[] {"complete", "--pan", PAN, "--amount", "80", "--of-stan", "1", "--of-time", "0101000000"});
        for (String[] command : commands) {
            Run run = simulate(command);
            assertEquals(0, run.exitCode, String.join(" ", command) + "\n" + run.out + run.err);
            assertTrue(run.out.contains("response 00 approved"), run.out);
        }
        assertTrue(simulate("balance", "--pan", PAN).out.contains("0002410C000000045000"));
    }

    @Test
    void noServerMeansExitCode1() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = PosSimulator.execute(new PrintWriter(out), new PrintWriter(err),
                "echo", "--host", "127.0.0.1", "--port", Integer.toString(closedPort), "--timeout-ms", "2000");
        assertEquals(PosSimulator.EXIT_NO_ANSWER, exitCode);
        assertTrue(err.toString().contains("no answer"), err.toString());
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        assertEquals(2, simulate("purchase", "--pan", PAN, "--amount", "1", "--pin", "12").exitCode);
        assertEquals(2, simulate("purchase", "--pan", PAN, "--amount", "1", "--currency", "XYZ").exitCode);
        assertEquals(2, simulate("purchase", "--amount", "1").exitCode);
        Run badPan = simulate("purchase", "--pan", "41111111x1111111", "--amount", "1");
        assertEquals(2, badPan.exitCode);
        assertFalse(badPan.err.contains("41111111x1111111"), badPan.err);
    }

    private static ISOMsg lastReceived() {
        List<ISOMsg> received = server.received();
        return received.get(received.size() - 1);
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run simulate(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--host", "127.0.0.1", "--port", Integer.toString(server.port()), "--timeout-ms", "5000"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = PosSimulator.execute(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static Path devZpkFile() {
        String root = System.getProperty("anonpay.root");
        Path start = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(PinBlocks.DEV_ZPK_FILE))) {
                return dir.resolve(PinBlocks.DEV_ZPK_FILE);
            }
        }
        throw new IllegalStateException("no " + PinBlocks.DEV_ZPK_FILE + " above " + start);
    }
}
