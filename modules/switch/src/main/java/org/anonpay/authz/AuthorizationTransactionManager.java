// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import java.io.Serializable;
import org.jpos.core.Configuration;
import org.jpos.core.ConfigurationException;
import org.jpos.transaction.AbortParticipant;
import org.jpos.transaction.TransactionManager;
import org.jpos.transaction.TransactionParticipant;

/**
 * jPOS's transaction manager, with its bookkeeping around every participant call made optional
 * (deploy/50_authorization_txnmgr.xml). For each of the ~40 participant calls of a message jPOS
 * renames the thread (String.format of the participant's class and the time of day) and records
 * two timers (a Micrometer timer and a histogram keyed by a concatenated name): about a seventh
 * of the host's CPU per authorization in the benchmark (docs/performance.md).
 *
 * <pre>
 *   property participant-timers   true: jPOS's behaviour (thread names, per-participant timers);
 *                                  false (default): the participant is called and nothing else.
 * </pre>
 * Exceptions are handled as jPOS does: logged, prepare answers ABORTED. The transaction's own
 * timers, the JFR events and the TM's metrics per transaction stay.
 */
public class AuthorizationTransactionManager extends TransactionManager {

    private boolean participantTimers;

    @Override
    public void setConfiguration(Configuration cfg) throws ConfigurationException {
        super.setConfiguration(cfg);
        participantTimers = cfg.getBoolean("participant-timers", false);
    }

    @Override
    protected int prepare(TransactionParticipant p, long id, Serializable context) {
        if (participantTimers) return super.prepare(p, id, context);
        try {
            return p.prepare(id, context);
        } catch (Throwable t) {
            getLog().warn("PREPARE: " + id, t);
            return ABORTED;
        }
    }

    @Override
    protected int prepareForAbort(TransactionParticipant p, long id, Serializable context) {
        if (participantTimers) return super.prepareForAbort(p, id, context);
        try {
            if (p instanceof AbortParticipant ap) return ap.prepareForAbort(id, context);
        } catch (Throwable t) {
            getLog().warn("PREPARE-FOR-ABORT: " + id, t);
        }
        return ABORTED | NO_JOIN;
    }

    @Override
    protected void commit(TransactionParticipant p, long id, Serializable context) {
        if (participantTimers) {
            super.commit(p, id, context);
            return;
        }
        try {
            p.commit(id, context);
        } catch (Throwable t) {
            getLog().warn("COMMIT: " + id, t);
        }
    }

    @Override
    protected void abort(TransactionParticipant p, long id, Serializable context) {
        if (participantTimers) {
            super.abort(p, id, context);
            return;
        }
        try {
            p.abort(id, context);
        } catch (Throwable t) {
            getLog().warn("ABORT: " + id, t);
        }
    }
}
