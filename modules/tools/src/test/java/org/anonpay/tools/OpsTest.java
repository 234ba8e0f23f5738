// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.anonpay.db.DatabaseSettings;
import org.anonpay.db.TestMariaDb;
import org.anonpay.issuer.Luhn;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs anonpay-ops commands in this JVM against a real MariaDB. */
class OpsTest {

    private static final Pattern CARD_ID = Pattern.compile("card (\\d+) issued: (\\d{6}\\*{6}\\d{4}), expires (\\d{4}-\\d{2})");
    private static final Pattern ANY_PAN = Pattern.compile("(?<![\\w./-])\\d{13,19}(?![0-9])");

    private static DatabaseSettings db;
    private static Path root;

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {}

    @BeforeAll
    static void database() {
        db = TestMariaDb.freshSettings("ops", 2);
        root = Path.of(System.getProperty("anonpay.root", "../..")).toAbsolutePath().normalize();
    }

    private static Run ops(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (args.length > 0 && !args[0].startsWith("-") && !args[0].equals("help")) {
            all.addAll(List.of("--db-url", db.jdbcUrl(), "--db-user", db.user(),
                    "--db-config", root.resolve("cfg/db.properties").toString(),
                    "--keys-dir", root.resolve("cfg/keys").toString(),
                    "--programs-dir", root.resolve("cfg/programs").toString()));
        }
        boolean audited = args.length > 0 && !args[0].startsWith("-") && !args[0].equals("help");
        long before = audited ? auditRows() : 0;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Ops.run(all.toArray(String[]::new), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out), new PrintWriter(err));
        Run run = new Run(exit, out.toString(), err.toString());
        assertFalse(ANY_PAN.matcher(run.out + run.err).find(), "no full card number on stdout/stderr");
        assertFalse((run.out + run.err).toUpperCase().contains("CVV2:"), "no CVV2 on stdout/stderr");
        assertFalse(run.err.contains("audit log was not written"), run.err);
        if (audited) {
            // every run of a command: exactly one audit row, with its outcome, and never a card number
            assertEquals(before + 1, auditRows(), "one audit row per command run: " + String.join(" ", args));
            String[] row = lastAuditRow();
            assertTrue(row[0].equals(args[0]) || row[0].startsWith(args[0] + " "), "command " + row[0]);
            assertEquals(String.valueOf(exit), row[2]);
            String expected = switch (exit) {
                case 0 -> "ok";
                case 1 -> "refused";
                case 2 -> "usage error";
                default -> "failed";
            };
            assertTrue(row[3].startsWith(expected), row[3]);
            assertFalse(ANY_DIGIT_RUN.matcher(String.join(" ", row)).find(), "no 13-19 digit run in the audit row: " + String.join(" | ", row));
        }
        return run;
    }

    /** Any 13-19 digit run, whatever is around it. */
    private static final Pattern ANY_DIGIT_RUN = Pattern.compile("(?<![0-9])[0-9]{13,19}(?![0-9])");

    private static long auditRows() {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM ops_audit")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            if (e.getErrorCode() == 1146) return 0;   // no table yet: the first command migrates the database
            throw new IllegalStateException(e);
        }
    }

    /** command, arguments, exit code, outcome, os user, host of the newest audit row. */
    private static String[] lastAuditRow() {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT command, arguments, exit_code, outcome, os_user, host_name FROM ops_audit ORDER BY id DESC LIMIT 1")) {
            assertTrue(rs.next());
            return new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)};
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long issue(String name) {
        Run run = ops("1234\n", "issue-card", "--program", "KRW-PREPAID", "--name", name);
        assertEquals(0, run.exit(), run.err());
        Matcher m = CARD_ID.matcher(run.out());
        assertTrue(m.find(), run.out());
        return Long.parseLong(m.group(1));
    }

    @Test
    void issueCardWritesTheFullNumberOnlyToTheCarrierFile() throws Exception {
        Path carrier = tmp.resolve("carrier.txt");
        Run run = ops("4321\n", "issue-card", "--program", "KRW-PREPAID", "--name", "홍길동의 카드", "--holder-ref", "member-7",
                "--card-carrier", carrier.toString());
        assertEquals(0, run.exit(), run.err());
        Matcher m = CARD_ID.matcher(run.out());
        assertTrue(m.find(), run.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(carrier)));
        String text = Files.readString(carrier, StandardCharsets.UTF_8);
        Matcher pan = Pattern.compile("card number: ([\\d ]{19})").matcher(text);
        assertTrue(pan.find(), "carrier has the card number");
        String digits = pan.group(1).replace(" ", "");
        assertTrue(Luhn.luhnValid(digits) && digits.startsWith("9410"), "a KRW-PREPAID number");
        assertTrue(digits.startsWith(m.group(2).substring(0, 6)) && digits.endsWith(m.group(2).substring(12)), "same card");
        assertTrue(Pattern.compile("CVV2: +\\d{3}\\n").matcher(text).find(), "carrier has the CVV2");
        assertTrue(text.contains("홍길동의 카드"));

        Run again = ops("4321\n", "issue-card", "--program", "KRW-PREPAID", "--name", "x", "--card-carrier", carrier.toString());
        assertEquals(2, again.exit(), "an existing carrier file is never overwritten");
        assertEquals(text, Files.readString(carrier, StandardCharsets.UTF_8));
    }

    @Test
    void theDemoCardCanBeIssuedWithItsPublishedNumberExpiryAndCvv2() throws Exception {
        Path carrier = tmp.resolve("demo-carrier.txt");
        Run run = ops("1234\n", "issue-card", "--program", "KRW-PREPAID", "--name", "demo",
                "--requested-pan", "9410000000000013", "--requested-expiry", "2030-12", "--card-carrier", carrier.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("941000******0013, expires 2030-12"), "masked demo card");
        String text = Files.readString(carrier, StandardCharsets.UTF_8);
        assertTrue(text.contains("card number: 9410 0000 0000 0013\n") && text.contains("valid thru:  12/30\n")
                && text.contains("CVV2:        639\n"), "the demo card as published (changed dev keys? update the README)");
        Run again = ops("1234\n", "issue-card", "--program", "KRW-PREPAID", "--name", "demo",
                "--requested-pan", "9410000000000013", "--requested-expiry", "2030-12");
        assertEquals(Ops.REFUSED, again.exit());
        assertTrue(again.err().contains("PAN_ALREADY_ISSUED"), again.err());
    }

    @Test
    void pinFromFileAndRefusals() throws Exception {
        Path pinFile = tmp.resolve("pin");
        Files.writeString(pinFile, "9876\n");
        assertEquals(0, ops("", "issue-card", "--program", "USD-PREPAID", "--name", "dollar card", "--pin-file", pinFile.toString()).exit());

        Path carrier = tmp.resolve("refused-carrier.txt");
        Run badPin = ops("12a4\n", "issue-card", "--program", "KRW-PREPAID", "--name", "x", "--card-carrier", carrier.toString());
        assertEquals(Ops.REFUSED, badPin.exit());
        assertTrue(badPin.err().contains("INVALID_PIN"), badPin.err());
        assertFalse(Files.exists(carrier), "no carrier left for a card that was not issued");
        assertEquals(Ops.REFUSED, ops("1234\n", "issue-card", "--program", "EUR-PREPAID", "--name", "x").exit());
        assertEquals(2, ops("1234\n", "issue-card", "--name", "x").exit(), "--program is required");
    }

    @Test
    void physicalCardQueueRequestedProducedShipped() {
        long cardId = issue("plastic");
        org.anonpay.issuer.PhysicalCards physical = org.anonpay.issuer.PhysicalCards.load(root.resolve("cfg/keys"));
        long requestId;
        try (org.anonpay.db.Database database = org.anonpay.db.Database.open(db)) {
            requestId = database.inJdbcTransaction(c -> {
                physical.request(c, cardId, org.anonpay.issuer.PhysicalCards.Delivery.OFFICE, "부산광역시 해운대구 센텀로 99");
                return physical.status(c, cardId).orElseThrow().requestId();
            });
        }
        Run queue = ops("", "physical-cards");
        assertEquals(0, queue.exit(), queue.err());
        String row = queue.out().lines().filter(l -> l.trim().startsWith(requestId + " ")).findFirst().orElseThrow(() -> new AssertionError(queue.out()));
        assertTrue(row.contains("부산광역시 해운대구 센텀로 99") && row.contains("OFFICE") && row.contains("REQUESTED") && row.contains("plastic"), row);
        assertTrue(Pattern.compile("\\d{6}\\*{6}\\d{4}").matcher(row).find(), "masked number: " + row);

        String id = Long.toString(requestId);
        Run early = ops("", "physical-card", "--id", id, "--shipped", "--tracking", "CJ-77");
        assertEquals(Ops.REFUSED, early.exit());
        assertTrue(early.err().contains("WRONG_STATE"), early.err());
        assertEquals(2, ops("", "physical-card", "--id", id, "--shipped").exit(), "--shipped needs --tracking");
        assertEquals(2, ops("", "physical-card", "--id", id).exit(), "a step is required");
        assertEquals(2, ops("", "physical-card", "--id", id, "--produced", "--shipped").exit(), "one step at a time");
        assertEquals(0, ops("", "physical-card", "--id", id, "--produced").exit());
        assertEquals(Ops.REFUSED, ops("", "physical-card", "--id", id, "--produced").exit(), "produced once");
        Run shipped = ops("", "physical-card", "--id", id, "--shipped", "--tracking", "CJ-77");
        assertEquals(0, shipped.exit(), shipped.err());
        assertFalse(ops("", "physical-cards").out().lines().anyMatch(l -> l.trim().startsWith(requestId + " ")), "shipped leaves the queue");
        assertTrue(ops("", "physical-cards", "--all").out().contains("SHIPPED"));
        assertEquals(Ops.REFUSED, ops("", "physical-card", "--id", "999999", "--produced").exit());
    }

    @Test
    void cardStateFollowsTheLifeCycle() {
        long id = issue("state test");
        assertEquals(0, ops("", "card-state", "--card-id", "" + id, "--to", "FROZEN").exit());
        assertTrue(ops("", "cards", "--state", "FROZEN").out().contains(String.valueOf(id)));
        assertEquals(0, ops("", "card-state", "--card-id", "" + id, "--to", "LOST").exit());
        Run revive = ops("", "card-state", "--card-id", "" + id, "--to", "ACTIVE");
        assertEquals(Ops.REFUSED, revive.exit());
        assertTrue(revive.err().contains("REPORTED_CARD_ONLY_CLOSES"), revive.err());
        assertEquals(2, ops("", "card-state", "--card-id", "" + id, "--to", "EXPIRED").exit());
        assertEquals(Ops.REFUSED, ops("", "card-state", "--card-id", "999999", "--to", "CLOSED").exit());
    }

    @Test
    void unblockPinClearsTheWrongTries() throws Exception {
        long id = issue("pin test");
        exec("UPDATE card SET pin_tries_wrong = 3 WHERE id = " + id);
        assertTrue(cardsLine(id).contains("BLKD"));
        Run run = ops("", "unblock-pin", "--card-id", "" + id);
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("3 wrong PINs cleared"), run.out());
        assertEquals(0, query("SELECT pin_tries_wrong FROM card WHERE id = " + id));
        assertEquals(Ops.REFUSED, ops("", "unblock-pin", "--card-id", "999999").exit());
    }

    @Test
    void cardsListsMaskedNumberProgramStateAndBalance() {
        long id = issue("list test");
        String line = cardsLine(id);
        assertTrue(line.matches("\\s*" + id + "\\s+941\\d{3}\\*{6}\\d{4}\\s+KRW-PREPAID\\s+ACTIVE\\s+ok\\s+0 KRW\\s*"), line);
        assertTrue(ops("", "cards", "--program", "USD-PREPAID").out().lines().noneMatch(l -> l.contains("KRW-PREPAID")));
    }

    @Test
    void purgeAuthorizationsDeletesOldKeyClaimsAndDaysSpendingOnly() throws Exception {
        // a message journaled ten days ago with its claim, one of now, and spending of 30 days ago and today
        for (String[] message : new String[][] {{"000901", "NOW() - INTERVAL 10 DAY"}, {"000902", "NOW()"}}) {
            exec("INSERT INTO authz_journal (mti, mti_class, txn_type, acquirer_id, terminal_id, stan, transmission_time, request_fingerprint,"
                    + " amount, business_date, response_code, created_at) VALUES ('0200', '020', 'PURCHASE', '4321', 'TERMPURG', '" + message[0]
                    + "', '1124120000', REPEAT('x', 32), 100, CURDATE(), '00', " + message[1] + ")");
            exec("INSERT INTO authz_key_claim (acquirer_id, terminal_id, stan, transmission_time, mti_class, kind) VALUES ('4321', 'TERMPURG', '"
                    + message[0] + "', '1124120000', '020', 'ORIGINAL')");
        }
        exec("INSERT INTO card_day_spending (card_id, business_date, spent) VALUES (990001, CURDATE() - INTERVAL 30 DAY, 100), (990001, CURDATE(), 200)");
        String config = root.resolve("cfg/settlement/settlement.properties").toString();

        Run purge = ops("", "purge-authorizations", "--settlement-config", config);

        assertEquals(0, purge.exit(), purge.err());
        assertTrue(purge.out().contains("purged 1 key claims"), purge.out());
        assertTrue(purge.out().contains(", 1 days' spending rows"), purge.out());
        assertEquals(0, query("SELECT COUNT(*) FROM authz_key_claim WHERE terminal_id = 'TERMPURG' AND stan = '000901'"));
        assertEquals(1, query("SELECT COUNT(*) FROM authz_key_claim WHERE terminal_id = 'TERMPURG' AND stan = '000902'"));
        assertEquals(1, query("SELECT COUNT(*) FROM card_day_spending WHERE card_id = 990001"));

        Run zero = ops("", "purge-authorizations", "--key-claims-days", "0");
        assertEquals(2, zero.exit());
        assertTrue(zero.err().contains("--key-claims-days must be at least 1"), zero.err());
    }

    @Test
    void theHostsDatabaseWithMigrationsOfModulesTheToolsDoNotCarryStillOpens() throws Exception {
        // as the host leaves it: the wallet web's V40s applied, which this jar does not carry (found
        // by running the README's commands against a running host: every command failed validation)
        exec("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, installed_on,"
                + " execution_time, success) VALUES (9999, '47.5', 'a module the tools do not carry', 'SQL', 'V47_5__elsewhere.sql', 1, 'root',"
                + " NOW(), 1, TRUE)");
        try {
            Run cards = ops("", "cards");
            assertEquals(0, cards.exit(), cards.err());
        } finally {
            exec("DELETE FROM flyway_schema_history WHERE installed_rank = 9999");
        }
    }

    @Test
    void helpNamesEveryCommand() {
        Run help = ops("", "--help");
        assertEquals(0, help.exit());
        for (String command : List.of("issue-card", "card-state", "unblock-pin", "cards", "mall", "transactions", "audit")) assertTrue(help.out().contains(command));
    }

    private static final Pattern SECRET = Pattern.compile("secret: (sk_[A-Za-z0-9_-]{96})");
    private static final Pattern KEY_ID = Pattern.compile("key id: (ak_[0-9a-f]{24})");

    @Test
    void mallsAreAddedWithASecretShownOnceThenChangedRotatedAndListedWithoutSecrets() throws Exception {
        Run add = ops("", "mall", "add", "--id", "OPSMALL1", "--name", "Green Tea House", "--mcc", "5499",
                "--webhook", "http://127.0.0.1:9001/hooks", "--allow-internal-webhook");
        assertEquals(0, add.exit(), add.err());
        Matcher secret = SECRET.matcher(add.out());
        Matcher key = KEY_ID.matcher(add.out());
        assertTrue(secret.find() && key.find(), add.out());
        assertEquals(1, query("SELECT COUNT(*) FROM mall_secret WHERE mall_id = 'OPSMALL1' AND retired_at IS NULL"));

        Run again = ops("", "mall", "add", "--id", "OPSMALL1", "--name", "Other", "--mcc", "5999");
        assertEquals(Ops.REFUSED, again.exit());
        assertTrue(again.err().contains("MALL_ID_TAKEN"), again.err());

        Run internal = ops("", "mall", "add", "--id", "OPSMALL2", "--name", "Sneaky", "--mcc", "5999", "--webhook", "http://169.254.169.254/x");
        assertEquals(Ops.REFUSED, internal.exit());
        assertTrue(internal.err().contains("INTERNAL_ADDRESS"), internal.err());
        assertEquals(0, query("SELECT COUNT(*) FROM mall WHERE mall_id = 'OPSMALL2'"), "a refused mall is not added");

        assertEquals(0, ops("", "mall", "change", "--id", "OPSMALL1", "--state", "SUSPENDED", "--no-webhook").exit());
        assertEquals(1, query("SELECT COUNT(*) FROM mall WHERE mall_id = 'OPSMALL1' AND state = 'SUSPENDED' AND webhook_url IS NULL"));

        Run rotate = ops("", "mall", "rotate-secret", "--id", "OPSMALL1");
        assertEquals(0, rotate.exit(), rotate.err());
        assertEquals(Ops.REFUSED, ops("", "mall", "rotate-secret", "--id", "OPSMALL1").exit(), "two live secrets at most");
        assertEquals(0, ops("", "mall", "retire-secret", "--id", "OPSMALL1", "--key-id", key.group(1)).exit());

        Run list = ops("", "mall", "list");
        assertEquals(0, list.exit(), list.err());
        String row = list.out().lines().filter(l -> l.startsWith("OPSMALL1")).findFirst().orElseThrow();
        assertFalse(row.contains(key.group(1)), "the retired key is not live");
        assertFalse(list.out().contains("sk_"), "no secret in a listing");
        Matcher rotated = KEY_ID.matcher(rotate.out());
        assertTrue(rotated.find() && row.contains(rotated.group(1)), row);
    }

    @Test
    void settleThenReconcileADayAndAnAlteredFileIsABreak() throws Exception {
        Path out = tmp.resolve("settlement");
        String config = root.resolve("cfg/settlement/settlement.properties").toString();
        org.anonpay.authz.MessageKey key = new org.anonpay.authz.MessageKey("4321", "TERM0009", "000777", "1124120000", "020");
        java.time.LocalDate date;
        try (org.anonpay.db.Database database = org.anonpay.db.Database.open(db)) {
            org.anonpay.ledger.Ledger ledger = new org.anonpay.ledger.Ledger();
            org.anonpay.authz.LedgerAccounts accounts = new org.anonpay.authz.LedgerAccounts(() -> database, ledger);
            long card = database.inJdbcTransaction(c -> ledger.openAccount(c, org.anonpay.ledger.AccountKind.CARD_PREPAID, "card:ops-settle", "KRW").id());
            long funding = accounts.operator(org.anonpay.ledger.AccountKind.FUNDING_CLEARING, "KRW");
            long merchant = accounts.merchant("4321", "OPSMALL9", "KRW");
            // a purchase as the switch books it: card → the merchant's payable, and its journal row
            database.inTransaction(s -> {
                s.doReturningWork(c -> ledger.createTransfers(c, List.of(
                        org.anonpay.ledger.Transfer.singlePhase(org.anonpay.ledger.TransferId.derive("ops-settle-load"), funding, card, 100_000,
                                org.anonpay.ledger.TransferCode.LOAD, "load"),
                        org.anonpay.ledger.Transfer.singlePhase(key.transferId("card"), card, merchant, 40_000,
                                org.anonpay.ledger.TransferCode.PURCHASE, key.toString()))));
                s.persist(new org.anonpay.authz.JournalEntry("0200", org.anonpay.authz.TransactionType.PURCHASE, key)
                        .request("000000", "OPSMALL9", "RRN000777", new byte[32])
                        .money(40_000, "KRW", java.time.LocalDate.now())
                        .card(null, "941000******0013")
                        .outcome("00", null, "A00777", null)
                        .transfers(key.transferId("card").bytes(), 40_000, null, 0));
                return null;
            });
            date = org.anonpay.settlement.SettlementConfig.load(Path.of(config)).businessDateOf(java.time.Instant.now());
        }
        Run settle = ops("", "settle", "--date", date.toString(), "--out", out.toString(), "--settlement-config", config);
        assertEquals(0, settle.exit(), settle.err());
        assertTrue(settle.out().contains("settlement " + date + ": 1/1 4321/OPSMALL9/KRW settled, net 39000"), settle.out());
        Path file = out.resolve(date.toString()).resolve("4321-OPSMALL9-KRW.csv");
        assertTrue(Files.readString(file).endsWith("TOTAL,1,40000,0,1000,39000\n"), Files.readString(file));

        Run again = ops("", "settle", "--date", date.toString(), "--out", out.toString(), "--settlement-config", config);
        assertTrue(again.out().contains("0 merchants now, 1 already settled"), again.out());

        Run reconcile = ops("", "reconcile", "--date", date.toString(), "--out", out.toString(), "--settlement-config", config);
        assertEquals(0, reconcile.exit(), reconcile.out() + reconcile.err());
        assertTrue(reconcile.out().contains("reconciled " + date + ": 0 breaks"), reconcile.out());

        Files.writeString(file, Files.readString(file).replace(",40000,RRN000777,", ",4000,RRN000777,"));
        Run broken = ops("", "reconcile", "--date", date.toString(), "--out", out.toString(), "--settlement-config", config);
        assertEquals(Ops.REFUSED, broken.exit());
        assertTrue(broken.out().contains("BREAK FILE " + file), broken.out());
        assertTrue(broken.out().contains("amount 4000 in the file, 40000 in the journal and ledger"), broken.out());

        Run expire = ops("", "expire-authorizations", "--older-than-days", "3", "--settlement-config", config);
        assertEquals(0, expire.exit(), expire.err());
        assertTrue(expire.out().contains("expired 0 authorizations"), expire.out());
    }

    private String cardsLine(long id) {
        Run run = ops("", "cards");
        assertEquals(0, run.exit(), run.err());
        return run.out().lines().filter(l -> l.trim().startsWith(id + " ")).findFirst().orElseThrow();
    }

    private static void exec(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            c.createStatement().executeUpdate(sql);
        }
    }

    private static int query(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
