// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

/** What the security module found in a PIN block. */
public enum PinVerification {
    /** The PIN in the block is the card's PIN. */
    VERIFIED,
    /** A well-formed block with another PIN (or a PIN of another length than the card's). */
    WRONG_PIN,
    /** The block does not decrypt to an ISO 9564 format 0 block for this card number. */
    FORMAT_ERROR
}
