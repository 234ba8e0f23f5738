// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.funding;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEVELOPMENT ONLY ({@code bank.transfers=simulator}): a bank in memory that moves no real money,
 * so that account top-ups can be tried and tested without a firm-banking link. Rules, by the
 * account number's last four digits:
 * <ul>
 *   <li>{@code 0000}: refused, insufficient funds (code 51);</li>
 *   <li>{@code 9999}: the bank does not answer (UNAVAILABLE; nothing is debited, but the caller
 *       cannot know that and refunds);</li>
 *   <li>{@code 1111}: refused, account closed (code 78);</li>
 *   <li>anything else: debited, without a limit.</li>
 * </ul>
 * Debits are remembered by transfer id until the process ends: a repeat answers the first result,
 * a refund gives a debit back once.
 */
public final class SimulatedBank implements BankTransfers {

    private static final Logger LOG = LoggerFactory.getLogger("anonpay.web.bank-simulator");

    private final Map<String, Debit> debits = new ConcurrentHashMap<>();
    private final Map<String, Boolean> refunded = new ConcurrentHashMap<>();

    @Override
    public Debit debit(String transferId, String bankCode, String accountNumber, long amountMinor, String currency) {
        if (accountNumber.endsWith("9999")) {
            LOG.info("bank simulator: debit {} on {} account *{}: not answering", transferId, bankCode, last4(accountNumber));
            return new Debit(DebitStatus.UNAVAILABLE, null, null);
        }
        Debit debit = debits.computeIfAbsent(transferId, id -> decide(id, accountNumber));
        LOG.info("bank simulator: debit {} of {} {} on {} account *{}: {}", transferId, amountMinor, currency, bankCode,
                last4(accountNumber), debit.status());
        return debit;
    }

    private static Debit decide(String transferId, String accountNumber) {
        if (accountNumber.endsWith("0000")) return new Debit(DebitStatus.INSUFFICIENT_FUNDS, null, "51");
        if (accountNumber.endsWith("1111")) return new Debit(DebitStatus.REFUSED, null, "78");
        return new Debit(DebitStatus.DEBITED, "SIM-" + Integer.toHexString(transferId.hashCode()).toUpperCase(), "00");
    }

    @Override
    public RefundStatus refund(String transferId, String bankCode, String accountNumber, long amountMinor, String currency) {
        Debit debit = debits.get(transferId);
        boolean givesBack = debit != null && debit.debited() && refunded.putIfAbsent(transferId, Boolean.TRUE) == null;
        LOG.info("bank simulator: refund {} of {} {} to {} account *{}: {}", transferId, amountMinor, currency, bankCode,
                last4(accountNumber), givesBack ? "given back" : "nothing to give back");
        return RefundStatus.REFUNDED;
    }

    /** Whether the debit {@code transferId} stands (debited and not refunded): tests look. */
    public boolean standing(String transferId) {
        Debit debit = debits.get(transferId);
        return debit != null && debit.debited() && !refunded.containsKey(transferId);
    }

    private static String last4(String accountNumber) {
        return accountNumber.substring(Math.max(0, accountNumber.length() - 4));
    }
}
