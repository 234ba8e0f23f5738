// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.anonpay.db.Database;
import org.anonpay.ledger.AccountKind;
import org.anonpay.ledger.Ledger;

/**
 * Ledger accounts of merchants and of the operator, opened on first use. They are opened in a
 * short transaction of their own, committed while the authorization's transaction waits, so that
 * an id in the cache always names a committed account (a rolled-back authorization cannot leave a
 * stale id). That transaction takes its connection from the database's side pool
 * ({@link Database#inSideTransaction}): the authorization holds one of the main pool already, and
 * a burst of new merchants would otherwise hold every main connection waiting for a second one.
 */
public final class LedgerAccounts {

    private final Supplier<Database> database;
    private final Ledger ledger;
    private final ConcurrentMap<String, Long> idsByCode = new ConcurrentHashMap<>();
    private volatile Database cachedFor;

    public LedgerAccounts(Supplier<Database> database, Ledger ledger) {
        this.database = database;
        this.ledger = ledger;
    }

    /** The payable of the card acceptor {@code merchantId} at {@code acquirerId}, in {@code currency}. */
    public long merchant(String acquirerId, String merchantId, String currency) {
        return account(AccountKind.MERCHANT_PAYABLE, "merchant:" + acquirerId + ":" + merchantId.trim() + ":" + currency, currency);
    }

    /** The operator's account of {@code kind} in {@code currency} (funding clearing, recovery, suspense …). */
    public long operator(AccountKind kind, String currency) {
        assert kind != AccountKind.CARD_PREPAID && kind != AccountKind.MERCHANT_PAYABLE : kind;
        return account(kind, "operator:" + kind.name().toLowerCase() + ":" + currency, currency);
    }

    private long account(AccountKind kind, String code, String currency) {
        Database current = database.get();
        if (current != cachedFor) { // ops redeployed the database: ids may differ there
            idsByCode.clear();
            cachedFor = current;
        }
        Long cached = idsByCode.get(code);
        if (cached != null) return cached;
        long id = current.inSideTransaction(c -> ledger.openAccount(c, kind, code, currency).id());
        idsByCode.put(code, id);
        return id;
    }
}
