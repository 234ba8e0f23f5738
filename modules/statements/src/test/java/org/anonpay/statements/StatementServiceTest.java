// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.statements;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import org.anonpay.db.Database;
import org.anonpay.db.DatabaseService;
import org.anonpay.db.TestMariaDb;
import org.jpos.core.SimpleConfiguration;
import org.jpos.util.NameRegistrar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The QBean as Q2 runs it: at start it catches up yesterday's run when the time of day has passed. */
class StatementServiceTest {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    @Test
    void atStartItCatchesUpYesterdaysRun() throws Exception {
        ZoneId seoul = ZoneId.of("Asia/Seoul");
        LocalDate yesterday = LocalDate.now(seoul).minusDays(1);
        try (Database db = TestMariaDb.freshDatabase("statements_qbean")) {
            Fixture fx = new Fixture(db.dataSource());
            long m = fx.member("qbean1", "홍길동", "qbean@example.kr", "010-3000-0001", "EMAIL");
            long card = fx.card(m, "3001");
            fx.journal(card, "3001", yesterday, LocalTime.NOON, "PURCHASE", Fixture.POS_ACQ, Fixture.POS_TID, "SHOP0001", "Corner Store",
                    4_500, "KRW", "00", null);
            Path cfg = Files.createDirectories(Path.of("target", "statement-qbean")).resolve("statements.properties");
            Files.writeString(cfg, "smtp.host=127.0.0.1\nsmtp.port=" + MAIL.getSmtp().getPort() + "\n");

            NameRegistrar.register(DatabaseService.REGISTRY_NAME, db);
            StatementService service = new StatementService();
            SimpleConfiguration c = new SimpleConfiguration();
            c.put("time", "00:00");   // always passed: the catch-up runs at start
            c.put("zone", "Asia/Seoul");
            c.put("settings", cfg.toString());
            service.setLogger("Q2");
            service.setName("statements-test");
            service.setConfiguration(c);
            try {
                service.init();
                service.start();
                assertTrue(MAIL.waitForIncomingEmail(20_000, 1), "the catch-up sent yesterday's statement");
                long deadline = System.currentTimeMillis() + 10_000;
                while (fx.count("SELECT COUNT(*) FROM statement_run WHERE business_date = ? AND state = 'COMPLETE'", yesterday) == 0) {
                    assertTrue(System.currentTimeMillis() < deadline, "run not COMPLETE");
                    Thread.sleep(50);
                }
                assertEquals(1, MAIL.getReceivedMessages().length);
                assertTrue(MAIL.getReceivedMessages()[0].getSubject().contains(yesterday.toString()));
            } finally {
                service.stop();
                NameRegistrar.unregister(DatabaseService.REGISTRY_NAME);
            }
        }
    }
}
