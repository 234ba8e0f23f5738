// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.extissuer;

/** Whether the issuer acknowledged the reversal of a charge. */
public enum ReversalResult {
    /** A 0410 with 00 came back: whatever the charge did is undone (or it never arrived). */
    ACKNOWLEDGED,
    /** No 0410 with 00 within the bound: the charge may still stand; repeat later. */
    PENDING
}
