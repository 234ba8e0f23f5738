// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A card's member controls (table {@code card_control}, V23); only {@link CardIssuer} reads and writes it. */
@Entity
@Table(name = "card_control")
class CardControlRow {

    @Id
    @Column(name = "card_id")
    private Long cardId;

    @Column(name = "limit_per_transaction")
    private Long limitPerTransaction;

    @Column(name = "limit_daily")
    private Long limitDaily;

    @Column(name = "allow_online", nullable = false)
    private boolean allowOnline;

    @Column(name = "allow_offline", nullable = false)
    private boolean allowOffline;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    /** For Hibernate. */
    protected CardControlRow() {}

    CardControlRow(long cardId) {
        this.cardId = cardId;
    }

    CardControls controls() {
        return new CardControls(limitPerTransaction, limitDaily, allowOnline, allowOffline);
    }

    void set(CardControls controls, Instant at) {
        limitPerTransaction = controls.limitPerTransaction();
        limitDaily = controls.limitDaily();
        allowOnline = controls.allowOnline();
        allowOffline = controls.allowOffline();
        updatedAt = at;
    }
}
