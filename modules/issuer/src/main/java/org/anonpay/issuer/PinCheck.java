// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

/** The outcome of {@link CardIssuer#checkPin}. */
public enum PinCheck {
    VERIFIED,
    /** Wrong PIN; counted. */
    WRONG_PIN,
    /** PIN use is blocked: this try was the last allowed wrong one, or PIN use was blocked before. */
    TRIES_EXCEEDED,
    /** The PIN block is not a format 0 block for this card (not counted as a wrong PIN). */
    FORMAT_ERROR
}
