// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.statements;

/** Delivers a statement by one channel. */
public interface StatementSender extends AutoCloseable {

    /**
     * Sends it and returns once the server (SMTP or SMSC) has accepted it, with the message's
     * reference (Message-ID or SMSC message id). Throws when it was not accepted.
     */
    String send(Statement statement) throws Exception;

    @Override
    default void close() {}
}
