// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.io.IOException;
import org.anonpay.iso.AnonpayChannel;
import org.jpos.core.ConfigurationException;
import org.jpos.core.SimpleConfiguration;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISORequestListener;
import org.jpos.iso.ISOServer;
import org.jpos.iso.ISOSource;

/**
 * The framework ceiling's server, run as its own JVM: the host's channel and packager
 * ({@link AnonpayChannel}, the same framing and field definitions) under a jPOS {@link ISOServer},
 * answering every 0800 with an 0810, 39=00, and touching no database. What the host does beyond
 * this is anonpay's own cost.
 *
 * <p>{@code java -cp anonpay-bench.jar org.anonpay.bench.EchoServer PORT}
 */
public final class EchoServer implements ISORequestListener {
    private static final int MAX_SESSIONS = 200;

    public static void main(String[] args) throws ConfigurationException {
        int port = Integer.parseInt(args[0]);
        ISOServer server = new ISOServer(port, new AnonpayChannel(), MAX_SESSIONS);
        // jPOS 3 creates the sessions' executor (virtual threads, as QServer's) in setConfiguration
        server.setConfiguration(new SimpleConfiguration());
        server.addISORequestListener(new EchoServer());
        Thread thread = new Thread(server, "echo-server");
        thread.start();
    }

    @Override
    public boolean process(ISOSource source, ISOMsg m) {
        try {
            ISOMsg answer = (ISOMsg) m.clone();
            answer.setResponseMTI();
            answer.set(39, "00");
            source.send(answer);
        } catch (ISOException | IOException e) {
            // the client sees a timeout and counts an error: nothing to add here
        }
        return true;
    }
}
