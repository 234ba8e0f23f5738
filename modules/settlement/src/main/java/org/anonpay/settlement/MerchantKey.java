// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.settlement;

import java.util.Comparator;
import java.util.Optional;

/**
 * A settled party: the card acceptor {@code merchantId} (field 42) at acquirer {@code acquirerId}
 * (field 32) in {@code currency}, exactly as the switch opens its payable
 * ({@code merchant:ACQ:MID:CUR}, see org.anonpay.authz.LedgerAccounts).
 */
public record MerchantKey(String acquirerId, String merchantId, String currency) implements Comparable<MerchantKey> {

    static final Comparator<MerchantKey> ORDER = Comparator.comparing(MerchantKey::acquirerId)
            .thenComparing(MerchantKey::merchantId).thenComparing(MerchantKey::currency);

    /** The key of a merchant payable's account code, or empty if the code is not one. */
    static Optional<MerchantKey> ofPayableCode(String code) {
        if (!code.startsWith("merchant:")) return Optional.empty();
        String rest = code.substring("merchant:".length());
        int first = rest.indexOf(':');
        int last = rest.lastIndexOf(':');
        if (first < 0 || last == first) return Optional.empty();
        return Optional.of(new MerchantKey(rest.substring(0, first), rest.substring(first + 1, last), rest.substring(last + 1)));
    }

    /** The ledger account that receives the merchant's payouts: what the operator must pay out. */
    public String payoutAccountCode() {
        return "settlement:" + acquirerId + ":" + merchantId + ":" + currency;
    }

    /** The settlement file's name (characters unsafe in a file name replaced by _). */
    public String fileName() {
        return safe(acquirerId) + "-" + safe(merchantId) + "-" + currency + ".csv";
    }

    static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9_.]", "_");
    }

    @Override
    public int compareTo(MerchantKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return acquirerId + "/" + merchantId + "/" + currency;
    }
}
