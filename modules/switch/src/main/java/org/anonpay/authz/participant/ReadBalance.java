// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import org.anonpay.authz.TransactionType;
import org.jpos.transaction.Context;

/** Processing code 31: no money moves; the ledger and available balances go into field 54. */
public final class ReadBalance extends MoneyStep {

    public ReadBalance() {
        super(types(TransactionType.BALANCE_INQUIRY));
    }

    @Override
    protected void decide(Context ctx) {
        recordBalance(ctx, cardAccount(ctx));
    }
}
