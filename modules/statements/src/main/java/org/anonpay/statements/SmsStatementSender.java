// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.statements;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;

/**
 * The statement by SMS: SMPP 3.4 through jsmpp, bound as a transmitter, one submit_sm per
 * statement: a short summary and the wallet's address in one SMS (UCS-2 within 70 characters for
 * Korean, else GSM 7-bit within 160). The session is opened on the first send and kept for the run;
 * a broken session is replaced on the next send.
 */
public final class SmsStatementSender implements StatementSender {

    private final StatementSettings settings;
    private final StatementFormatter formatter;
    private SMPPSession session;

    public SmsStatementSender(StatementSettings settings) {
        this.settings = settings;
        this.formatter = new StatementFormatter(settings.walletUrl());
    }

    private SMPPSession session() throws IOException {
        if (session != null && session.getSessionState().isBound()) return session;
        if (session != null) session.unbindAndClose();
        SMPPSession s = new SMPPSession();
        s.setTransactionTimer(settings.sendTimeout().toMillis());
        s.connectAndBind(settings.smppHost(), settings.smppPort(), new BindParameter(BindType.BIND_TX, settings.smppSystemId(),
                settings.smppPassword(), "anonpay", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null),
                settings.sendTimeout().toMillis());
        session = s;
        return s;
    }

    /** The MSISDN from the member's 01X-XXXX-XXXX: digits only. */
    static String destination(String mobile) {
        return mobile.replaceAll("[^0-9]", "");
    }

    @Override
    public synchronized String send(Statement s) throws Exception {
        String text = formatter.sms(s);
        boolean gsm = StatementFormatter.isGsm7(text);
        byte[] body;
        GeneralDataCoding coding;
        if (gsm) {
            if (text.length() > StatementFormatter.SMS_GSM7_MAX) throw new IllegalStateException("SMS too long: " + text.length());
            // sent as the SMSC default alphabet; the text uses only characters that GSM 03.38 and ASCII share
            body = text.getBytes(StandardCharsets.US_ASCII);
            coding = new GeneralDataCoding(Alphabet.ALPHA_DEFAULT);
        } else {
            if (text.length() > StatementFormatter.SMS_UCS2_MAX) throw new IllegalStateException("SMS too long: " + text.length());
            body = text.getBytes(StandardCharsets.UTF_16BE);
            coding = new GeneralDataCoding(Alphabet.ALPHA_UCS2);
        }
        try {
            return session().submitShortMessage("", TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN, settings.smsSource(),
                    TypeOfNumber.NATIONAL, NumberingPlanIndicator.ISDN, destination(s.mobile()), new ESMClass(), (byte) 0, (byte) 1,
                    null, null, new RegisteredDelivery(SMSCDeliveryReceipt.DEFAULT), (byte) 0, coding, (byte) 0, body)
                    .getMessageId();
        } catch (Exception e) {
            if (session != null) {
                session.unbindAndClose();
                session = null;
            }
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (session != null) {
            if (session.getSessionState() != SessionState.CLOSED) session.unbindAndClose();
            session = null;
        }
    }
}
