// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

/**
 * Field 3 values: transaction type (2 digits) + from account (2) + to account (2).
 * anonpay uses the default account "00" on both sides.
 */
public final class ProcessingCode {
    /** Purchase (0200) or authorization (0100/0120/0220). */
    public static final String PURCHASE = "000000";
    /** Cash withdrawal / cash advance: refused with 57 for anonymous prepaid cards. */
    public static final String CASH = "010000";
    public static final String REFUND = "200000";
    public static final String BALANCE_INQUIRY = "310000";
    /** Deposit: loads (tops up) a prepaid card from the operator's funding side. */
    public static final String LOAD = "210000";

    public static final String TYPE_PURCHASE = "00";
    public static final String TYPE_CASH = "01";
    public static final String TYPE_REFUND = "20";
    public static final String TYPE_BALANCE_INQUIRY = "31";
    public static final String TYPE_LOAD = "21";

    private ProcessingCode() {
    }

    public static boolean isValid(String code) {
        return code != null && code.length() == 6 && Digits.only(code);
    }

    /** The transaction type: the first two digits. */
    public static String transactionType(String code) {
        if (!isValid(code)) {
            throw new IllegalArgumentException("processing code must be 6 digits");
        }
        return code.substring(0, 2);
    }
}
