// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.anonpay.host.HostFixture.TestCard;
import org.anonpay.issuer.CardState;
import org.anonpay.iso.AdditionalAmounts;
import org.anonpay.iso.Card;
import org.anonpay.iso.IsoClient;
import org.anonpay.iso.MessageFactory;
import org.anonpay.iso.OriginalData;
import org.anonpay.iso.Terminal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import org.anonpay.authz.AuthorizationRetention;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every message type of the VAN/POS interface against the packaged host on a real MariaDB over
 * real TCP: approvals and each decline, holds and (partial) completions, reversals, repeats,
 * advices. Money is checked in the ledger, not only in the answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationHostIT {

    private HostFixture fx;
    private IsoClient client;
    private MessageFactory pos;

    @BeforeAll
    void start() throws Exception {
        fx = HostFixture.start("authz");
        client = fx.connect();
        pos = new MessageFactory(Terminal.defaults().withTerminalId("TERM0001").withMerchantId("MALL000000001"));
    }

    @AfterAll
    void stop() throws Exception {
        if (client != null) client.close();
        if (fx != null) {
            fx.trialBalance().forEach(t -> assertTrue(t.balanced(), "ledger out of balance: " + t));
            fx.close();
        }
    }

    private ISOMsg send(ISOMsg request) throws Exception {
        return client.exchange(request);
    }

    @Test
    void echoAndSignOnAreAnswered() throws Exception {
        ISOMsg echo = send(pos.echo());
        assertEquals("0810", echo.getMTI());
        assertEquals("00", echo.getString(39));
        assertEquals("00", send(pos.signOn()).getString(39));
    }

    @Test
    void purchaseDebitsTheCardAndAnswersTheBalance() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 50_000);
        ISOMsg r = send(pos.purchase(card.iso(), 12_000));
        assertEquals("0210", r.getMTI());
        assertEquals("00", r.getString(39));
        assertNotNull(r.getString(38), "approval code");
        assertNull(r.getString(52));
        assertEquals(38_000L, AdditionalAmounts.parse(r.getString(54)).orElseThrow().availableBalanceMinor().orElseThrow());
        assertEquals(38_000L, fx.balance(card).available());
        assertLoggedOnce(card, "0200 PURCHASE", "amount=12000 KRW rc=00", r.getString(11));
    }

    /**
     * The host's one line for a message (LogMessage): type, the card as first 6 + last 4, amount,
     * response code, STAN and the time taken as milliseconds with three decimals; never the full number.
     */
    private void assertLoggedOnce(TestCard card, String type, String amountAndCode, String stan) throws Exception {
        String masked = card.pan().substring(0, 6) + "*".repeat(card.pan().length() - 10) + card.pan().substring(card.pan().length() - 4);
        java.util.regex.Pattern line = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(type + " card=" + masked + " " + amountAndCode)
                + " stan=" + stan + " tid=\\S+ took=\\d+\\.\\d{3}ms$");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5); // the line is written after the answer is sent
        long found;
        do {
            found = java.nio.file.Files.readAllLines(fx.host.output()).stream().filter(l -> line.matcher(l).find()).count();
        } while (found == 0 && System.nanoTime() < deadline);
        assertEquals(1, found, "one line per message: " + line + "\n" + fx.host.tail());
        assertFalse(java.nio.file.Files.readString(fx.host.output()).contains(card.pan()), "no full card number in the host's output");
    }

    @Test
    void aReversalThatArrivesBeforeItsOriginalMakesTheLateOriginalDecline() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 50_000);
        ISOMsg purchase = pos.purchase(card.iso(), 20_000); // built, but held back by the network
        assertEquals("00", send(pos.reversal(card.iso(), "000000", 20_000, OriginalData.of(purchase))).getString(39), "acknowledged");
        ISOMsg late = send(purchase);
        assertEquals("12", late.getString(39));
        assertEquals("REVERSED_BEFORE_ARRIVAL", fx.string("SELECT decline_reason FROM authz_journal WHERE stan = '" + purchase.getString(11)
                + "' AND transmission_time = '" + purchase.getString(7) + "' AND mti_class = '020'"));
        assertEquals(50_000, fx.balance(card).available(), "the late original moved nothing");
        assertEquals("12", send(org.anonpay.iso.MessageFactory.repeatOf(purchase)).getString(39), "and its repeat is answered the same");
    }

    @Test
    void anOriginalAndItsRepeatSentAtOnceDebitOnceAndBothAreApproved() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 50_000);
        for (int round = 0; round < 20; round++) {
            ISOMsg purchase = pos.purchase(card.iso(), 1_000);
            ISOMsg repeat = org.anonpay.iso.MessageFactory.repeatOf(purchase);
            try (IsoClient other = fx.connect()) {
                var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> exchangeQuietly(client, purchase));
                var second = java.util.concurrent.CompletableFuture.supplyAsync(() -> exchangeQuietly(other, repeat));
                assertEquals("00", first.get().getString(39));
                assertEquals("00", second.get().getString(39), "the repeat is answered as its original, never 96");
            }
        }
        assertEquals(30_000, fx.balance(card).available(), "twenty purchases, each debited once");
    }

    private static ISOMsg exchangeQuietly(IsoClient c, ISOMsg m) {
        try {
            return c.exchange(m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void insufficientFundsIs51AndMovesNothing() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 10_000);
        assertEquals("51", send(pos.purchase(card.iso(), 10_001)).getString(39));
        assertEquals("51", send(pos.authorization(card.iso(), 10_001)).getString(39));
        assertEquals(10_000L, fx.balance(card).available());
        assertEquals("00", send(pos.purchase(card.iso(), 10_000)).getString(39), "the whole balance can be spent");
        assertEquals(0L, fx.balance(card).available());
    }

    @Test
    void unknownCardIs14() throws Exception {
        assertEquals("14", send(pos.purchase(Card.ofPan("9410009999999995").withExpiry("3012"), 1_000)).getString(39));
    }

    @Test
    void wrongExpiryAndExpiredCardAre54() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 10_000);
        assertEquals("54", send(pos.purchase(card.iso().withExpiry("2001"), 1_000)).getString(39));
        assertEquals(10_000L, fx.balance(card).available());

        YearMonth nextMonth = YearMonth.now().plusMonths(1);
        TestCard expiring = fx.issueCardExpiring(nextMonth, 10_000);
        assertEquals("00", send(pos.purchase(expiring.iso(), 1_000)).getString(39), "valid until its month ends");
        assertEquals(1, fx.expireCardsAsOf(nextMonth.plusMonths(1)), "the expiry job expires exactly that card");
        assertEquals("54", send(pos.purchase(expiring.iso(), 1_000)).getString(39));
        assertEquals(9_000L, fx.balance(expiring).available());
    }

    @Test
    void cashIsNotPermittedOnTheKrwProgram57() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 10_000);
        ISOMsg cash = pos.purchase(card.iso(), 1_000);
        cash.set(3, "010000");
        assertEquals("57", send(cash).getString(39));
        assertEquals(10_000L, fx.balance(card).available());
    }

    @Test
    void overThePerTransactionLimitIs61() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 1_500_000);
        assertEquals("61", send(pos.purchase(card.iso(), 1_000_001)).getString(39));
        assertEquals("00", send(pos.purchase(card.iso(), 1_000_000)).getString(39));
    }

    @Test
    void pinIsVerifiedAndThreeWrongPinsBlockIt() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 10_000);
        assertEquals("00", send(pos.purchase(card.withPin(HostFixture.PIN), 100)).getString(39));
        assertEquals("55", send(pos.purchase(card.withPin("9999"), 100)).getString(39));
        assertEquals("55", send(pos.purchase(card.withPin("9998"), 100)).getString(39));
        assertEquals("75", send(pos.purchase(card.withPin("9997"), 100)).getString(39));
        assertEquals("75", send(pos.purchase(card.withPin(HostFixture.PIN), 100)).getString(39), "blocked even for the right PIN");
        assertEquals(9_900L, fx.balance(card).available());
    }

    @Test
    void wrongCvv2IsDeclined() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 10_000);
        String wrong = card.cvv2().equals("000") ? "001" : "000";
        assertEquals("05", send(pos.purchase(card.iso().withCvv2(wrong), 100)).getString(39));
        assertEquals("00", send(pos.purchase(card.iso(), 100)).getString(39));
    }

    @Test
    void frozenLostAndStolenCardsAreDeclined() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 10_000);
        fx.setState(card, CardState.FROZEN);
        assertEquals("62", send(pos.purchase(card.iso(), 100)).getString(39));
        fx.setState(card, CardState.LOST);
        assertEquals("41", send(pos.purchase(card.iso(), 100)).getString(39));
        TestCard stolen = fx.issueCard("KRW-PREPAID", 10_000);
        fx.setState(stolen, CardState.STOLEN);
        assertEquals("43", send(pos.purchase(stolen.iso(), 100)).getString(39));
    }

    @Test
    void authorizationHoldsAndAPartialCompletionPostsLessAndReleasesTheRest() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 100_000);
        ISOMsg auth = pos.authorization(card.iso(), 30_000);
        ISOMsg authResponse = send(auth);
        assertEquals("0110", authResponse.getMTI());
        assertEquals("00", authResponse.getString(39));
        assertEquals(70_000L, fx.balance(card).available());
        assertEquals(100_000L, fx.balance(card).posted(), "a hold does not post");

        ISOMsg completion = send(pos.completion(card.iso(), 20_000, OriginalData.of(auth)));
        assertEquals("0230", completion.getMTI());
        assertEquals("00", completion.getString(39));
        assertEquals(80_000L, fx.balance(card).available(), "10,000 released");
        assertEquals(80_000L, fx.balance(card).posted());

        assertEquals("12", send(pos.completion(card.iso(), 5_000, OriginalData.of(auth))).getString(39), "completed once");
        assertEquals(80_000L, fx.balance(card).available());
    }

    @Test
    void completionOverTheHoldOrOfAnUnknownAuthorizationIsDeclined() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 100_000);
        ISOMsg auth = pos.authorization(card.iso(), 10_000);
        assertEquals("00", send(auth).getString(39));
        assertEquals("13", send(pos.completion(card.iso(), 10_001, OriginalData.of(auth))).getString(39));
        OriginalData unknown = OriginalData.of("0100", "999999", "0101000000", Terminal.defaults().acquirerId());
        assertEquals("25", send(pos.completion(card.iso(), 1_000, unknown)).getString(39));
        assertEquals(90_000L, fx.balance(card).available());
    }

    @Test
    void reversalOfAPurchaseCreditsItBackOnceAndUnknownOriginalsMoveNothing() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 50_000);
        ISOMsg purchase = pos.purchase(card.iso(), 20_000);
        assertEquals("00", send(purchase).getString(39));
        assertEquals(30_000L, fx.balance(card).available());

        ISOMsg reversal = send(pos.reversal(card.iso(), "000000", 20_000, OriginalData.of(purchase)));
        assertEquals("0410", reversal.getMTI());
        assertEquals("00", reversal.getString(39));
        assertEquals(50_000L, fx.balance(card).available());

        ISOMsg again = send(pos.reversalAdvice(card.iso(), "000000", 20_000, OriginalData.of(purchase)));
        assertEquals("0430", again.getMTI());
        assertEquals("00", again.getString(39));
        assertEquals(50_000L, fx.balance(card).available(), "a second reversal moves nothing");

        OriginalData unknown = OriginalData.of("0200", "888888", "0101000000", Terminal.defaults().acquirerId());
        assertEquals("00", send(pos.reversal(card.iso(), "000000", 5_000, unknown)).getString(39));
        assertEquals(50_000L, fx.balance(card).available(), "an unknown original moves nothing");
    }

    @Test
    void reversalOfAnAuthorizationReleasesTheHold() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 50_000);
        ISOMsg auth = pos.authorization(card.iso(), 15_000);
        assertEquals("00", send(auth).getString(39));
        assertEquals(35_000L, fx.balance(card).available());
        assertEquals("00", send(pos.reversal(card.iso(), "000000", 15_000, OriginalData.of(auth))).getString(39));
        assertEquals(50_000L, fx.balance(card).available());
        assertEquals("12", send(pos.completion(card.iso(), 15_000, OriginalData.of(auth))).getString(39), "a reversed hold cannot be completed");
    }

    @Test
    void aRepeatGetsTheOriginalAnswerAndMovesNoMoney() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 50_000);
        ISOMsg purchase = pos.purchase(card.iso(), 7_000);
        ISOMsg first = send(purchase);
        ISOMsg sameAgain = send((ISOMsg) purchase.clone());
        ISOMsg repeat = send(MessageFactory.repeatOf(purchase));
        for (ISOMsg r : new ISOMsg[] {sameAgain, repeat}) {
            assertEquals("0210", r.getMTI());
            assertEquals(first.getString(39), r.getString(39));
            assertEquals(first.getString(38), r.getString(38));
            assertEquals(first.getString(54), r.getString(54));
        }
        assertEquals(43_000L, fx.balance(card).available(), "debited once");

        ISOMsg clash = (ISOMsg) purchase.clone();
        clash.set(4, "000000008000");
        assertEquals("94", send(clash).getString(39), "same key, other amount");
        assertEquals(43_000L, fx.balance(card).available());
    }

    @Test
    void aRepeatAfterItsKeyClaimWasPurgedIsStillAnsweredFromTheJournal() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 50_000);
        ISOMsg purchase = pos.purchase(card.iso(), 6_000);
        ISOMsg first = send(purchase);
        assertEquals("00", first.getString(39));
        // the daily purge, as if three days had passed: the ORIGINAL claims of everything journaled so far go
        AuthorizationRetention.Purged purged = new AuthorizationRetention(fx.db, 500, line -> {})
                .run(Instant.now().plusSeconds(1), LocalDate.now().minusDays(7));
        assertTrue(purged.keyClaims() >= 1, "purged " + purged);
        assertEquals(0, fx.count("SELECT COUNT(*) FROM authz_key_claim WHERE kind = 'ORIGINAL' AND stan = '" + purchase.getString(11) + "'"));

        ISOMsg repeat = send(MessageFactory.repeatOf(purchase));
        assertEquals("0210", repeat.getMTI());
        assertEquals(first.getString(38), repeat.getString(38), "the original answer, from the journal");
        assertEquals(first.getString(54), repeat.getString(54));
        // not flagged as a repeat, the same message again fails on the journal's unique key and moves
        // nothing; SendResponse's abort finds it journaled and answers it as the repeat it is
        ISOMsg sameAgain = send((ISOMsg) purchase.clone());
        assertEquals("00", sameAgain.getString(39));
        assertEquals(first.getString(38), sameAgain.getString(38));
        // the same key with another amount is no repeat: it fails the same way and is answered 96
        ISOMsg clash = (ISOMsg) purchase.clone();
        clash.set(4, "000000007000");
        assertEquals("96", send(clash).getString(39));
        assertEquals(44_000L, fx.balance(card).available(), "debited once");
    }

    @Test
    void aRepeatedDeclineIsTheSameDecline() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 1_000);
        ISOMsg purchase = pos.purchase(card.iso(), 5_000);
        assertEquals("51", send(purchase).getString(39));
        fx.load(card, 10_000);
        assertEquals("51", send(MessageFactory.repeatOf(purchase)).getString(39), "the original answer, not a new decision");
        assertEquals(11_000L, fx.balance(card).available());
    }

    @Test
    void adviceIsAlwaysAcceptedAndTheShortfallGoesToRecovery() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 3_000);
        ISOMsg advice = send(pos.authorizationAdvice(card.iso(), 5_000));
        assertEquals("0130", advice.getMTI());
        assertEquals("00", advice.getString(39));
        assertEquals(0L, fx.balance(card).available(), "never below zero");
        long recoveryDebits = fx.count("SELECT COALESCE(SUM(t.amount),0) FROM ledger_transfer t JOIN ledger_account a ON a.id = t.debit_account_id"
                + " WHERE a.code = 'operator:recovery:KRW'");
        assertTrue(recoveryDebits >= 2_000, "shortfall booked to recovery: " + recoveryDebits);
    }

    @Test
    void refundCreditsTheCardAndBalanceInquiryAnswersField54() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 20_000);
        ISOMsg refund = send(pos.refund(card.iso(), 5_000));
        assertEquals("00", refund.getString(39));
        assertEquals(25_000L, fx.balance(card).available());
        ISOMsg inquiry = send(pos.balanceInquiry(card.iso()));
        assertEquals("00", inquiry.getString(39));
        AdditionalAmounts amounts = AdditionalAmounts.parse(inquiry.getString(54)).orElseThrow();
        assertEquals(25_000L, amounts.availableBalanceMinor().orElseThrow());
        assertEquals(25_000L, amounts.ledgerBalanceMinor().orElseThrow());
    }

    @Test
    void reversalOfARefundAlreadySpentIsAcceptedAndNeverTakesTheCardBelowZero() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 10_000);
        ISOMsg refund = pos.refund(card.iso(), 5_000);
        assertEquals("00", send(refund).getString(39));
        assertEquals("00", send(pos.purchase(card.iso(), 14_000)).getString(39));
        assertEquals(1_000L, fx.balance(card).available());
        ISOMsg reversal = send(pos.reversal(card.iso(), "200000", 5_000, OriginalData.of(refund)));
        assertEquals("00", reversal.getString(39));
        assertEquals(0L, fx.balance(card).available(), "the card gives what it has, the rest goes to recovery");
        fx.trialBalance().forEach(t -> assertTrue(t.balanced(), "ledger out of balance: " + t));
    }

    @Test
    void theDailyLimitCountsWhatACompletionPostedNotWhatWasHeld() throws Exception {
        TestCard card = fx.issueCard("USD-PREPAID", 250_000); // daily limit USD 1,500.00 (150000)
        ISOMsg auth = usd(pos.authorization(card.iso(), 100_000));
        assertEquals("00", send(auth).getString(39));
        assertEquals("00", send(usd(pos.completion(card.iso(), 10_000, OriginalData.of(auth)))).getString(39));
        assertEquals("00", send(usd(pos.purchase(card.iso(), 100_000))).getString(39));
        assertEquals("00", send(usd(pos.purchase(card.iso(), 40_000))).getString(39), "10000 + 100000 + 40000 = the limit");
        assertEquals("61", send(usd(pos.purchase(card.iso(), 1))).getString(39), "one cent over the daily limit");
        assertEquals(100_000L, fx.balance(card).available());
    }

    /**
     * A batch reads a card's day's spending only when its live ledger debits (an upper bound of it)
     * plus the amount could reach a daily limit. A reversed purchase stays among the debits but is no
     * longer spending: the bound is then too high, and the sum must be read rather than trusted.
     */
    @Test
    void theDailyLimitIsNotFooledByAReversedPurchase() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 2_000_000); // daily limit 2,000,000
        ISOMsg big = pos.purchase(card.iso(), 1_000_000);
        assertEquals("00", send(big).getString(39));
        assertEquals("00", send(pos.reversal(card.iso(), "000000", 1_000_000, OriginalData.of(big))).getString(39));
        assertEquals("00", send(pos.purchase(card.iso(), 900_000)).getString(39), "debits 1,000,000 + 900,000: within the limit");
        assertEquals("00", send(pos.purchase(card.iso(), 900_000)).getString(39),
                "debits 1,900,000 + 900,000 are over the limit, the day's spending 900,000 + 900,000 is not");
        assertEquals("00", send(pos.purchase(card.iso(), 200_000)).getString(39), "900,000 + 900,000 + 200,000 = the limit");
        assertEquals("61", send(pos.purchase(card.iso(), 1)).getString(39), "one won over the daily limit (checked before the funds)");
        assertEquals(0L, fx.balance(card).available());
    }

    private static ISOMsg usd(ISOMsg m) {
        m.set(49, "840");
        return m;
    }

    @Test
    void aLoadCreditsTheCardOnceUpToTheMaximumBalance() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 10_000);
        ISOMsg load = pos.load(card.iso(), 5_000);
        ISOMsg first = send(load);
        assertEquals("00", first.getString(39));
        assertEquals("00", send(MessageFactory.repeatOf(load)).getString(39));
        assertEquals(15_000L, fx.balance(card).available(), "a repeated load loads once");
        assertEquals("61", send(pos.load(card.iso(), 2_000_000 - 15_000 + 1)).getString(39), "KRW maximum balance 2,000,000");
        assertEquals("00", send(pos.reversal(card.iso(), "210000", 5_000, OriginalData.of(load))).getString(39));
        assertEquals(10_000L, fx.balance(card).available());
    }

    @Test
    void theOpsDeskLoadsCashThroughTheHost() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 0);
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine ops = new picocli.CommandLine(new org.anonpay.tools.Ops()).setOut(new java.io.PrintWriter(out));
        int exit = ops.execute("load", "--card-id", String.valueOf(card.cardId()), "--amount", "30000",
                "--port", String.valueOf(fx.host.isoPort()), "--db-url", fx.settings.jdbcUrl(), "--db-user", fx.settings.user(),
                "--keys-dir", HostProcess.ROOT.resolve("cfg/keys").toString(), "--programs-dir", HostProcess.ROOT.resolve("cfg/programs").toString());
        assertEquals(0, exit, out.toString());
        assertTrue(out.toString().contains("answered 00"), out.toString());
        assertFalse(out.toString().contains(card.pan()), "the desk never sees the full card number");
        assertEquals(30_000L, fx.balance(card).available());
        assertEquals(1L, fx.count("SELECT COUNT(*) FROM authz_journal WHERE txn_type = 'LOAD' AND terminal_id = 'OPSDESK1' AND response_code = '00'"));
    }

    @Test
    void twoDecimalCurrencyProgramWorks() throws Exception {
        TestCard card = fx.issueCard("USD-PREPAID", 10_000); // USD 100.00
        ISOMsg wrongCurrency = pos.purchase(card.iso(), 1_250);
        assertEquals("57", send(wrongCurrency).getString(39), "a KRW message on a USD card");
        ISOMsg usd = pos.purchase(card.iso(), 1_250);
        usd.set(49, "840");
        assertEquals("00", send(usd).getString(39));
        assertEquals(8_750L, fx.balance(card).available());
    }

    @Test
    void unknownMessageTypeIs12() throws Exception {
        ISOMsg odd = pos.echo();
        odd.setMTI("0300");
        assertEquals("12", send(odd).getString(39));
        assertFalse(client.socket().isClosed());
    }
}
