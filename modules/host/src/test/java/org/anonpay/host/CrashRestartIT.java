// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.anonpay.iso.Card;
import org.anonpay.iso.IsoClient;
import org.anonpay.iso.MessageFactory;
import org.anonpay.iso.OriginalData;
import org.anonpay.iso.Terminal;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the host (the JVM and its embedded mariadbd, as a power cut) in the middle of a
 * stream of purchases, then a restart on the same data directory. Every purchase answered 00 is
 * in the ledger. The purchases that got no answer are reversed by the terminal after the restart,
 * as acquirers do with timed-out requests, and then none of them has moved money: the card's
 * spending equals exactly the approved purchases, and the ledger balances.
 */
class CrashRestartIT {

    private static final long AMOUNT = 1_000;
    private static final DemoData.DemoCard DEMO = DemoData.CARDS.getFirst();

    @Test
    void approvedPurchasesSurviveAKillAndUnansweredOnesMoveNothing() throws Exception {
        HostProcess host = HostProcess.withEmbeddedDatabase("crash").start();
        long before = available(host);
        MessageFactory pos = new MessageFactory(Terminal.defaults().withTerminalId("CRASH001"));
        Card card = Card.ofPan(DEMO.pan()).withExpiry("3012");
        List<ISOMsg> approved = new ArrayList<>();
        List<ISOMsg> unanswered = new ArrayList<>();
        Thread killer = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(3_000);
                host.kill9();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (IsoClient client = IsoClient.connect("127.0.0.1", host.isoPort(), Duration.ofSeconds(5))) {
            for (int i = 0; i < 100_000; i++) {
                ISOMsg purchase = pos.purchase(card, AMOUNT);
                try {
                    ISOMsg r = client.exchange(purchase);
                    if ("00".equals(r.getString(39))) approved.add(purchase);
                } catch (Exception connectionLost) {
                    unanswered.add(purchase);
                    break;
                }
            }
        }
        killer.join();
        System.out.println("crash: " + approved.size() + " purchases approved before kill -9, " + unanswered.size() + " unanswered");
        assertTrue(approved.size() > 10, "the stream ran before the kill");

        host.start();
        try {
            try (IsoClient client = IsoClient.connect("127.0.0.1", host.isoPort(), Duration.ofSeconds(30))) {
                for (ISOMsg lost : unanswered) {
                    ISOMsg r = client.exchange(pos.reversal(card, "000000", AMOUNT, OriginalData.of(lost)));
                    assertEquals("00", r.getString(39));
                }
            }
            assertEquals(before - approved.size() * AMOUNT, available(host), "exactly the approved purchases are spent");
            try (Connection c = connect(host)) {
                assertEquals(approved.size(), count(c, "SELECT COUNT(*) FROM authz_journal WHERE txn_type = 'PURCHASE'"
                        + " AND response_code = '00' AND reversed = FALSE"));
            }
            assertTrue(trialBalanced(host), "ledger sums to zero after the crash");
            try (com.zaxxer.hikari.HikariDataSource ds = dataSource(host)) {
                DatabaseDump.write(ds, HostFixture.SECRETS.resolveSibling("db-dumps").resolve("crash.dump"));
            }
        } finally {
            host.stop();
        }
    }

    private static long available(HostProcess host) throws Exception {
        try (Connection c = connect(host)) {
            long account = count(c, "SELECT ledger_account_id FROM card WHERE pan_last4 = '" + DEMO.pan().substring(12) + "'"
                    + " AND program_id = '" + DEMO.programId() + "'");
            return new org.anonpay.ledger.Ledger().balance(c, account).available();
        }
    }

    private static boolean trialBalanced(HostProcess host) throws Exception {
        try (Connection c = connect(host)) {
            return new org.anonpay.ledger.Ledger().trialBalance(c).stream().allMatch(org.anonpay.ledger.TrialBalance::balanced);
        }
    }

    private static long count(Connection c, String sql) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String url(HostProcess host) {
        return "jdbc:mysql://127.0.0.1:" + host.embeddedDbPort() + "/anonpay?sslMode=DISABLED&allowPublicKeyRetrieval=true";
    }

    private static Connection connect(HostProcess host) throws Exception {
        return DriverManager.getConnection(url(host), "root", "");
    }

    private static com.zaxxer.hikari.HikariDataSource dataSource(HostProcess host) {
        com.zaxxer.hikari.HikariDataSource ds = new com.zaxxer.hikari.HikariDataSource();
        ds.setJdbcUrl(url(host));
        ds.setUsername("root");
        return ds;
    }
}
