// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.statements;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The next-day statements with a real MariaDB, a real SMTP server (GreenMail) and a real SMPP
 * server (jsmpp's server session): exactly one statement per member per day by the chosen
 * channel, listing exactly that day's entries from every door; crash and re-run; failing SMTP.
 */
class StatementJobTest {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    /** 2026-11-24 09:00 in Seoul: the statements due are those of 2026-11-23. */
    private static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");
    private static final LocalDate DAY = LocalDate.of(2026, 11, 23);

    private Database db;
    private Fixture fx;
    private Smsc smsc;
    private StatementSettings settings;

    @BeforeEach
    void setUp() throws Exception {
        db = TestMariaDb.freshDatabase("statements");
        fx = new Fixture(db.dataSource());
        smsc = new Smsc("anonpay", "pw4smpp");
        Properties p = new Properties();
        p.setProperty("smtp.host", "127.0.0.1");
        p.setProperty("smtp.port", Integer.toString(MAIL.getSmtp().getPort()));
        p.setProperty("smpp.host", "127.0.0.1");
        p.setProperty("smpp.port", Integer.toString(smsc.port()));
        p.setProperty("wallet.url", "https://wallet.anonpay.kr/");
        p.setProperty("backoff-millis", "50");
        p.setProperty("progress-every", "1");
        p.setProperty("send-timeout-millis", "5000");
        settings = StatementSettings.from(p, Map.of("ANONPAY_SMPP_PASSWORD", "pw4smpp"));
    }

    @AfterEach
    void tearDown() throws Exception {
        smsc.close();
        db.close();
    }

    private StatementJob job(StatementSettings s, Clock clock, StatementJob.Hooks hooks) {
        return new StatementJob(new StatementStore(db.dataSource(), clock), s, StatementJob.senders(s), clock, hooks);
    }

    private StatementJob job() {
        return job(settings, Clock.fixed(NOW, ZoneOffset.UTC), StatementJob.NONE);
    }

    @Test
    void yesterdayIsTheBusinessDateInSeoul() {
        assertEquals(DAY, StatementJob.yesterday(Clock.fixed(NOW, ZoneOffset.UTC)));
        // 2026-11-23 23:30 UTC is already the 24th in Seoul
        assertEquals(DAY, StatementJob.yesterday(Clock.fixed(Instant.parse("2026-11-23T15:30:00Z"), ZoneOffset.UTC)));
    }

    @Test
    void eachMemberGetsOneStatementByTheChosenChannelListingExactlyThatDayFromEveryDoor() throws Exception {
        fx.mall("DEMOMALL01", "anonpay demo tea house");
        long hong = fx.member("hong1234", "홍길동", "hong@example.kr", "010-1234-5678", "EMAIL");
        long kim = fx.member("kim5678", "김영희", "kim@example.kr", "010-9876-5432", "SMS");
        long lee = fx.member("lee0000", "이순신", "lee@example.kr", "010-1111-2222", "EMAIL");
        long hongCard = fx.card(hong, "0013");
        long hongCard2 = fx.card(hong, "0021");
        long kimCard = fx.card(kim, "0039");
        long leeCard = fx.card(lee, "0047");

        // hong, the day before and the day after: never on the statement of DAY
        fx.journal(hongCard, "0013", DAY.minusDays(1), LocalTime.of(23, 59), "PURCHASE", Fixture.POS_ACQ, Fixture.POS_TID, "SHOP0001", "Corner Store", 11_111, "KRW", "00", null);
        fx.journal(hongCard, "0013", DAY.plusDays(1), LocalTime.of(0, 1), "PURCHASE", Fixture.POS_ACQ, Fixture.POS_TID, "SHOP0001", "Corner Store", 22_222, "KRW", "00", null);
        // hong on DAY, every door
        fx.journal(hongCard, "0013", DAY, LocalTime.of(8, 0), "LOAD", Fixture.WALLET_ACQ, Fixture.WALLET_TID, null, null, 100_000, "KRW", "00", null);
        fx.journal(hongCard, "0013", DAY, LocalTime.of(9, 15), "PURCHASE", Fixture.MALL_API_ACQ, Fixture.MALL_API_TID, "DEMOMALL01", "anonpay demo tea house SEOUL", 15_000, "KRW", "00", null);   // wallet (Flow B)
        long autofill = fx.journal(hongCard, "0013", DAY, LocalTime.of(10, 30), "PURCHASE", Fixture.MALL_API_ACQ, Fixture.MALL_API_TID, "DEMOMALL01", null, 4_300, "KRW", "00", null);   // auto-fill (Flow C)
        fx.journal(hongCard, "0013", DAY, LocalTime.of(10, 31), "REVERSAL", Fixture.MALL_API_ACQ, Fixture.MALL_API_TID, "DEMOMALL01", null, 4_300, "KRW", "00", autofill);
        fx.journal(hongCard2, "0021", DAY, LocalTime.of(12, 5), "PURCHASE", Fixture.VAN_ACQ, Fixture.VAN_TID, "DEMOSHOP02", "anonpay demo shop", 27_500, "KRW", "00", null);   // VAN (Flow D)
        long hold = fx.journal(hongCard2, "0021", DAY, LocalTime.of(18, 0), "AUTHORIZATION", Fixture.POS_ACQ, Fixture.POS_TID, "SHOP0001", "Corner Store", 30_000, "KRW", "00", null);
        fx.journal(hongCard2, "0021", DAY, LocalTime.of(18, 40), "COMPLETION", Fixture.POS_ACQ, Fixture.POS_TID, "SHOP0001", "Corner Store", 20_000, "KRW", "00", hold);   // POS
        fx.journal(hongCard2, "0021", DAY, LocalTime.of(19, 0), "REFUND", Fixture.VAN_ACQ, Fixture.VAN_TID, "DEMOSHOP02", "anonpay demo shop", 7_000, "KRW", "00", null);
        fx.journal(hongCard, "0013", DAY, LocalTime.of(20, 0), "PURCHASE", Fixture.POS_ACQ, Fixture.POS_TID, "SHOP0001", "Corner Store", 999_999, "KRW", "51", null);   // declined
        fx.journal(hongCard, "0013", DAY, LocalTime.of(20, 1), "BALANCE_INQUIRY", Fixture.POS_ACQ, Fixture.POS_TID, "SHOP0001", "Corner Store", 0, "KRW", "00", null);
        // kim on DAY: a POS purchase and a USD card purchase
        fx.journal(kimCard, "0039", DAY, LocalTime.of(13, 0), "PURCHASE", Fixture.POS_ACQ, Fixture.POS_TID, "SHOP0001", "Corner Store", 8_800, "KRW", "00", null);
        fx.journal(kimCard, "0039", DAY, LocalTime.of(14, 0), "PURCHASE", Fixture.MALL_API_ACQ, Fixture.MALL_API_TID, "DEMOMALL01", null, 1_250, "USD", "00", null);
        // lee: only a decline on DAY and a purchase the day after: no statement
        fx.journal(leeCard, "0047", DAY, LocalTime.of(11, 0), "PURCHASE", Fixture.POS_ACQ, Fixture.POS_TID, "SHOP0001", "Corner Store", 5_000, "KRW", "05", null);
        fx.journal(leeCard, "0047", DAY.plusDays(1), LocalTime.of(11, 0), "PURCHASE", Fixture.POS_ACQ, Fixture.POS_TID, "SHOP0001", "Corner Store", 5_000, "KRW", "00", null);

        StatementJob.Result r = job().run(DAY);
        assertEquals(2, r.total());
        assertEquals(2, r.sentNow());

        // e-mail: exactly one, to hong
        assertTrue(MAIL.waitForIncomingEmail(5_000, 1));
        MimeMessage[] mails = MAIL.getReceivedMessages();
        assertEquals(1, mails.length);
        MimeMessage mail = mails[0];
        assertEquals("hong@example.kr", mail.getAllRecipients()[0].toString());
        assertTrue(mail.getSubject().contains("2026-11-23"), mail.getSubject());
        Multipart alt = (Multipart) mail.getContent();
        assertTrue(alt.getContentType().startsWith("multipart/alternative"), alt.getContentType());
        assertEquals(2, alt.getCount());
        BodyPart textPart = alt.getBodyPart(0);
        BodyPart htmlPart = alt.getBodyPart(1);
        assertTrue(textPart.isMimeType("text/plain"));
        assertTrue(htmlPart.isMimeType("text/html"));
        String text = (String) textPart.getContent();
        String html = (String) htmlPart.getContent();
        for (String part : List.of(text, html)) {
            assertTrue(part.contains("홍길동") && part.contains("hong1234"), "Korean and English");
            assertTrue(part.contains("거래 내역") && part.contains("your transactions"));
            // exactly the day's approved money-moving entries, from every door
            assertTrue(part.contains("+100,000원") && part.contains("+KRW 100,000"), "the top-up");
            assertTrue(part.contains("anonpay demo tea house"), "the mall's name");
            assertTrue(part.contains("-15,000원") && part.contains("-4,300원") && part.contains("+4,300원"), "wallet, auto-fill and its reversal");
            assertTrue(part.contains("-27,500원") && part.contains("anonpay demo shop"), "the VAN");
            assertTrue(part.contains("-20,000원") && part.contains("Corner Store"), "the POS completion");
            assertTrue(part.contains("+7,000원"), "the refund");
            assertFalse(part.contains("30,000"), "a hold is not money moved");
            assertFalse(part.contains("999,999"), "declines are left out");
            assertFalse(part.contains("11,111") || part.contains("22,222"), "another day's entries");
            assertTrue(part.contains("941000******0013") && part.contains("941000******0021"), "masked cards");
            assertTrue(part.contains("https://wallet.anonpay.kr/"));
        }
        assertEquals(7, Pattern.compile("(?m)^\\d\\d:\\d\\d  ").matcher(text.substring(0, text.indexOf("-----"))).results().count(),
                "seven entries in the Korean part");
        assertTrue(text.contains("합계 KRW: 출금 66,800원, 입금 111,300원"), text);

        // SMS: exactly one, to kim, UCS-2 within 70 characters, with the wallet's address
        assertEquals(1, smsc.received.size());
        Smsc.Sms sms = smsc.received.getFirst();
        assertEquals("01098765432", sms.destination());
        assertEquals(0x08, sms.dataCoding());
        assertTrue(sms.text().length() <= 70, sms.text());
        assertTrue(sms.text().contains("11/23") && sms.text().contains("2건") && sms.text().contains("8,800원")
                && sms.text().contains("USD 12.50") && sms.text().endsWith("https://wallet.anonpay.kr/"), sms.text());

        assertEquals(1, fx.count("SELECT COUNT(*) FROM statement WHERE member_ref = ? AND state = 'SENT' AND attempts = 1 AND entries = 7", hong));
        assertEquals(1, fx.count("SELECT COUNT(*) FROM statement WHERE member_ref = ? AND state = 'SENT' AND channel = 'SMS' AND entries = 2", kim));
        assertEquals(0, fx.count("SELECT COUNT(*) FROM statement WHERE member_ref = ?", lee));
        assertEquals(1, fx.count("SELECT COUNT(*) FROM statement_run WHERE business_date = ? AND state = 'COMPLETE' AND members_total = 2", DAY));

        // a re-run sends nothing more
        StatementJob.Result again = job().run(DAY);
        assertEquals(0, again.sentNow());
        Thread.sleep(300);
        assertEquals(1, MAIL.getReceivedMessages().length);
        assertEquals(1, smsc.received.size());
    }

    @Test
    void opsResendOneMembersStatementAndNoOneElses() throws Exception {
        fourMembers();
        assertEquals(4, job().run(DAY).sentNow());
        Thread.sleep(300);
        assertEquals(2, MAIL.getReceivedMessages().length);
        assertTrue(job().store().resetMember("MEMBER0", DAY), "member ids are matched ignoring case");
        assertFalse(job().store().resetMember("nosuchmember", DAY));
        assertEquals(1, job().run(DAY).sentNow(), "only the member asked for");
        Thread.sleep(300);
        assertEquals(3, MAIL.getReceivedMessages().length);
        assertEquals(2, smsc.received.size());
    }

    /** Two members by e-mail and two by SMS, each with one purchase on DAY. */
    private long[] fourMembers() throws Exception {
        long[] members = new long[4];
        for (int i = 0; i < 4; i++) {
            String channel = i % 2 == 0 ? "EMAIL" : "SMS";
            members[i] = fx.member("member" + i, "회원" + i, "m" + i + "@example.kr", "010-0000-000" + i, channel);
            long card = fx.card(members[i], "100" + i);
            fx.journal(card, "100" + i, DAY, LocalTime.of(10, i), "PURCHASE", Fixture.POS_ACQ, Fixture.POS_TID, "SHOP0001", "Corner Store", 1_000 + i, "KRW", "00", null);
        }
        return members;
    }

    private void assertEachExactlyOnce() {
        List<String> mailTo = Arrays.stream(MAIL.getReceivedMessages()).map(m -> {
            try {
                return m.getAllRecipients()[0].toString();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).sorted().toList();
        assertEquals(List.of("m0@example.kr", "m2@example.kr"), mailTo);
        assertEquals(List.of("01000000001", "01000000003"), smsc.received.stream().map(Smsc.Sms::destination).sorted().toList());
    }

    static final class Crash extends Error {
        Crash() {
            super("simulated crash");
        }
    }

    @Test
    void aCrashAfterTheFirstMemberAndARerunGiveEveryMemberExactlyOneStatement() throws Exception {
        long[] members = fourMembers();
        StatementJob crashing = job(settings, Clock.fixed(NOW, ZoneOffset.UTC), new StatementJob.Hooks() {
            @Override
            public void afterMarkSent(long statementId) {
                throw new Crash();   // the process dies right after the first member is done
            }
        });
        assertThrows(Crash.class, () -> crashing.run(DAY));
        assertEquals(1, MAIL.getReceivedMessages().length + smsc.received.size());
        assertEquals(1, fx.count("SELECT COUNT(*) FROM statement WHERE state = 'SENT'"));
        assertEquals(3, fx.count("SELECT COUNT(*) FROM statement WHERE state = 'PENDING'"));
        assertEquals(1, fx.count("SELECT COUNT(*) FROM statement_run WHERE state = 'RUNNING'"));

        StatementJob.Result r = job().run(DAY);
        assertEquals(3, r.sentNow());
        MAIL.waitForIncomingEmail(5_000, 2);
        assertEachExactlyOnce();
        assertEquals(4, fx.count("SELECT COUNT(*) FROM statement WHERE state = 'SENT' AND attempts = 1"));
        assertEquals(1, fx.count("SELECT COUNT(*) FROM statement_run WHERE state = 'COMPLETE'"));
        assertEquals(members.length, r.total());
    }

    @Test
    void aCrashBetweenSendAndMarkIsTheOneWindowAndIsSentAgainOnlyWhenStale() throws Exception {
        fourMembers();
        StatementJob crashing = job(settings, Clock.fixed(NOW, ZoneOffset.UTC), new StatementJob.Hooks() {
            @Override
            public void afterSend(long statementId) {
                throw new Crash();   // accepted by the server, not yet marked SENT
            }
        });
        assertThrows(Crash.class, () -> crashing.run(DAY));
        assertEquals(1, fx.count("SELECT COUNT(*) FROM statement WHERE state = 'SENDING'"));

        // at once: the other three are sent, the SENDING one is left alone (it may be another job's live send)
        job(settings, Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC), StatementJob.NONE).run(DAY);
        MAIL.waitForIncomingEmail(5_000, 2);
        assertEachExactlyOnce();
        assertEquals(1, fx.count("SELECT COUNT(*) FROM statement_run WHERE state = 'RUNNING'"));

        // past sending-stale-minutes: it is sent again (documented at-least-once window: its member has two)
        job(settings, Clock.fixed(NOW.plus(Duration.ofMinutes(11)), ZoneOffset.UTC), StatementJob.NONE).run(DAY);
        assertEquals(5, MAIL.getReceivedMessages().length + smsc.received.size());
        assertEquals(4, fx.count("SELECT COUNT(*) FROM statement WHERE state = 'SENT'"));
        assertEquals(1, fx.count("SELECT COUNT(*) FROM statement WHERE attempts = 2 AND last_error IS NULL"));
        assertEquals(1, fx.count("SELECT COUNT(*) FROM statement_run WHERE state = 'COMPLETE'"));
    }

    @Test
    void aFailingSmtpServerIsRetriedThenReportedAsFailedAndCanBeSentAgain() throws Exception {
        long hong = fx.member("hong1234", "홍길동", "hong@example.kr", "010-1234-5678", "EMAIL");
        long card = fx.card(hong, "0013");
        fx.journal(card, "0013", DAY, LocalTime.of(9, 0), "PURCHASE", Fixture.POS_ACQ, Fixture.POS_TID, "SHOP0001", "Corner Store", 5_000, "KRW", "00", null);
        int closedPort;
        try (var probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        StatementSettings broken = settings.withSmtp("127.0.0.1", closedPort);
        StatementJob.Result r = job(broken, Clock.fixed(NOW, ZoneOffset.UTC), StatementJob.NONE).run(DAY);
        assertEquals(1, r.failedNow());
        assertEquals(1, fx.count("SELECT COUNT(*) FROM statement WHERE state = 'FAILED' AND attempts = 3 AND last_error LIKE 'EMAIL attempt 3:%'"));
        assertEquals(1, fx.count("SELECT COUNT(*) FROM statement_run WHERE state = 'COMPLETE'"), "done: nothing left to send, the failure reported");
        assertEquals(0, MAIL.getReceivedMessages().length);

        // a plain re-run does not resend a FAILED statement; --retry-failed does
        assertEquals(0, job().run(DAY).sentNow());
        StatementJob fixed = job();
        assertEquals(1, fixed.store().resetFailed(DAY));
        assertEquals(1, fixed.run(DAY).sentNow());
        assertTrue(MAIL.waitForIncomingEmail(5_000, 1));
        assertEquals(1, MAIL.getReceivedMessages().length);
    }

    @Test
    void theChannelIsTheOneChosenWhenTheStatementIsSent() throws Exception {
        long kim = fx.member("kim5678", "김영희", "kim@example.kr", "010-9876-5432", "EMAIL");
        long card = fx.card(kim, "0039");
        fx.journal(card, "0039", DAY, LocalTime.of(9, 0), "PURCHASE", Fixture.POS_ACQ, Fixture.POS_TID, "SHOP0001", "Corner Store", 5_000, "KRW", "00", null);
        job().store().prepareRun(DAY);
        fx.update("UPDATE member SET statement_channel = 'SMS' WHERE id = ?", kim);   // changed in the wallet meanwhile
        job().run(DAY);
        assertEquals(0, MAIL.getReceivedMessages().length);
        assertEquals(1, smsc.received.size());
        Matcher m = Pattern.compile("1건").matcher(smsc.received.getFirst().text());
        assertTrue(m.find());
    }
}
