// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.statements;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.MessageId;

/** A real SMPP server in the test (jsmpp's server session): accepts binds and keeps every submit_sm. */
final class Smsc implements AutoCloseable {

    record Sms(String systemId, String destination, String source, byte dataCoding, String text) {}

    final List<Sms> received = new CopyOnWriteArrayList<>();
    private final SMPPServerSessionListener listener;
    private final int port;
    private final Thread acceptor;
    private final AtomicInteger ids = new AtomicInteger();
    private final List<SMPPServerSession> sessions = new CopyOnWriteArrayList<>();

    Smsc(String systemId, String password) throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        listener = new SMPPServerSessionListener(port);
        acceptor = new Thread(() -> {
            while (true) {
                SMPPServerSession session;
                try {
                    session = listener.accept();
                } catch (IOException e) {
                    return;   // closed
                }
                sessions.add(session);
                session.setMessageReceiverListener(new Receiver(systemId));
                try {
                    BindRequest bind = session.waitForBind(5_000);
                    if (systemId.equals(bind.getSystemId()) && password.equals(bind.getPassword())) {
                        bind.accept("smsc");
                    } else {
                        bind.reject(0x0E);   // ESME_RINVPASWD
                    }
                } catch (Exception e) {
                    session.unbindAndClose();
                }
            }
        }, "test-smsc");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sessions.forEach(SMPPServerSession::unbindAndClose);
    }

    private final class Receiver implements ServerMessageReceiverListener {
        private final String systemId;

        Receiver(String systemId) {
            this.systemId = systemId;
        }

        @Override
        public SubmitSmResult onAcceptSubmitSm(SubmitSm sm, SMPPServerSession source) throws ProcessRequestException {
            byte coding = sm.getDataCoding();
            boolean ucs2 = DataCodings.newInstance(coding) instanceof org.jsmpp.bean.GeneralDataCoding g && g.getAlphabet() == Alphabet.ALPHA_UCS2;
            String text = new String(sm.getShortMessage(), ucs2 ? StandardCharsets.UTF_16BE : StandardCharsets.US_ASCII);
            received.add(new Sms(systemId, sm.getDestAddress(), sm.getSourceAddr(), coding, text));
            try {
                return new SubmitSmResult(new MessageId(Integer.toHexString(ids.incrementAndGet())), new OptionalParameter[0]);
            } catch (Exception e) {
                throw new ProcessRequestException("message id", 0x08);
            }
        }

        @Override public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti m, SMPPServerSession s) throws ProcessRequestException { throw new ProcessRequestException("no", 0x03); }
        @Override public QuerySmResult onAcceptQuerySm(QuerySm m, SMPPServerSession s) throws ProcessRequestException { throw new ProcessRequestException("no", 0x03); }
        @Override public void onAcceptReplaceSm(ReplaceSm m, SMPPServerSession s) throws ProcessRequestException { throw new ProcessRequestException("no", 0x03); }
        @Override public void onAcceptCancelSm(CancelSm m, SMPPServerSession s) throws ProcessRequestException { throw new ProcessRequestException("no", 0x03); }
        @Override public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm m, SMPPServerSession s) throws ProcessRequestException { throw new ProcessRequestException("no", 0x03); }
        @Override public void onAcceptCancelBroadcastSm(CancelBroadcastSm m, SMPPServerSession s) throws ProcessRequestException { throw new ProcessRequestException("no", 0x03); }
        @Override public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm m, SMPPServerSession s) throws ProcessRequestException { throw new ProcessRequestException("no", 0x03); }
        @Override public DataSmResult onAcceptDataSm(DataSm m, Session s) throws ProcessRequestException { throw new ProcessRequestException("no", 0x03); }
    }
}
