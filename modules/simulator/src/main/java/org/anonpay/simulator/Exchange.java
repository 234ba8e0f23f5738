// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.simulator;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;

import org.anonpay.iso.Field;
import org.anonpay.iso.IsoClient;
import org.anonpay.iso.IsoMessages;
import org.anonpay.iso.ResponseCode;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;

/** Sends one request on a fresh connection and prints both messages with card data masked. */
final class Exchange {
    private final PrintWriter out;
    private final PrintWriter err;

    Exchange(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** Exit code: {@link PosSimulator#EXIT_ANSWERED} when the host answered, whatever it said. */
    int run(String host, int port, Duration timeout, ISOMsg request) {
        printRequest(request);
        try (IsoClient client = IsoClient.connect(host, port, timeout)) {
            ISOMsg response = client.exchange(request);
            printResponse(request, response);
            return PosSimulator.EXIT_ANSWERED;
        } catch (IOException | ISOException e) {
            err.println("no answer from " + host + ":" + port + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return PosSimulator.EXIT_NO_ANSWER;
        }
    }

    /** The request, and the data a later complete/reverse needs to refer to it. */
    private void printRequest(ISOMsg request) {
        String mti = request.getString(Field.MTI);
        String stan = request.getString(Field.STAN);
        String time = request.getString(Field.TRANSMISSION_TIME);
        out.println(">> request " + mti + "  (refer to it with: --of-mti " + mti + " --of-stan " + stan + " --of-time " + time + ")");
        out.print(IsoMessages.describe(request));
    }

    private void printResponse(ISOMsg request, ISOMsg response) {
        out.println("<< response");
        out.print(IsoMessages.describe(response));
        warnOnMismatch(request, response, Field.STAN, "STAN");
        warnOnMismatch(request, response, Field.TERMINAL_ID, "terminal id");
        String code = response.getString(Field.RESPONSE_CODE);
        out.println(code == null ? "response without field 39" : "response " + ResponseCode.describe(code));
        out.flush();
    }

    private void warnOnMismatch(ISOMsg request, ISOMsg response, int fieldNo, String what) {
        String sent = request.getString(fieldNo);
        String got = response.getString(fieldNo);
        if (sent != null && got != null && !sent.equals(got)) {
            out.println("warning: response " + what + " " + got + " differs from the request's " + sent);
        }
    }
}
