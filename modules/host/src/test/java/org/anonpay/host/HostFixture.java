// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.YearMonth;
import java.util.HexFormat;
import java.util.List;
import org.anonpay.db.Database;
import org.anonpay.db.DatabaseSettings;
import org.anonpay.db.TestMariaDb;
import org.anonpay.issuer.CardIssuer;
import org.anonpay.issuer.CardPrograms;
import org.anonpay.issuer.CardSecurity;
import org.anonpay.issuer.CardState;
import org.anonpay.issuer.CardVault;
import org.anonpay.issuer.IssueRequest;
import org.anonpay.issuer.IssueResult;
import org.anonpay.iso.Card;
import org.anonpay.iso.IsoClient;
import org.anonpay.iso.PinBlocks;
import org.anonpay.ledger.AccountKind;
import org.anonpay.ledger.Balance;
import org.anonpay.ledger.Ledger;
import org.anonpay.ledger.Transfer;
import org.anonpay.ledger.TransferCode;
import org.anonpay.ledger.TransferId;
import org.anonpay.ledger.TrialBalance;

/**
 * A running host on a fresh database of the test's MariaDB, and what a test needs around it:
 * cards issued through the real issuer API and funded through the ledger, balances, the trial
 * balance. Every secret handed out (PAN, CVV2, PIN block) is also written to
 * target/test-secrets so that the leak scan can look for it in logs and database dumps.
 */
public final class HostFixture implements AutoCloseable {

    public static final String PIN = "1234";
    static final Path SECRETS = HostProcess.ROOT.resolve("modules/host/target/test-secrets");

    public final HostProcess host;
    public final Database db;
    public final DatabaseSettings settings;
    private final CardIssuer issuer;
    private final Ledger ledger = new Ledger();

    private HostFixture(HostProcess host, Database db, DatabaseSettings settings) {
        this.host = host;
        this.db = db;
        this.settings = settings;
        Path keys = HostProcess.ROOT.resolve("cfg/keys");
        this.issuer = new CardIssuer(CardPrograms.load(HostProcess.ROOT.resolve("cfg/programs")), new CardSecurity(keys),
                CardVault.load(keys, java.util.Map.of()), ledger);
    }

    public static HostFixture start(String name) throws Exception {
        DatabaseSettings settings = TestMariaDb.freshSettings(name, 4);
        HostProcess host = HostProcess.onDatabase(name, settings).start();
        return new HostFixture(host, Database.open(settings), settings);
    }

    /** Like {@link #start(String)}, with the wallet web's mail sent to an SMTP server on 127.0.0.1:{@code smtpPort} (a test's GreenMail). */
    public static HostFixture startWithMailTo(String name, int smtpPort) throws Exception {
        DatabaseSettings settings = TestMariaDb.freshSettings(name, 4);
        HostProcess host = HostProcess.onDatabase(name, settings).mailTo(smtpPort).start();
        return new HostFixture(host, Database.open(settings), settings);
    }

    /** What a test changes in the host's working directory (its copies of deploy/ and cfg/) before it starts. */
    @FunctionalInterface
    public interface BeforeStart {
        void prepare(HostProcess host) throws Exception;
    }

    /** Like {@link #start(String)}, after {@code before} has edited the host's files (e.g. shorter timeouts). */
    public static HostFixture startWith(String name, BeforeStart before) throws Exception {
        DatabaseSettings settings = TestMariaDb.freshSettings(name, 4);
        HostProcess host = HostProcess.onDatabase(name, settings);
        before.prepare(host);
        return new HostFixture(host.start(), Database.open(settings), settings);
    }

    public record TestCard(long cardId, long accountId, String pan, String expiryYymm, String cvv2) {
        public Card iso() {
            return Card.ofPan(pan).withExpiry(expiryYymm).withCvv2(cvv2);
        }

        public Card withPin(String pin) {
            return Card.ofPan(pan).withExpiry(expiryYymm).withPinBlock(PinBlocks.encryptedIso0(pan, pin, devZpk()));
        }
    }

    /** Issues a card of {@code programId} with PIN 1234 and loads {@code funding} minor units onto it. */
    public TestCard issueCard(String programId, long funding) {
        IssueResult r = db.inTransaction(s -> issuer.issue(s, IssueRequest.of(programId, "TEST CARD", PIN.toCharArray(), null)));
        if (!r.issued()) throw new IllegalStateException("not issued: " + r.status());
        TestCard card = new TestCard(r.cardId(), r.ledgerAccountId(), r.pan(), r.expiry().format(java.time.format.DateTimeFormatter.ofPattern("yyMM")), r.cvv2());
        remember(card);
        if (funding > 0) load(card, funding);
        return card;
    }

