// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISOSource;
import org.jpos.space.Space;
import org.jpos.space.SpaceFactory;
import org.jpos.transaction.Context;

/**
 * A door into the one authorization transaction manager for the host's own services (demo data
 * now; the wallet web and the HTTP adapter later): the request is queued exactly as the ISO
 * server's listener queues a terminal's message, so it runs through the same participants and
 * journal, and the answer comes back here instead of over a socket.
 */
public final class TransactionDoor {

    private final Space<String, Context> space;
    private final String queue;

    public TransactionDoor(String spaceName, String queue) {
        this.space = SpaceFactory.getSpace(spaceName);
        this.queue = queue;
    }

    /** The door of the transaction manager in deploy/50_authorization_txnmgr.xml. */
    public static TransactionDoor authorization() {
        return new TransactionDoor("tspace:default", "AUTHORIZATION");
    }

    /** Runs {@code request} through the transaction manager; empty if no answer came in time. */
    public Optional<ISOMsg> submit(ISOMsg request, Duration timeout) throws InterruptedException {
        Answer answer = new Answer();
        Context ctx = new Context();
        ctx.put(Ctx.RECEIVED_NANOS, System.nanoTime());
        ctx.put(Ctx.REQUEST, request);
        ctx.put(Ctx.SOURCE, answer);
        space.out(queue, ctx, timeout.toMillis());
        try {
            return Optional.of(answer.response.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Where SendResponse delivers the answer of a message that came through this door. */
    private static final class Answer implements ISOSource {
        private final CompletableFuture<ISOMsg> response = new CompletableFuture<>();

        @Override
        public void send(ISOMsg m) {
            response.complete(m);
        }

        @Override
        public boolean isConnected() {
            return !response.isDone();
        }
    }
}
