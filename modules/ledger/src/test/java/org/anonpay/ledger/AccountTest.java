// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

import static org.anonpay.ledger.LedgerFixture.LEDGER;
import static org.anonpay.ledger.LedgerFixture.connection;
import static org.anonpay.ledger.LedgerFixture.loadedCard;
import static org.anonpay.ledger.LedgerFixture.open;
import static org.anonpay.ledger.LedgerFixture.tx;
import static org.anonpay.ledger.LedgerFixture.uniqueCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Opening and finding accounts, and locking a card's balance row. */
class AccountTest {

    private static Database db;

    @BeforeAll
    static void openDatabase() {
        db = TestMariaDb.freshDatabase("ledger");
    }

    @AfterAll
    static void closeDatabase() {
        db.close();
    }

    @Test
    void openIsIdempotentAndFindable() {
        String code = uniqueCode("card");
        Account opened = tx(db, c -> LEDGER.openAccount(c, AccountKind.CARD_PREPAID, code, "KRW"));

        assertEquals(opened, tx(db, c -> LEDGER.openAccount(c, AccountKind.CARD_PREPAID, code, "KRW")));
        assertEquals(Optional.of(opened), tx(db, c -> LEDGER.findAccount(c, code)));
        assertEquals(Optional.of(opened), tx(db, c -> LEDGER.findAccount(c, opened.id())));
        assertEquals(new Account(opened.id(), AccountKind.CARD_PREPAID, code, "KRW"), opened);
        assertEquals(Optional.empty(), tx(db, c -> LEDGER.findAccount(c, code.toUpperCase())), "codes compare byte for byte");
        assertEquals(Optional.empty(), tx(db, c -> LEDGER.findAccount(c, code + " ")), "trailing spaces count too");
        assertEquals(Optional.empty(), tx(db, c -> LEDGER.findAccount(c, Long.MAX_VALUE)));
        assertEquals(new Balance(opened.id(), "KRW", 0, 0, 0, 0), tx(db, c -> LEDGER.balance(c, opened.id())));
    }

    @Test
    void reopeningWithAnotherKindOrCurrencyIsRejected() {
        String code = uniqueCode("merchant");
        tx(db, c -> LEDGER.openAccount(c, AccountKind.MERCHANT_PAYABLE, code, "KRW"));

        assertThrows(IllegalArgumentException.class, () -> tx(db, c -> LEDGER.openAccount(c, AccountKind.SUSPENSE, code, "KRW")));
        assertThrows(IllegalArgumentException.class, () -> tx(db, c -> LEDGER.openAccount(c, AccountKind.MERCHANT_PAYABLE, code, "USD")));
    }

    @Test
    void malformedCodesAndCurrenciesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> tx(db, c -> LEDGER.openAccount(c, AccountKind.CARD_PREPAID, " ", "KRW")));
        assertThrows(IllegalArgumentException.class, () -> tx(db, c -> LEDGER.openAccount(c, AccountKind.CARD_PREPAID, "x".repeat(129), "KRW")));
        assertThrows(IllegalArgumentException.class, () -> tx(db, c -> LEDGER.openAccount(c, AccountKind.CARD_PREPAID, uniqueCode("c") + " ", "KRW")));
        assertThrows(IllegalArgumentException.class, () -> tx(db, c -> LEDGER.openAccount(c, AccountKind.CARD_PREPAID, uniqueCode("c"), "krw")));
        assertThrows(IllegalArgumentException.class, () -> tx(db, c -> LEDGER.openAccount(c, AccountKind.CARD_PREPAID, uniqueCode("c"), "410")));
    }

    @Test
    void concurrentOpensOfOneCodeYieldOneAccount() throws Exception {
        String code = uniqueCode("card");
        int threads = 6;
        CyclicBarrier start = new CyclicBarrier(threads);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Account>> opened = new java.util.ArrayList<>();
            for (int i = 0; i < threads; i++) {
                opened.add(pool.submit(() -> tx(db, c -> {
                    start.await();
                    return LEDGER.openAccount(c, AccountKind.CARD_PREPAID, code, "USD");
                })));
            }
            Account first = opened.getFirst().get();
            for (Future<Account> f : opened) assertEquals(first, f.get());
        }
    }

    @Test
    void lockBalanceHoldsTheCardRowUntilTheTransactionEnds() throws Exception {
        Account card = loadedCard(db, "KRW", 5_000);
        try (Connection holder = connection(db); Connection other = connection(db)) {
            assertEquals(new Balance(card.id(), "KRW", 0, 5_000, 0, 0), LEDGER.lockBalance(holder, card.id()));

            assertThrows(SQLException.class, () -> lockNowait(other, card.id()), "the row is locked by the holder");
            other.rollback();
            holder.commit();
            lockNowait(other, card.id());
            other.rollback();
        }
    }

    @Test
    void lockBalanceRejectsHotAccounts() {
        Account merchant = open(db, AccountKind.MERCHANT_PAYABLE, "KRW");
        assertThrows(IllegalArgumentException.class, () -> tx(db, c -> LEDGER.lockBalance(c, merchant.id())));
        assertFalse(merchant.kind().keepsBalanceRow());
    }

    static void lockNowait(Connection c, long accountId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM ledger_account WHERE id = ? FOR UPDATE NOWAIT")) {
            s.setLong(1, accountId);
            s.executeQuery().close();
        }
    }
}
