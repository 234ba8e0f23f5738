// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

/** An account as stored. {@code code} is unique and stable (e.g. "card:42", "merchant:ACQ/MID"). */
public record Account(long id, AccountKind kind, String code, String currency) {}
