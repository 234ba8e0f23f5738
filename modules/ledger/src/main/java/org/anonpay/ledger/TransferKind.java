// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

/** The phase a transfer is in, as TigerBeetle's pending transfers. */
public enum TransferKind {
    /** Moves posted money at once. */
    SINGLE_PHASE,
    /** Reserves money: debits/credits pending, available balance falls, posted does not change. */
    PENDING,
    /** Posts an earlier PENDING transfer, for its amount or less; the rest is released. */
    POST_PENDING,
    /** Releases an earlier PENDING transfer entirely. */
    VOID_PENDING
}
