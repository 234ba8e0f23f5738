// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.stream.Collectors;

/** JDBC details shared by the ledger's tables. */
final class Sql {

    /** ER_DUP_ENTRY, the same number on MySQL and MariaDB. */
    private static final int DUPLICATE_KEY = 1062;

    /** The account kinds that keep running totals in their row, as an SQL list: {@code 'CARD_PREPAID'}. */
    static final String BALANCE_ROW_KINDS = kinds(true);
    /** The hot account kinds (summed from transfers), as an SQL list. */
    static final String HOT_KINDS = kinds(false);
    /** The transfer kinds whose amount is posted on both sides. */
    static final String POSTING_KINDS = "'SINGLE_PHASE','POST_PENDING'";

    private Sql() {}

    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work}, turning an SQLException into an IllegalStateException with it as cause:
     * the public API has no checked exceptions. A deadlock or lock wait timeout shows up here;
     * the caller rolls its transaction back (and may retry it).
     */
    static <T> T run(String what, Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new IllegalStateException("ledger: " + what + " failed: " + e.getMessage(), e);
        }
    }

    static boolean isDuplicateKey(SQLException e) {
        return e.getErrorCode() == DUPLICATE_KEY;
    }

    /** Savepoints need a transaction the caller owns; with autocommit on there is none. */
    static void requireOpenTransaction(Connection c) throws SQLException {
        if (c.getAutoCommit()) {
            throw new IllegalArgumentException("ledger: the connection must have autocommit off (the caller owns the transaction)");
        }
    }

    /** SUM() of BIGINT is DECIMAL in MySQL: exact, and null over no rows. */
    static long exactLong(BigDecimal sum) {
        return sum == null ? 0 : sum.longValueExact();
    }

    static java.time.Instant utc(java.time.LocalDateTime dateTime) {
        return dateTime.toInstant(ZoneOffset.UTC);
    }

    private static String kinds(boolean balanceRow) {
        return Arrays.stream(AccountKind.values())
                .filter(k -> k.keepsBalanceRow() == balanceRow)
                .map(k -> "'" + k.name() + "'")
                .collect(Collectors.joining(","));
    }
}
