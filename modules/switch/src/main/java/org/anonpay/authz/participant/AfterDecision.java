// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.io.Serializable;
import org.jpos.transaction.AbortParticipant;

/**
 * A participant that decides nothing and acts once the outcome is known, in commit or in abort
 * (answering, logging, scrubbing): it joins every transaction, approved, declined or aborted.
 */
abstract class AfterDecision implements AbortParticipant {

    @Override
    public final int prepare(long id, Serializable context) {
        return PREPARED | READONLY;
    }

    @Override
    public final int prepareForAbort(long id, Serializable context) {
        return PREPARED | READONLY;
    }
}
