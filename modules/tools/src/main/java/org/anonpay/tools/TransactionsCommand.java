// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.tools;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.anonpay.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Recent authorization journal entries of a card, by masked number or card id. The journal only
 * holds masked numbers; several cards can share a mask, so entries are grouped by card id.
 */
@Command(name = "transactions", mixinStandardHelpOptions = true,
        description = {"Recent transactions (authorization journal) of a card, newest first: time, type, amount, currency,",
                "response code, reason, merchant. --card takes a masked number (941000******0013) or a card id."})
final class TransactionsCommand implements Callable<Integer> {

    private static final Pattern MASKED = Pattern.compile("\\d{6}\\*{3,9}\\d{4}");
    private static final String ROW = "  %-19s  %-20s  %14s  %-3s  %-2s  %-24s  %s%n";

    @Spec
    CommandSpec spec;

    @Mixin
    OpsEnvironment env;

    @Option(names = "--card", required = true, paramLabel = "MASKED|ID", description = "masked card number (first 6, *, last 4) or card id")
    String card;

    @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "entries per card (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--zone", defaultValue = "Asia/Seoul", paramLabel = "ZONE", description = "time zone of the times shown (default: ${DEFAULT-VALUE})")
    ZoneId zone;

    @Override
    public Integer call() throws Exception {
        String masked = null;
        Long cardId = null;
        if (MASKED.matcher(card).matches()) {
            masked = card;
        } else if (card.matches("\\d{1,12}")) {
            cardId = Long.parseLong(card);
        } else {
            // a full number is never looked up nor echoed: the journal has none
            throw new ParameterException(spec.commandLine(), "--card must be a masked number (first 6 digits, *, last 4) or a card id");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Database db = env.openDatabase(); Connection c = db.dataSource().getConnection()) {
            try {
                List<Long> cards = new ArrayList<>();
                boolean unknownCard = false;
                if (cardId != null) {
                    cards.add(cardId);
                } else {
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT DISTINCT card_id FROM authz_journal WHERE pan_masked = ? ORDER BY card_id")) {
                        ps.setString(1, masked);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                long id = rs.getLong(1);
                                if (rs.wasNull()) unknownCard = true;
                                else cards.add(id);
                            }
                        }
                    }
                    int groups = cards.size() + (unknownCard ? 1 : 0);
                    if (groups == 0) {
                        spec.commandLine().getErr().println("no transactions of a card " + masked);
                        return Ops.REFUSED;
                    }
                    if (groups > 1) out.println(groups + " cards share the mask " + masked + ": entries are grouped by card id");
                }
                int entries = 0;
                for (Long id : cards) entries += print(c, out, "card_id = ?", id);
                if (unknownCard) entries += print(c, out, "card_id IS NULL AND pan_masked = ?", masked);
                if (cardId != null && entries == 0) {
                    spec.commandLine().getErr().println("no transactions of card " + cardId);
                    return Ops.REFUSED;
                }
                return 0;
            } finally {
                c.rollback();
            }
        }
    }

    private int print(Connection c, PrintWriter out, String where, Object key) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT created_at, txn_type, amount, currency, response_code, decline_reason,"
                + " TRIM(merchant_id), merchant_name, pan_masked, card_id FROM authz_journal WHERE " + where + " ORDER BY id DESC LIMIT ?")) {
            ps.setObject(1, key);
            ps.setInt(2, limit);
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (n == 0) {
                        long cardId = rs.getLong(10);
                        String label = rs.wasNull() ? "no card id (number unknown to the issuer)" : "card " + cardId;
                        out.println(label + " (" + OpsAudit.mask(rs.getString(9)) + "), newest first, times " + zone + ":");
                        out.printf(ROW, "time", "type", "amount", "cur", "rc", "reason", "merchant");
                    }
                    n++;
                    LocalDateTime time = LocalDateTime.ofInstant(rs.getTimestamp(1).toInstant(), zone).withNano(0);
                    String currency = rs.getString(4) == null ? "" : rs.getString(4);
                    String merchant = rs.getString(8) != null && !rs.getString(8).isBlank() ? rs.getString(8).strip()
                            + (rs.getString(7) == null ? "" : " (" + rs.getString(7) + ")") : rs.getString(7) == null ? "" : rs.getString(7);
                    out.printf(ROW, time.toString().replace('T', ' '), rs.getString(2), currency.isEmpty() ? rs.getLong(3) : Money.major(rs.getLong(3), currency),
                            currency, rs.getString(5), rs.getString(6) == null ? "" : rs.getString(6), OpsAudit.mask(merchant));
                }
            }
            return n;
        }
    }
}
