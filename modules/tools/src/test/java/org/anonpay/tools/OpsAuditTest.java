// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.anonpay.db.DatabaseSettings;
import org.anonpay.db.TestMariaDb;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ops audit log (V90 ops_audit) and the transactions command, against a real MariaDB. */
class OpsAuditTest {

    private static final Pattern DIGIT_RUN = Pattern.compile("(?<![0-9])[0-9]{13,19}(?![0-9])");

    private static DatabaseSettings db;
    private static Path root;

    record Run(int exit, String out, String err) {}

    @BeforeAll
    static void database() {
        db = TestMariaDb.freshSettings("opsaudit", 2);
        root = Path.of(System.getProperty("anonpay.root", "../..")).toAbsolutePath().normalize();
    }

    private static Run ops(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--db-url", db.jdbcUrl(), "--db-user", db.user(),
                "--db-config", root.resolve("cfg/db.properties").toString(),
                "--keys-dir", root.resolve("cfg/keys").toString(),
                "--programs-dir", root.resolve("cfg/programs").toString()));
        return raw(stdin, all.toArray(String[]::new));
    }

    private static Run raw(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Ops.run(args, new ByteArrayInputStream(stdin.getBytes()), new PrintWriter(out), new PrintWriter(err));
        Run run = new Run(exit, out.toString(), err.toString());
        assertFalse(DIGIT_RUN.matcher(run.out() + run.err()).find(), "no card number printed: " + run);
        return run;
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    private static List<String[]> rows() throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (Connection c = connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT id, command, arguments, exit_code, outcome, os_user, host_name, prev_hash, hash FROM ops_audit ORDER BY id")) {
            while (rs.next()) {
                String[] r = new String[9];
                for (int i = 0; i < 9; i++) r[i] = rs.getString(i + 1);
                rows.add(r);
            }
        }
        return rows;
    }

    @Test
    void everyRunIsAuditedWithItsOutcomeMaskedAndChained() throws Exception {
        int before = rows().size();
        Run issued = ops("1234\n", "issue-card", "--program", "KRW-PREPAID", "--name", "audit card",
                "--requested-pan", "9410000000000021", "--requested-expiry", "2030-12");
        assertEquals(0, issued.exit(), issued.err());
        Run refused = ops("", "card-state", "--card-id", "999999", "--to", "CLOSED");
        assertEquals(Ops.REFUSED, refused.exit());
        Run usage = ops("", "card-state", "--card-id", "1");
        assertEquals(2, usage.exit());
        Run twice = ops("", "cards", "--programs-dir", "/nonexistent/programs");
        assertEquals(2, twice.exit(), "--programs-dir given twice is a usage error");

        List<String[]> rows = rows();
        assertEquals(before + 4, rows.size(), "one row per run");
        String[] issue = rows.get(before);
        assertEquals("issue-card", issue[1]);
        assertTrue(issue[2].contains("--requested-pan 941000******0021"), issue[2]);
        assertFalse(issue[2].contains("1234"), "the PIN comes from stdin and is never audited");
        assertEquals("ok", issue[4]);
        assertEquals(System.getProperty("user.name"), issue[5]);
        assertFalse(issue[6].isBlank(), "host name");
        String[] refusal = rows.get(before + 1);
        assertEquals("card-state", refusal[1]);
        assertEquals("1", refusal[3]);
        assertTrue(refusal[4].startsWith("refused: card 999999: not changed"), refusal[4]);
        String[] wrong = rows.get(before + 2);
        assertEquals("2", wrong[3]);
        assertTrue(wrong[4].startsWith("usage error: Missing required option: '--to=STATE'"), wrong[4]);
        // the hashes are hex and may hold digit runs by chance: every other column is checked
        for (String[] r : rows) assertFalse(DIGIT_RUN.matcher(String.join(" ", List.of(r).subList(1, 7))).find(), String.join(" | ", r));
        for (int i = 1; i < rows.size(); i++) assertEquals(rows.get(i - 1)[8], rows.get(i)[7], "chained");

        Run list = ops("", "audit", "--limit", "3");
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().contains("card-state") && list.out().contains("-> refused: card 999999"), list.out());
        Run verify = ops("", "audit", "--verify");
        assertEquals(0, verify.exit(), verify.err());
        assertTrue(verify.out().contains("chain intact (" + (rows.size() + 1) + " rows)"), verify.out());
    }

    @Test
    void rowsCannotBeUpdatedNorDeletedAndAnEditOutsideTheApplicationBreaksTheChain() throws Exception {
        assertEquals(0, ops("", "cards").exit());
        assertEquals(0, ops("", "cards", "--limit", "1").exit());
        long id = Long.parseLong(rows().getLast()[0]) - 1;
        try (Connection c = connect()) {
            SQLException update = assertThrows(SQLException.class,
                    () -> c.createStatement().executeUpdate("UPDATE ops_audit SET outcome = 'ok' WHERE id = " + id));
            assertEquals("45000", update.getSQLState());
            assertTrue(update.getMessage().contains("append-only"), update.getMessage());
            SQLException delete = assertThrows(SQLException.class,
                    () -> c.createStatement().executeUpdate("DELETE FROM ops_audit WHERE id = " + id));
            assertEquals("45000", delete.getSQLState());
        }
        // someone with the database's admin rights drops the trigger and edits a row: the chain shows it
        String original;
        try (Connection c = connect()) {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT arguments FROM ops_audit WHERE id = " + id)) {
                rs.next();
                original = rs.getString(1);
            }
            c.createStatement().execute("DROP TRIGGER ops_audit_no_update");
            c.createStatement().executeUpdate("UPDATE ops_audit SET arguments = 'cards' WHERE id = " + id);
        }
        try {
            Run broken = ops("", "audit", "--verify");
            assertEquals(Ops.REFUSED, broken.exit(), broken.out());
            assertTrue(broken.err().contains("row " + id + ": content does not match its hash"), broken.err());
        } finally {
            try (Connection c = connect()) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE ops_audit SET arguments = ? WHERE id = ?")) {
                    ps.setString(1, original);
                    ps.setLong(2, id);
                    ps.executeUpdate();
                }
                c.createStatement().execute("CREATE TRIGGER ops_audit_no_update BEFORE UPDATE ON ops_audit FOR EACH ROW"
                        + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ops_audit is append-only: rows cannot be updated'");
            }
        }
        Run intact = ops("", "audit", "--verify");
        assertEquals(0, intact.exit(), intact.err());
        assertTrue(intact.out().startsWith("chain intact ("), intact.out());
    }

    @Test
    void anUnreachableDatabaseIsAWarningNotASilence() {
        Run run = raw("", "card-state", "--card-id", "1", "--db-url", "jdbc:mysql://127.0.0.1:1/nothing?connectTimeout=2000");
        assertEquals(2, run.exit(), "usage error (--to missing)");
        assertTrue(run.err().contains("warning: the audit log was not written"), run.err());
    }

    @Test
    void maskingKeepsFirstSixAndLastFourOfAnythingLikeACardNumber() {
        assertEquals("--requested-pan 941000******0013", OpsAudit.mask("--requested-pan 9410000000000013"));
        assertEquals("x=941000*********1234;", OpsAudit.mask("x=9410000000000001234;"));
        assertEquals("941000******0013", OpsAudit.mask("9410 0000 0000 0013"));
        assertEquals("941000******0013", OpsAudit.mask("9410-0000-0000-0013"));
        assertEquals("371449*****8431", OpsAudit.mask("3714 496353 98431"));
        assertEquals("********************", OpsAudit.mask("12345678901234567890"));
        assertEquals("--date 2026-11-23 2026-11-24 --card-id 123456789012", OpsAudit.mask("--date 2026-11-23 2026-11-24 --card-id 123456789012"));
        assertEquals("941000******0013", OpsAudit.mask("941000******0013"));
        assertEquals("--db-url jdbc:mysql://h/anonpay?user=ops&password=***&sslMode=DISABLED --x",
                OpsAudit.mask("--db-url jdbc:mysql://h/anonpay?user=ops&password=s3cr3t!&sslMode=DISABLED --x"));
    }

    @Test
    void helpIsNotAnOpsAction() throws Exception {
        int before = rows().size();
        assertEquals(0, raw("", "--help").exit());
        assertEquals(0, ops("", "cards", "--help").exit());
        assertEquals(before, rows().size());
    }

    @Test
    void transactionsOfAMaskedCardGroupedByCardIdNeverAFullNumber() throws Exception {
        try (Connection c = connect()) {
            c.setAutoCommit(true);
            journal(c, 1, 701L, "941000******0047", "PURCHASE", 12_500, "00", null, "Green Tea House");
            journal(c, 2, 701L, "941000******0047", "PURCHASE", 99_000_000, "51", "INSUFFICIENT_FUNDS", "Green Tea House");
            journal(c, 3, 702L, "941000******0047", "LOAD", 50_000, "00", null, null);
            journal(c, 4, 703L, "941000******0054", "PURCHASE", 1_000, "00", null, "Other");
        }
        Run shared = ops("", "transactions", "--card", "941000******0047");
        assertEquals(0, shared.exit(), shared.err());
        assertTrue(shared.out().contains("2 cards share the mask 941000******0047: entries are grouped by card id"), shared.out());
        assertTrue(shared.out().contains("card 701 (941000******0047)") && shared.out().contains("card 702 (941000******0047)"), shared.out());
        assertTrue(Pattern.compile("PURCHASE\\s+99000000\\s+KRW\\s+51\\s+INSUFFICIENT_FUNDS\\s+Green Tea House").matcher(shared.out()).find(),
                shared.out());
        assertTrue(Pattern.compile("LOAD\\s+50000\\s+KRW\\s+00").matcher(shared.out()).find(), shared.out());
        assertFalse(shared.out().contains("0054"), "another mask's card is not listed");

        Run byId = ops("", "transactions", "--card", "701", "--limit", "1");
        assertEquals(0, byId.exit(), byId.err());
        assertFalse(byId.out().contains("share the mask"));
        assertTrue(byId.out().contains("INSUFFICIENT_FUNDS") && !byId.out().contains("12500"), "newest first, --limit 1: " + byId.out());

        assertEquals(Ops.REFUSED, ops("", "transactions", "--card", "941000******9999").exit());
        Run full = ops("", "transactions", "--card", "9410000000000047");
        assertEquals(2, full.exit(), "a full card number is refused");
        String args = rows().getLast()[2];
        assertTrue(args.contains("941000******0047") && !args.contains("9410000000000047"), args);
    }

    private static void journal(Connection c, int n, Long cardId, String masked, String type, long amount, String rc, String reason,
                                String merchantName) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO authz_journal (mti, mti_class, txn_type, acquirer_id, terminal_id,"
                + " merchant_id, merchant_name, stan, transmission_time, request_fingerprint, card_id, pan_masked, amount, currency,"
                + " business_date, response_code, decline_reason) VALUES ('0200', '020', ?, '4321', 'TERM0001', 'M0001', ?, ?,"
                + " '1124120000', ?, ?, ?, ?, 'KRW', CURRENT_DATE, ?, ?)")) {
            ps.setString(1, type);
            ps.setString(2, merchantName);
            ps.setString(3, String.format("%06d", 900 + n));
            ps.setBytes(4, new byte[32]);
            ps.setObject(5, cardId);
            ps.setString(6, masked);
            ps.setLong(7, amount);
            ps.setString(8, rc);
            ps.setString(9, reason);
            ps.executeUpdate();
        }
    }
}
