// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import org.anonpay.ledger.TransferId;

/**
 * What identifies one financial message: acquirer (32), terminal (41), STAN (11), transmission
 * time (7) and the MTI without its repeat digit (0201 is 020). A repeat carries the same key,
 * so it finds the original's journal entry; ledger transfer ids are derived from it, so even a
 * repeat racing its original cannot move money twice.
 */
public record MessageKey(String acquirerId, String terminalId, String stan, String transmissionTime, String mtiClass) {

    public MessageKey {
        // field 90 carries the acquirer zero-filled to 11 digits, field 32 as the acquirer sends
        // it: keys compare the number, so leading zeros are dropped
        acquirerId = acquirerId.replaceFirst("^0+(?=.)", "");
        if (mtiClass.length() != 3) throw new IllegalArgumentException("mti class is 3 digits: " + mtiClass);
    }

    public static String mtiClass(String mti) {
        return mti.substring(0, 3);
    }

    /** Id of the {@code leg}-th ledger transfer this message makes ("card", "shortfall", …). */
    public TransferId transferId(String leg) {
        return TransferId.derive("iso8583", acquirerId, terminalId, stan, transmissionTime, mtiClass, leg);
    }

    /**
     * Binds the key to five places from {@code first}, in the column order every keyed table uses
     * (acquirer_id, terminal_id, stan, transmission_time, mti_class); returns the place after them.
     */
    int bind(java.sql.PreparedStatement ps, int first) throws java.sql.SQLException {
        ps.setString(first, acquirerId);
        ps.setString(first + 1, terminalId);
        ps.setString(first + 2, stan);
        ps.setString(first + 3, transmissionTime);
        ps.setString(first + 4, mtiClass);
        return first + 5;
    }

    @Override
    public String toString() {
        return mtiClass + "x acq=" + acquirerId + " tid=" + terminalId + " stan=" + stan + " time=" + transmissionTime;
    }
}
