// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.util.List;
import java.util.UUID;
import org.anonpay.db.Database;

/** Helpers shared by the ledger tests: accounts with unique codes, fresh ids, one-transaction calls. */
final class LedgerFixture {

    static final Ledger LEDGER = new Ledger();

    private LedgerFixture() {}

    static TransferId newId() {
        UUID u = UUID.randomUUID();
        return new TransferId(ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array());
    }

    static String uniqueCode(String prefix) {
        return prefix + ":" + UUID.randomUUID();
    }

    static <T> T tx(Database db, Database.JdbcWork<T> work) {
        return db.inJdbcTransaction(work);
    }

    static Account open(Database db, AccountKind kind, String currency) {
        return tx(db, c -> LEDGER.openAccount(c, kind, uniqueCode(kind.name()), currency));
    }

    /** A card loaded with {@code amount} from a funding account of its own, committed. */
    static Account loadedCard(Database db, String currency, long amount) {
        Account card = open(db, AccountKind.CARD_PREPAID, currency);
        Account funding = open(db, AccountKind.FUNDING_CLEARING, currency);
        TransferResult r = transfer(db, Transfer.singlePhase(newId(), funding.id(), card.id(), amount, TransferCode.LOAD, "load"));
        if (r != TransferResult.CREATED) throw new AssertionError("load failed: " + r);
        return card;
    }

    /** One transfer in its own committed transaction. */
    static TransferResult transfer(Database db, Transfer t) {
        return tx(db, c -> LEDGER.createTransfers(c, List.of(t))).getFirst();
    }

    static List<TransferResult> batch(Database db, Transfer... transfers) {
        return tx(db, c -> LEDGER.createTransfers(c, List.of(transfers)));
    }

    static Balance balance(Database db, long accountId) {
        return tx(db, c -> LEDGER.balance(c, accountId));
    }

    static List<TrialBalance> trialBalance(Database db) {
        return tx(db, c -> LEDGER.trialBalance(c));
    }

    /** A connection of its own with an open transaction (autocommit off), for tests that interleave two. */
    static Connection connection(Database db) throws java.sql.SQLException {
        Connection c = db.dataSource().getConnection();
        c.setAutoCommit(false);
        return c;
    }
}
