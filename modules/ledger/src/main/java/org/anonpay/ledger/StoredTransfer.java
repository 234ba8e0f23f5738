// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * A transfer as the ledger keeps it: the fields it was created with, and for a PENDING transfer
 * whether it is still held, was posted or was voided.
 *
 * @param pendingId the PENDING transfer resolved by a POST_PENDING or VOID_PENDING; null otherwise
 * @param state for a PENDING transfer only; null for every other kind
 * @param createdAt when the ledger created it (database clock, UTC)
 */
public record StoredTransfer(TransferId id, TransferKind kind, long debitAccountId, long creditAccountId,
                             long amount, TransferId pendingId, TransferCode code, String reference,
                             PendingState state, Instant createdAt) {

    /** Where a PENDING transfer is in its life: held, then posted or voided exactly once. */
    public enum PendingState {
        PENDING,
        POSTED,
        VOIDED
    }

    public StoredTransfer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(createdAt, "createdAt");
        if ((kind == TransferKind.PENDING) != (state != null)) {
            throw new IllegalArgumentException(kind + ": state " + (state == null ? "required" : "not allowed"));
        }
    }

    /** The transfer as it was submitted: equal to a re-submission exactly when that one is EXISTS. */
    public Transfer transfer() {
        return new Transfer(id, kind, debitAccountId, creditAccountId, amount, pendingId, code, reference);
    }
}
