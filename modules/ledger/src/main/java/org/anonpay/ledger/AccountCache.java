// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The accounts a {@link Ledger} has read, by id. Every column of an {@link Account} (kind, code,
 * currency) is fixed when it is opened and accounts are never deleted, so an account once read
 * stays true: a transfer then needs no statement to learn its accounts' kinds and currencies
 * (one round trip fewer on every authorization). Totals are not cached; they are read under lock.
 *
 * <p>An id not found is not remembered (it may be opened later). An account read inside a
 * transaction that opened it and then rolled back stays cached: its id is never given to another
 * account (InnoDB does not reuse auto-increment values), so only a caller that kept the id of a
 * rolled-back account could name it, and its transfer then fails at the insert (an exception, as
 * for any database failure) instead of with DEBIT/CREDIT_ACCOUNT_NOT_FOUND.
 * <p>Keyed by account id alone: one cache serves one database ({@link Ledger#cachingAccounts}).
 */
final class AccountCache {
    /** About 100 bytes each: a million accounts is 100 MB; past it the cache starts over. */
    private static final int ENTRIES_MAX = 1_000_000;

    private final Map<Long, Account> byId = new ConcurrentHashMap<>();

    /** The accounts among {@code ids} (missing ones are absent), read from the database only when not cached. */
    Map<Long, Account> findAll(Connection c, Collection<Long> ids) throws SQLException {
        Map<Long, Account> found = new HashMap<>();
        List<Long> missing = new java.util.ArrayList<>();
        for (long id : ids) {
            Account cached = byId.get(id);
            if (cached == null) missing.add(id);
            else found.put(id, cached);
        }
        if (missing.isEmpty()) return found;
        Map<Long, Account> read = AccountStore.findAll(c, missing);
        if (byId.size() + read.size() > ENTRIES_MAX) byId.clear();
        byId.putAll(read);
        found.putAll(read);
        return found;
    }
}
