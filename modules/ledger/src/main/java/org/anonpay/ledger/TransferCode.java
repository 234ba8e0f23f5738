// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

/** Why money moved; stored with each transfer for statements, settlement and reconciliation. */
public enum TransferCode {
    LOAD,               // funding → card (top-up)
    PURCHASE,           // card → merchant
    AUTHORIZATION,      // card → merchant, pending (hold)
    COMPLETION,         // posts an authorization
    AUTHORIZATION_RELEASE, // voids a hold (reversal, expiry)
    REFUND,             // merchant → card
    REVERSAL,           // undoes a purchase or refund
    ADVICE,             // stand-in authorization advice, posted as told
    ADVICE_SHORTFALL,   // the part of an advice past the card's balance: recovery → merchant
    SETTLEMENT,         // merchant payable → settlement
    ADJUSTMENT
}
