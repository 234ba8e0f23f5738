// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

import java.util.Objects;

/**
 * One movement of {@code amount} minor units from {@code debitAccountId} to {@code creditAccountId}.
 * Both accounts must be in the same currency. For POST_PENDING and VOID_PENDING, {@code pendingId}
 * names the PENDING transfer and the accounts must be the same as its accounts; a POST_PENDING
 * amount may be less than the pending amount (the rest is released).
 *
 * @param code why the money moved (a {@link TransferCode}), kept for reports
 * @param reference free text for reports and reconciliation (e.g. the journal id); no card data
 */
public record Transfer(TransferId id, TransferKind kind, long debitAccountId, long creditAccountId,
                       long amount, TransferId pendingId, TransferCode code, String reference) {

    public Transfer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(code, "code");
        if (amount < 0) throw new IllegalArgumentException("amount must not be negative");
        boolean needsPending = kind == TransferKind.POST_PENDING || kind == TransferKind.VOID_PENDING;
        if (needsPending != (pendingId != null)) throw new IllegalArgumentException(kind + ": pendingId " + (needsPending ? "required" : "not allowed"));
        reference = reference == null ? "" : reference;
    }

    public static Transfer singlePhase(TransferId id, long debit, long credit, long amount, TransferCode code, String reference) {
        return new Transfer(id, TransferKind.SINGLE_PHASE, debit, credit, amount, null, code, reference);
    }

    public static Transfer pending(TransferId id, long debit, long credit, long amount, TransferCode code, String reference) {
        return new Transfer(id, TransferKind.PENDING, debit, credit, amount, null, code, reference);
    }

    public static Transfer postPending(TransferId id, TransferId pendingId, long debit, long credit, long amount, TransferCode code, String reference) {
        return new Transfer(id, TransferKind.POST_PENDING, debit, credit, amount, pendingId, code, reference);
    }

    public static Transfer voidPending(TransferId id, TransferId pendingId, long debit, long credit, TransferCode code, String reference) {
        return new Transfer(id, TransferKind.VOID_PENDING, debit, credit, 0, pendingId, code, reference);
    }
}
