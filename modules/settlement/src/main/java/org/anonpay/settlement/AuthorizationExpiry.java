// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.settlement;

import jakarta.persistence.LockModeType;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.anonpay.authz.JournalEntry;
import org.anonpay.authz.TransactionType;
import org.anonpay.db.Database;
import org.anonpay.ledger.Ledger;
import org.anonpay.ledger.StoredTransfer;
import org.anonpay.ledger.Transfer;
import org.anonpay.ledger.TransferCode;
import org.anonpay.ledger.TransferId;
import org.anonpay.ledger.TransferResult;

/**
 * Releases the holds of authorizations not completed in time: an approved 0100 with a hold,
 * neither completed nor reversed, written more than N days ago. Each one in its own transaction:
 * its journal row is locked as a completion or reversal locks it (so the two cannot cross), its
 * hold is voided in the ledger (VOID_PENDING, code AUTHORIZATION_RELEASE, id derived from the
 * hold's: a re-run voids nothing twice), the row is marked reversed (a late completion is then
 * declined as "authorization not open") and an {@code authz_expiry} row records it.
 */
public final class AuthorizationExpiry {

    private final Database db;
    private final Ledger ledger;
    private final Consumer<String> progress;

    public AuthorizationExpiry(Database db, Ledger ledger, Consumer<String> progress) {
        this.db = Objects.requireNonNull(db);
        this.ledger = Objects.requireNonNull(ledger);
        this.progress = progress == null ? line -> {} : progress;
    }

    public record Report(int expired, long amount, int skipped) {}

    public static TransferId voidTransferId(TransferId hold) {
        return TransferId.derive("expiry", hold.hex());
    }

    /** Expires the authorizations older than {@code days} days before {@code now}. */
    public Report run(int days, Instant now) {
        if (days < 1) throw new IllegalArgumentException("days must be at least 1: " + days);
        Instant cutoff = now.minus(Duration.ofDays(days));
        List<Long> ids = db.inTransaction(s -> s.createSelectionQuery("select id from JournalEntry where type = :type"
                        + " and responseCode = '00' and reversed = false and completedAmount is null and cardTransferId is not null"
                        + " and createdAt < :cutoff order by id", Long.class)
                .setParameter("type", TransactionType.AUTHORIZATION)
                .setParameter("cutoff", cutoff)
                .getResultList());
        progress.accept("expire-authorizations: " + ids.size() + " open authorizations older than " + days + " days");
        int expired = 0;
        int skipped = 0;
        long amount = 0;
        for (long id : ids) {
            long released = db.inTransaction(s -> {
                JournalEntry e = s.find(JournalEntry.class, id, LockModeType.PESSIMISTIC_WRITE);
                s.refresh(e);
                if (e.reversed() || e.completedAmount() != null) return -1L; // completed or reversed meanwhile
                TransferId holdId = new TransferId(e.cardTransferId());
                Optional<StoredTransfer> hold = s.doReturningWork(c -> ledger.findTransfer(c, holdId));
                if (hold.isEmpty() || hold.get().state() != StoredTransfer.PendingState.PENDING) return -1L;
                StoredTransfer h = hold.get();
                TransferId voidId = voidTransferId(holdId);
                List<TransferResult> results = s.doReturningWork(c -> ledger.createTransfers(c, List.of(Transfer.voidPending(voidId, holdId,
                        h.debitAccountId(), h.creditAccountId(), TransferCode.AUTHORIZATION_RELEASE, "expiry of journal " + id))));
                if (!results.getFirst().ok()) throw new IllegalStateException("expiry of journal " + id + " refused by the ledger: " + results);
                e.markReversed();
                s.doWork(c -> {
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO authz_expiry (journal_id, void_transfer_id, amount) VALUES (?,?,?)")) {
                        p.setLong(1, id);
                        p.setBytes(2, voidId.bytes());
                        p.setLong(3, h.amount());
                        p.executeUpdate();
                    }
                });
                return h.amount();
            });
            if (released < 0) {
                skipped++;
            } else {
                expired++;
                amount += released;
            }
            if ((expired + skipped) % 100 == 0) progress.accept("expire-authorizations: " + (expired + skipped) + "/" + ids.size());
        }
        progress.accept("expire-authorizations: " + expired + " expired, " + skipped + " skipped (completed or reversed meanwhile)");
        return new Report(expired, amount, skipped);
    }
}