    /** A card whose expiry is {@code expiry} (a random PAN of the KRW program), funded. */
    public TestCard issueCardExpiring(YearMonth expiry, long funding) {
        String partial = "94100" + String.format("%010d", new java.util.Random().nextLong(10_000_000_000L));
        String pan = partial + org.anonpay.issuer.Luhn.luhnCheckDigit(partial);
        IssueRequest request = IssueRequest.of("KRW-PREPAID", "TEST CARD", PIN.toCharArray(), null).withRequestedCard(pan, expiry);
        IssueResult r = db.inTransaction(s -> issuer.issue(s, request));
        if (!r.issued()) throw new IllegalStateException("not issued: " + r.status());
        TestCard card = new TestCard(r.cardId(), r.ledgerAccountId(), r.pan(), r.expiry().format(java.time.format.DateTimeFormatter.ofPattern("yyMM")), r.cvv2());
        remember(card);
        load(card, funding);
        return card;
    }

    /** Runs the issuer's expiry job as if it were {@code month}. */
    public int expireCardsAsOf(YearMonth month) {
        return db.inTransaction(s -> issuer.expireCards(s, month));
    }

    public void load(TestCard card, long amount) {
        String currency = db.inJdbcTransaction(c -> ledger.findAccount(c, card.accountId()).orElseThrow().currency());
        db.inJdbcTransaction(c -> {
            long funding = ledger.openAccount(c, AccountKind.FUNDING_CLEARING, "operator:funding_clearing:" + currency, currency).id();
            Transfer t = Transfer.singlePhase(TransferId.derive("test-load", String.valueOf(card.cardId()), String.valueOf(System.nanoTime())),
                    funding, card.accountId(), amount, TransferCode.LOAD, "test load");
            if (!ledger.createTransfers(c, List.of(t)).getFirst().ok()) throw new IllegalStateException("load refused");
            return null;
        });
    }

    public void setState(TestCard card, CardState state) {
        db.inTransaction(s -> issuer.changeState(s, card.cardId(), state));
    }

    /** Sets the member's controls of the card through the issuer API, as the wallet does. */
    public org.anonpay.issuer.ControlsChange setControls(TestCard card, org.anonpay.issuer.CardControls controls) {
        return db.inTransaction(s -> issuer.setControls(s, card.cardId(), controls));
    }

    /** Gives the card a new PIN through the issuer API, as the wallet does; its PIN block joins the leak scan's list. */
    public org.anonpay.issuer.PinChange changePin(TestCard card, String newPin) {
        rememberSecret("pinblock", HexFormat.of().formatHex(PinBlocks.encryptedIso0(card.pan(), newPin, devZpk())));
        return db.inTransaction(s -> issuer.changePin(s, card.cardId(), newPin.toCharArray()));
    }

    public Balance balance(TestCard card) {
        return db.inJdbcTransaction(c -> ledger.balance(c, card.accountId()));
    }

    public Balance balance(long accountId) {
        return db.inJdbcTransaction(c -> ledger.balance(c, accountId));
    }

    public List<TrialBalance> trialBalance() {
        return db.inJdbcTransaction(ledger::trialBalance);
    }

    /** The first column of the first row of {@code sql}, as text (null when there is no row). */
    public String string(String sql) {
        return db.inJdbcTransaction(c -> {
            try (var rs = c.createStatement().executeQuery(sql)) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    public long count(String sql) {
        return db.inJdbcTransaction(c -> {
            try (var rs = c.createStatement().executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    public IsoClient connect() throws IOException {
        return IsoClient.connect("127.0.0.1", host.isoPort(), Duration.ofSeconds(30));
    }

    static String devZpk() {
        try {
            return PinBlocks.devZpkHex(HostProcess.ROOT);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the card's secrets to the leak scan's list (target/test-secrets, never a log). */
    static void remember(TestCard card) {
        rememberSecret("pan", card.pan());
        rememberSecret("cvv2", card.pan().substring(card.pan().length() - 4) + ":" + card.cvv2());
        rememberSecret("pinblock", HexFormat.of().formatHex(PinBlocks.encryptedIso0(card.pan(), PIN, devZpk())));
    }

    static synchronized void rememberSecret(String kind, String value) {
        try {
            Files.createDirectories(SECRETS);
            Files.writeString(SECRETS.resolve("secrets.txt"), kind + " " + value + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Dumps every table (the leak scan reads it), then stops the host. */
    @Override
    public void close() throws Exception {
        try {
            DatabaseDump.write(db.dataSource(), SECRETS.resolveSibling("db-dumps").resolve(host.workDir().getFileName() + ".dump"));
        } finally {
            db.close();
            host.close();
        }
    }
}
