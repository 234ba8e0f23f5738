// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import org.anonpay.host.HostFixture.TestCard;
import org.anonpay.iso.IsoClient;
import org.anonpay.iso.MessageFactory;
import org.anonpay.iso.Terminal;
import org.junit.jupiter.api.Test;

/**
 * Ops staff change the running host through deploy/: editing the ISO server's descriptor moves
 * it to another port without a restart, and payments go on there against the same ledger.
 */
class HotDeployIT {

    @Test
    void editingTheServerDescriptorRedeploysItWhileTheHostRuns() throws Exception {
        try (HostFixture fx = HostFixture.start("hotdeploy")) {
            TestCard card = fx.issueCard("KRW-PREPAID", 10_000);
            MessageFactory pos = new MessageFactory(Terminal.defaults().withTerminalId("HOTDEP01"));
            int before = fx.host.isoPort();
            try (IsoClient client = fx.connect()) {
                assertEquals("00", client.exchange(pos.purchase(card.iso(), 1_000)).getString(39));
            }

            fx.host.moveIsoServerTo(HostProcess.freePort());
            awaitListening(fx.host.isoPort(), Duration.ofSeconds(60));

            try (IsoClient client = fx.connect()) {
                assertEquals("00", client.exchange(pos.purchase(card.iso(), 2_000)).getString(39));
            }
            assertThrows(IOException.class, () -> new Socket("127.0.0.1", before).close(), "the old port is closed");
            assertEquals(7_000L, fx.balance(card).available());
        }
    }

    private static void awaitListening(int port, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        throw new AssertionError("nothing listens on " + port + " after " + timeout);
    }
}
