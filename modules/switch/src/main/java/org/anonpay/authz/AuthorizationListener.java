// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import org.jpos.core.Configurable;
import org.jpos.core.Configuration;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISORequestListener;
import org.jpos.iso.ISOSource;
import org.jpos.space.Space;
import org.jpos.space.SpaceFactory;
import org.jpos.transaction.Context;

/**
 * The ISO server's request listener: every message, well formed or not, becomes a transaction
 * Context queued to the one authorization transaction manager, whose participants decide it.
 *
 * <pre>
 *   property space     (default tspace:default)
 *   property queue     the transaction manager's queue (default AUTHORIZATION)
 *   property timeout   how long a queued message may wait, ms (default 30000)
 * </pre>
 */
public class AuthorizationListener implements ISORequestListener, Configurable {

    private Space<String, Context> space;
    private String queue;
    private long timeoutMillis;

    @Override
    public void setConfiguration(Configuration cfg) {
        space = SpaceFactory.getSpace(cfg.get("space", "tspace:default"));
        queue = cfg.get("queue", "AUTHORIZATION");
        timeoutMillis = cfg.getLong("timeout", 30_000L);
    }

    @Override
    public boolean process(ISOSource source, ISOMsg request) {
        Context ctx = new Context();
        ctx.put(Ctx.RECEIVED_NANOS, System.nanoTime());
        ctx.put(Ctx.REQUEST, request);
        ctx.put(Ctx.SOURCE, source);
        space.out(queue, ctx, timeoutMillis);
        return true;
    }
}
