// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

/** Why a card was or was not issued. */
public enum IssueStatus {
    ISSUED,
    UNKNOWN_PROGRAM,
    /** Empty, longer than 15 characters, or with control characters. */
    INVALID_CARD_NAME,
    /** Not exactly 4 digits. */
    INVALID_PIN,
    /** Longer than 64 characters. */
    INVALID_HOLDER_REF,
    /** A requested PAN of another length, or outside the program's BIN range. */
    PAN_OUTSIDE_PROGRAM,
    PAN_NOT_LUHN_VALID,
    PAN_ALREADY_ISSUED,
    /** A requested expiry before the current month. */
    EXPIRY_IN_PAST,
    /** No unused card number found in several random draws: the BIN range is (nearly) full. */
    NO_FREE_PAN;

    public boolean ok() {
        return this == ISSUED;
    }
}
