// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.anonpay.ledger.Account;
import org.anonpay.ledger.AccountKind;
import org.anonpay.ledger.Ledger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CardIssuerTest {

    private static Database db;
    private static CardPrograms programs;
    private static Ledger ledger;
    private static CardIssuer issuer;

    @BeforeAll
    static void open() {
        db = TestMariaDb.freshDatabase("issuer");
        programs = CardPrograms.load(TestKeys.programsDir());
        ledger = new Ledger();
        issuer = new CardIssuer(programs, new CardSecurity(TestKeys.keysDir()), CardVault.load(TestKeys.keysDir()), ledger);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static IssueResult issue(IssueRequest request) {
        return db.inTransaction(s -> issuer.issue(s, request));
    }

    private static IssueResult issueKrw(String pin) {
        IssueResult r = issue(IssueRequest.of("KRW-PREPAID", "test card", pin.toCharArray(), "member-1"));
        assertEquals(IssueStatus.ISSUED, r.status());
        return r;
    }

    @Test
    void issuedCardNumbersAreUniqueLuhnValidAndInTheProgramRange() {
        Set<String> pans = new HashSet<>();
        for (int batch = 0; batch < 5; batch++) {
            String programId = batch == 4 ? "USD-PREPAID" : "KRW-PREPAID";
            List<IssueResult> results = db.inTransaction(s -> {
                List<IssueResult> out = new ArrayList<>();
                for (int i = 0; i < 100; i++) out.add(issuer.issue(s, IssueRequest.of(programId, "카드 " + i, "1234".toCharArray(), null)));
                return out;
            });
            CardProgram program = programs.byId(programId).orElseThrow();
            for (IssueResult r : results) {
                assertTrue(r.issued());
                assertTrue(program.covers(r.pan()), "in the program's range and length");
                assertTrue(Luhn.luhnValid(r.pan()), "Luhn-valid");
                assertEquals(CardVault.mask(r.pan()), r.maskedPan());
                assertTrue(r.cvv2().matches("\\d{3}"));
                assertEquals(YearMonth.now().plusMonths(program.validityMonths()), r.expiry());
                pans.add(r.pan());
            }
        }
        assertEquals(500, pans.size(), "no card number issued twice");
    }

    @Test
    void theCardNumberIsStoredOnlyEncryptedAndFoundByItsHash() throws Exception {
        IssueResult r = issueKrw("1234");
        String row = db.inJdbcTransaction(c -> wholeRow(c.prepareStatement("SELECT * FROM card WHERE id = ?"), r.cardId()));
        assertFalse(row.contains(r.pan()), "no column holds the card number");
        assertFalse(row.contains(r.pan().substring(6, 12)), "nor its middle digits");
        // a whole column equal to the CVV2 (its 3 digits may end some hex of the ciphertext by chance)
        assertFalse(("|" + row).contains("|" + r.cvv2() + "|"), "nor the CVV2 as a column");

        db.inTransaction(s -> {
            Card card = issuer.findByPan(s, r.pan()).orElseThrow();
            assertEquals(r.cardId(), card.id());
            TestKeys.assertSecret(r.pan(), issuer.revealPan(card), "revealed PAN");
            assertEquals(r.maskedPan(), card.maskedPan());
            assertEquals(r.cardId(), issuer.lockByPan(s, r.pan()).orElseThrow().id());
            assertEquals(r.cardId(), issuer.findById(s, r.cardId()).orElseThrow().id());
            assertTrue(issuer.findByPan(s, "9410000000000021").isEmpty());
            assertTrue(issuer.findByPan(s, "not a pan").isEmpty());
            assertTrue(issuer.findById(s, 999_999).isEmpty());
            return null;
        });
    }

    /** Every column of the row as text (bytes both as hex and as Latin-1), '|' separated. */
    private static String wholeRow(PreparedStatement select, long id) throws Exception {
        select.setLong(1, id);
        StringBuilder all = new StringBuilder();
        try (ResultSet rs = select.executeQuery()) {
            assertTrue(rs.next());
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                byte[] bytes = rs.getBytes(i);
                if (bytes == null) continue;
                all.append(new String(bytes, StandardCharsets.ISO_8859_1)).append('|')
                        .append(HexFormat.of().formatHex(bytes)).append('|');
            }
        }
        return all.toString();
    }

    @Test
    void theCardGetsALedgerAccountInTheProgramCurrency() {
        IssueResult krw = issueKrw("1234");
        IssueResult usd = issue(IssueRequest.of("USD-PREPAID", "dollars", "1234".toCharArray(), null));
        db.inJdbcTransaction(c -> {
            Account a = ledger.findAccount(c, krw.ledgerAccountId()).orElseThrow();
            assertEquals("KRW", a.currency());
            assertEquals(AccountKind.CARD_PREPAID, a.kind());
            assertEquals("card:" + krw.cardId(), a.code());
            assertEquals("USD", ledger.findAccount(c, usd.ledgerAccountId()).orElseThrow().currency());
            assertEquals(0, ledger.balance(c, krw.ledgerAccountId()).available());
            return null;
        });
        db.inTransaction(s -> {
            assertEquals(krw.ledgerAccountId(), issuer.findById(s, krw.cardId()).orElseThrow().ledgerAccountId());
            return null;
        });
    }

    @Test
    void cvv2OfTheIssueResultVerifies() {
        IssueResult r = issueKrw("1234");
        db.inTransaction(s -> {
            Card card = issuer.findById(s, r.cardId()).orElseThrow();
            assertTrue(issuer.checkCvv2(card, r.pan(), r.cvv2()));
            assertFalse(issuer.checkCvv2(card, r.pan(), String.format("%03d", (Integer.parseInt(r.cvv2()) + 1) % 1000)));
            assertFalse(issuer.checkCvv2(card, r.pan(), ""));
            return null;
        });
    }

    @Test
    void theThirdWrongPinBlocksPinUseUntilUnblocked() throws Exception {
        IssueResult r = issueKrw("2580");
        byte[] right = TestKeys.iso0PinBlock(r.pan(), "2580");
        byte[] wrong = TestKeys.iso0PinBlock(r.pan(), "0852");
        assertEquals(PinCheck.VERIFIED, pinTry(r, right));
        assertEquals(PinCheck.WRONG_PIN, pinTry(r, wrong));
        assertEquals(PinCheck.WRONG_PIN, pinTry(r, wrong));
        assertEquals(PinCheck.TRIES_EXCEEDED, pinTry(r, wrong));
        assertEquals(PinCheck.TRIES_EXCEEDED, pinTry(r, right), "blocked: even the right PIN is refused");
        db.inTransaction(s -> {
            assertTrue(issuer.pinBlocked(issuer.findById(s, r.cardId()).orElseThrow()));
            issuer.unblockPin(s, r.cardId());
            return null;
        });
        assertEquals(PinCheck.VERIFIED, pinTry(r, right));
        assertThrows(IllegalArgumentException.class, () -> db.inTransaction(s -> {
            issuer.unblockPin(s, 999_999);
            return null;
        }));
    }

    @Test
    void aRightPinResetsTheCountAndAFormatErrorIsNotCounted() throws Exception {
        IssueResult r = issueKrw("7777");
        byte[] right = TestKeys.iso0PinBlock(r.pan(), "7777");
        byte[] wrong = TestKeys.iso0PinBlock(r.pan(), "7778");
        assertEquals(PinCheck.WRONG_PIN, pinTry(r, wrong));
        assertEquals(PinCheck.WRONG_PIN, pinTry(r, wrong));
        assertEquals(PinCheck.VERIFIED, pinTry(r, right));
        assertEquals(PinCheck.WRONG_PIN, pinTry(r, wrong));
        assertEquals(PinCheck.FORMAT_ERROR, pinTry(r, new byte[8]));
        assertEquals(PinCheck.FORMAT_ERROR, pinTry(r, new byte[3]));
        assertEquals(PinCheck.WRONG_PIN, pinTry(r, wrong));
        assertEquals(PinCheck.TRIES_EXCEEDED, pinTry(r, wrong));
    }

    /** One PIN try in its own transaction, as the switch does: lock, check, commit. */
    private static PinCheck pinTry(IssueResult r, byte[] pinBlock) {
        return db.inTransaction(s -> issuer.checkPin(s, issuer.lockByPan(s, r.pan()).orElseThrow(), r.pan(), pinBlock));
    }

    @Test
    void lockByPanHoldsTheRowUntilCommitAndReturnsTheLockedState() throws Exception {
        IssueResult r = issueKrw("1234");
        java.util.concurrent.CountDownLatch locked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicLong waitedNanos = new java.util.concurrent.atomic.AtomicLong();
        Thread second = new Thread(() -> {
            try {
                locked.await();
                long start = System.nanoTime();
                assertEquals(CardState.FROZEN, db.inTransaction(s -> issuer.lockByPan(s, r.pan()).orElseThrow().state()));
                waitedNanos.set(System.nanoTime() - start);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        second.start();
        db.inTransaction(s -> {
            Card card = issuer.lockByPan(s, r.pan()).orElseThrow();
            issuer.changeState(s, card.id(), CardState.FROZEN);
            locked.countDown();
            sleep(600);
            return null;
        });
        second.join(10_000);
        assertTrue(waitedNanos.get() >= 400_000_000L, "the second locker waited for the first commit");

        // a card this session read before another transaction changed it comes back fresh when locked
        String state = db.inTransaction(s -> {
            Card early = issuer.findById(s, r.cardId()).orElseThrow();
            assertEquals(CardState.FROZEN, early.state());
            Thread other = new Thread(() -> change(r.cardId(), CardState.ACTIVE));
            other.start();
            join(other);
            return issuer.lockByPan(s, r.pan()).orElseThrow().state().name();
        });
        assertEquals("ACTIVE", state);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread t) {
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void stateChangesFollowTheCardLifeCycle() {
        long id = issueKrw("1234").cardId();
        assertEquals(StateChange.CHANGED, change(id, CardState.FROZEN));
        assertEquals(StateChange.ALREADY_IN_STATE, change(id, CardState.FROZEN));
        assertEquals(StateChange.CHANGED, change(id, CardState.ACTIVE));
        assertEquals(StateChange.EXPIRY_IS_BY_DATE, change(id, CardState.EXPIRED));
        assertEquals(StateChange.CHANGED, change(id, CardState.LOST));
        assertEquals(StateChange.REPORTED_CARD_ONLY_CLOSES, change(id, CardState.ACTIVE));
        assertEquals(StateChange.REPORTED_CARD_ONLY_CLOSES, change(id, CardState.FROZEN));
        assertEquals(StateChange.CHANGED, change(id, CardState.CLOSED));
        assertEquals(StateChange.CARD_CLOSED, change(id, CardState.ACTIVE));
        assertEquals(StateChange.CARD_NOT_FOUND, change(999_999, CardState.FROZEN));
        assertEquals(CardState.CLOSED, db.inTransaction(s -> issuer.findById(s, id).orElseThrow().state()));

        long stolen = issueKrw("1234").cardId();
        assertEquals(StateChange.CHANGED, change(stolen, CardState.STOLEN));
        assertEquals(StateChange.CHANGED, change(stolen, CardState.CLOSED));
    }

    @Test
    void lifeCycleTable() {
        for (CardState from : CardState.values()) {
            for (CardState to : CardState.values()) {
                boolean allowed = switch (from) {
                    case ACTIVE -> to == CardState.FROZEN || to == CardState.LOST || to == CardState.STOLEN || to == CardState.CLOSED;
                    case FROZEN -> to == CardState.ACTIVE || to == CardState.LOST || to == CardState.STOLEN || to == CardState.CLOSED;
                    case EXPIRED -> to == CardState.LOST || to == CardState.STOLEN || to == CardState.CLOSED;
                    case LOST, STOLEN -> to == CardState.CLOSED;
                    case CLOSED -> false;
                };
                assertEquals(allowed, from.changeTo(to) == StateChange.CHANGED, from + " -> " + to);
            }
        }
    }

    private static StateChange change(long cardId, CardState to) {
        return db.inTransaction(s -> issuer.changeState(s, cardId, to));
    }

    @Test
    void expiredCardsAreMarkedByTheDailyJob() {
        long id = issue(IssueRequest.of("KRW-PREPAID", "soon", "1234".toCharArray(), null)
                .withRequestedCard(freePan("9410555"), YearMonth.now())).cardId();
        assertEquals(0, (int) db.inTransaction(s -> issuer.expireCards(s, YearMonth.now())), "valid through this month");
        assertTrue(db.inTransaction(s -> issuer.expireCards(s, YearMonth.now().plusMonths(1))) >= 1);
        assertEquals(CardState.EXPIRED, db.inTransaction(s -> issuer.findById(s, id).orElseThrow().state()));
        assertEquals(StateChange.NOT_ALLOWED, change(id, CardState.ACTIVE));
        assertEquals(StateChange.CHANGED, change(id, CardState.CLOSED));
    }

    @Test
    void theDemoCardCanBeIssuedOnceWithItsPublishedCvv2() {
        IssueRequest demo = IssueRequest.of("KRW-PREPAID", "데모카드", "1234".toCharArray(), null)
                .withRequestedCard(CardSecurityTest.DEMO_PAN, CardSecurityTest.DEMO_EXPIRY);
        IssueResult r = issue(demo);
        assertEquals(IssueStatus.ISSUED, r.status());
        TestKeys.assertSecret(CardSecurityTest.DEMO_CVV2, r.cvv2(), "demo CVV2");
        assertEquals(CardSecurityTest.DEMO_EXPIRY, r.expiry());
        IssueResult again = issue(IssueRequest.of("KRW-PREPAID", "again", "1234".toCharArray(), null)
                .withRequestedCard(CardSecurityTest.DEMO_PAN, CardSecurityTest.DEMO_EXPIRY));
        assertEquals(IssueStatus.PAN_ALREADY_ISSUED, again.status());
    }

    @Test
    void requestedCardNumbersMustFitTheProgram() {
        assertEquals(IssueStatus.PAN_OUTSIDE_PROGRAM, requested("KRW-PREPAID", "9420000000000011", YearMonth.now()));
        assertEquals(IssueStatus.PAN_OUTSIDE_PROGRAM, requested("KRW-PREPAID", "941000000000002", YearMonth.now()));
        assertEquals(IssueStatus.PAN_NOT_LUHN_VALID, requested("KRW-PREPAID", "9410000000000012", YearMonth.now()));
        assertEquals(IssueStatus.EXPIRY_IN_PAST, requested("KRW-PREPAID", "9410000000000021", YearMonth.now().minusMonths(1)));
    }

    private static IssueStatus requested(String programId, String pan, YearMonth expiry) {
        return issue(IssueRequest.of(programId, "x", "1234".toCharArray(), null).withRequestedCard(pan, expiry)).status();
    }

    /** A Luhn-valid KRW card number starting with {@code start} that no other test uses. */
    private static String freePan(String start) {
        String partial = start + String.format("%08d", System.nanoTime() % 100_000_000L);
        return partial + Luhn.luhnCheckDigit(partial);
    }

    @Test
    void applicationsAreValidatedAndThePinIsWiped() {
        char[] pin = "1234".toCharArray();
        IssueResult r = issue(IssueRequest.of("KRW-PREPAID", "가나다라마바사아자차카타파하가", pin, "member-42"));
        assertEquals(IssueStatus.ISSUED, r.status(), "15 Hangul characters fit");
        assertArrayEquals(new char[4], pin, "the PIN is wiped");
        db.inTransaction(s -> {
            Card card = issuer.findById(s, r.cardId()).orElseThrow();
            assertEquals("가나다라마바사아자차카타파하가", card.cardName());
            assertEquals("member-42", card.holderRef());
            return null;
        });
        assertEquals(IssueStatus.INVALID_CARD_NAME, status("KRW-PREPAID", "가나다라마바사아자차카타파하가나", "1234"));
        assertEquals(IssueStatus.INVALID_CARD_NAME, status("KRW-PREPAID", "  ", "1234"));
        assertEquals(IssueStatus.INVALID_CARD_NAME, status("KRW-PREPAID", null, "1234"));
        assertEquals(IssueStatus.INVALID_CARD_NAME, status("KRW-PREPAID", "tab\there", "1234"));
        assertEquals(IssueStatus.INVALID_PIN, status("KRW-PREPAID", "x", "123"));
        assertEquals(IssueStatus.INVALID_PIN, status("KRW-PREPAID", "x", "12345"));
        assertEquals(IssueStatus.INVALID_PIN, status("KRW-PREPAID", "x", "12a4"));
        assertEquals(IssueStatus.UNKNOWN_PROGRAM, status("EUR-PREPAID", "x", "1234"));
        char[] refusedPin = "12a4".toCharArray();
        issue(IssueRequest.of("KRW-PREPAID", "x", refusedPin, null));
        assertArrayEquals(new char[4], refusedPin, "wiped when refused too");
    }

    private static IssueStatus status(String programId, String name, String pin) {
        return issue(IssueRequest.of(programId, name, pin.toCharArray(), null)).status();
    }

    @Test
    void textFormsShowOnlyTheMaskedNumber() {
        IssueResult r = issueKrw("1234");
        // exactly these fields: no PAN, no CVV2
        assertEquals("IssueResult[ISSUED, cardId=" + r.cardId() + ", " + r.maskedPan() + ", expiry=" + r.expiry()
                + ", ledgerAccountId=" + r.ledgerAccountId() + "]", r.toString());
        assertEquals("IssueResult[PAN_NOT_LUHN_VALID]", IssueResult.refused(IssueStatus.PAN_NOT_LUHN_VALID).toString());
        String card = db.inTransaction(s -> issuer.findById(s, r.cardId()).orElseThrow().toString());
        assertFalse(card.contains(r.pan()));
        assertTrue(card.contains(r.maskedPan()));
        IssueRequest request = IssueRequest.of("KRW-PREPAID", "x", "9876".toCharArray(), null).withRequestedCard(r.pan(), null);
        assertFalse(request.toString().contains(r.pan()));
        assertFalse(request.toString().contains("9876"));
    }
}
