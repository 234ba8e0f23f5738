// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.statements;

import java.time.LocalDateTime;

/**
 * One line of a statement: an approved journal entry that moved money on a card.
 *
 * @param journalId  authz_journal.id
 * @param time       when the host answered it, in Asia/Seoul
 * @param type       the journal's txn_type (PURCHASE, COMPLETION, AUTHORIZATION_ADVICE, REFUND, LOAD, REVERSAL)
 * @param merchant   the mall's name, else the card acceptor name (field 43), else the merchant id, else empty
 * @param panMasked  the card, masked (never a full PAN)
 * @param amount     minor units of {@code currency}, always positive
 * @param currency   ISO 4217 alpha code
 * @param credit     true when money came onto the card (refund, load, reversal of a debit)
 */
public record StatementEntry(long journalId, LocalDateTime time, String type, String merchant, String panMasked,
                             long amount, String currency, boolean credit) {}
