// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.statements;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.anonpay.db.Database;
import org.anonpay.db.DatabaseSettings;
import org.anonpay.db.TestMariaDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The statement job killed halfway for real: {@link StatementCommand} runs in a child JVM and is
 * killed with SIGKILL once some statements have arrived; a second run in this JVM finishes the
 * date. Every member has exactly one statement.
 */
class StatementKillTest {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    private static final LocalDate DAY = LocalDate.of(2026, 11, 23);
    private static final int MEMBERS = 8;

    @Test
    void killedHalfwayAndRunAgainEveryMemberHasExactlyOneStatement() throws Exception {
        DatabaseSettings dbSettings = TestMariaDb.freshSettings("statements_kill", 4);
        try (Database db = Database.open(dbSettings); Smsc smsc = new Smsc("anonpay", "pw4smpp")) {
            Fixture fx = new Fixture(db.dataSource());
            List<String> emails = new ArrayList<>();
            List<String> mobiles = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                boolean mail = i % 2 == 0;
                long m = fx.member("killed" + i, "회원" + i, "k" + i + "@example.kr", "010-2000-00" + (10 + i), mail ? "EMAIL" : "SMS");
                (mail ? emails : mobiles).add(mail ? "k" + i + "@example.kr" : "0102000" + "00" + (10 + i));
                long card = fx.card(m, "20" + (10 + i));
                fx.journal(card, "20" + (10 + i), DAY, LocalTime.of(9, i), "PURCHASE", Fixture.POS_ACQ, Fixture.POS_TID, "SHOP0001",
                        "Corner Store", 1_000, "KRW", "00", null);
            }
            Path dir = Files.createDirectories(Path.of("target", "statement-kill"));
            Properties p = new Properties();
            p.setProperty("smtp.host", "127.0.0.1");
            p.setProperty("smtp.port", Integer.toString(MAIL.getSmtp().getPort()));
            p.setProperty("smpp.host", "127.0.0.1");
            p.setProperty("smpp.port", Integer.toString(smsc.port()));
            p.setProperty("smpp.password-env", "TEST_SMPP_PASSWORD");
            p.setProperty("progress-every", "1");
            p.setProperty("pause-between-millis", "700");
            Path cfg = dir.resolve("statements.properties");
            try (var w = Files.newBufferedWriter(cfg)) {
                p.store(w, null);
            }
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-Dorg.slf4j.simpleLogger.log.org.hibernate=warn",
                    "-Dorg.jboss.logging.provider=slf4j", "-cp", System.getProperty("java.class.path"), StatementCommand.class.getName(),
                    "--date", DAY.toString(), "--settings", cfg.toString(), "--db-url", dbSettings.jdbcUrl(), "--db-user", dbSettings.user())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile());
            pb.environment().put("TEST_SMPP_PASSWORD", "pw4smpp");
            pb.environment().put("ANONPAY_DB_PASSWORD", dbSettings.password());
            Process child = pb.start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (MAIL.getReceivedMessages().length + smsc.received.size() < 3) {
                    assertTrue(child.isAlive(), "the child ended early: see " + dir.resolve("child.log"));
                    assertTrue(System.nanoTime() < deadline, "no statements from the child");
                    Thread.sleep(20);
                }
                Thread.sleep(300);   // into the 700 ms pause after the third member (a kill right after a send could hit the window)
            } finally {
                child.destroyForcibly();   // SIGKILL: no shutdown hook, no clean-up
                child.waitFor(10, TimeUnit.SECONDS);
            }
            int before = MAIL.getReceivedMessages().length + smsc.received.size();
            assertTrue(before >= 3 && before < MEMBERS, "killed halfway: " + before + " of " + MEMBERS);
            // a kill inside the window between send and mark (a few ms in 700) would leave one row SENDING
            List<StatementStore.Row> sending = new StatementStore(db.dataSource(), Clock.systemUTC()).rows(DAY, StatementStore.State.SENDING);

            Properties again = new Properties();
            again.putAll(p);
            StatementSettings s = StatementSettings.from(again, Map.of("TEST_SMPP_PASSWORD", "pw4smpp"));
            StatementJob.Result r = new StatementJob(db.dataSource(), s, Clock.systemUTC()).run(DAY);
            assertEquals(MEMBERS, r.total());
            MAIL.waitForIncomingEmail(5_000, emails.size());

            Map<String, Integer> received = new TreeMap<>();
            Arrays.stream(MAIL.getReceivedMessages()).forEach(m -> {
                try {
                    received.merge(m.getAllRecipients()[0].toString(), 1, Integer::sum);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            smsc.received.forEach(sms -> received.merge(sms.destination(), 1, Integer::sum));
            List<String> everyone = new ArrayList<>(emails);
            everyone.addAll(mobiles);
            if (sending.isEmpty()) {
                for (String to : everyone) assertEquals(1, received.getOrDefault(to, 0), to + ": " + received);
                assertEquals(MEMBERS, r.counts().sent());
            } else {
                // the one interrupted send is left SENDING until it is stale (10 min), never sent twice meanwhile
                assertEquals(1, sending.size());
                assertEquals(MEMBERS - 1, r.counts().sent());
                for (String to : everyone) assertTrue(received.getOrDefault(to, 0) <= 1, to + ": " + received);
            }
            System.out.println("killed after " + before + " statement(s), " + sending.size() + " left SENDING; after the re-run " + received);
        }
    }
}
