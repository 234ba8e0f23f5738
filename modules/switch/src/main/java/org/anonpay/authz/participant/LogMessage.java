// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz.participant;

import java.io.Serializable;
import java.util.Currency;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.anonpay.authz.Ctx;
import org.anonpay.authz.Decline;
import org.anonpay.authz.SensitivePan;
import org.jpos.iso.ISOMsg;
import org.jpos.transaction.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's one line per message: MTI, type, masked card, amount and currency, response code
 * and reason, time taken. Nothing else of the message is logged, so no card data can leak here.
 */
public final class LogMessage extends AfterDecision {

    private static final Logger LOG = LoggerFactory.getLogger("anonpay.authorization");
    /** What a field may show in the log: printable ASCII; anything else (a malformed message's bytes) becomes '?'. */
    private static final Pattern UNPRINTABLE = Pattern.compile("[^\\x20-\\x7e]");

    @Override
    public void commit(long id, Serializable serializable) {
        log((Context) serializable);
    }

    @Override
    public void abort(long id, Serializable serializable) {
        log((Context) serializable);
    }

    private static void log(Context ctx) {
        ISOMsg request = ctx.get(Ctx.REQUEST);
        ISOMsg response = ctx.get(Ctx.RESPONSE);
        Decline decline = ctx.get(Ctx.DECLINE);
        SensitivePan pan = ctx.get(Ctx.PAN);
        org.anonpay.issuer.Card card = ctx.get(Ctx.CARD);
        String masked = pan != null ? pan.masked() : card != null ? card.maskedPan() : "-";
        Currency currency = ctx.get(Ctx.CURRENCY);
        long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - ctx.<Long>get(Ctx.RECEIVED_NANOS));
        LOG.info("{} {} card={} amount={} {} rc={}{}{} stan={} tid={} took={}.{}ms",
                safe(request, 0), ctx.get(Ctx.TYPE, "-"), masked,
                ctx.hasKey(Ctx.AMOUNT) ? ctx.<Long>get(Ctx.AMOUNT) : "-", currency == null ? "" : currency.getCurrencyCode(),
                response == null ? "--(closed)" : safe(response, 39),
                decline == null ? "" : " " + decline, ctx.hasKey(Ctx.REPLAY_OF) ? " repeat" : "",
                safe(request, 11), safe(request, 41), micros / 1000, thousandths(micros % 1000));
    }

    /** 0–999 as three digits ("007"): String.format parses its pattern on every message. */
    private static String thousandths(long n) {
        assert n >= 0 && n < 1000 : n;
        return n >= 100 ? Long.toString(n) : n >= 10 ? "0" + n : "00" + n;
    }

    private static String safe(ISOMsg m, int field) {
        String v = m == null ? null : m.getString(field);
        return v == null ? "-" : UNPRINTABLE.matcher(v).replaceAll("?");
    }
}
