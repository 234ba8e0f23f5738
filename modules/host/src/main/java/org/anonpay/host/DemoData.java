// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.host;

import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import org.anonpay.authz.IssuerService;
import org.anonpay.authz.TransactionDoor;
import org.anonpay.issuer.Card;
import org.anonpay.issuer.CardIssuer;
import org.anonpay.issuer.IssueRequest;
import org.anonpay.issuer.IssueResult;
import org.anonpay.issuer.CardProgram;
import org.anonpay.iso.MessageFactory;
import org.anonpay.iso.Terminal;
import org.jpos.iso.ISOMsg;
import org.jpos.q2.QBeanSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEMO ONLY (deploy/90_demo_data.xml): makes sure the published demo cards of the README exist
 * and were funded once, by a load through the authorization transaction manager. Their numbers are public test data: they are in the README, never in
 * the log. Idempotent: a restart finds the cards and the funding transfer already there.
 */
public class DemoData extends QBeanSupport {

    private static final Logger LOG = LoggerFactory.getLogger("anonpay.demo");
    private static final String DEMO_ACQUIRER = "999999";
    private static final String DEMO_TERMINAL = "DEMOLOAD";
    private static final String DEMO_TRANSMISSION_TIME = "0101000000";

    /** A published demo card: PAN, expiry, PIN and funding are in README.md. */
    public record DemoCard(String programId, String name, String pan, YearMonth expiry, String pin, long fundingMinor) {}

    public static final List<DemoCard> CARDS = List.of(
            new DemoCard("KRW-PREPAID", "DEMO KRW", "9410000000000013", YearMonth.of(2030, 12), "1234", 1_000_000L),
            new DemoCard("USD-PREPAID", "DEMO USD", "9420000000000011", YearMonth.of(2030, 12), "1234", 50_000L));

    @Override
    protected void startService() {
        IssuerService issuer = IssuerService.get();
        for (DemoCard demo : CARDS) {
            Card card = ensureIssued(issuer, demo);
            fund(issuer, demo, card);
            LOG.info("demo card {} {} exp {} ready, funded {} minor units (test data in README.md)",
                    demo.programId(), card.maskedPan(), demo.expiry(), demo.fundingMinor());
        }
    }

    private static Card ensureIssued(IssuerService service, DemoCard demo) {
        CardIssuer issuer = service.issuer();
        return service.database().inTransaction(session -> issuer.findByPan(session, demo.pan()).orElseGet(() -> {
            IssueRequest request = IssueRequest.of(demo.programId(), demo.name(), demo.pin().toCharArray(), null)
                    .withRequestedCard(demo.pan(), demo.expiry());
            IssueResult result = issuer.issue(session, request);
            if (!result.issued()) throw new IllegalStateException("demo card not issued: " + result.status());
            return issuer.findById(session, result.cardId()).orElseThrow();
        }));
    }

    /**
     * One load per demo card, ever, and as every load: a 0200 load (processing code 21) through
     * the authorization transaction manager. Its message key is fixed, so after a restart the
     * load is a repeat: the journal answers it again and no money moves.
     */
    private static void fund(IssuerService service, DemoData.DemoCard demo, Card card) {
        CardProgram program = service.programs().byId(demo.programId()).orElseThrow();
        Terminal desk = new Terminal(DEMO_ACQUIRER, DEMO_TERMINAL, "DEMO-FUNDING", "ANONPAY DEMO FUNDING", "6012",
                program.currencyNumeric(), Terminal.DEFAULT_ZONE, false);
        ISOMsg load = new MessageFactory(desk).load(org.anonpay.iso.Card.ofPan(demo.pan()).withExpiry(card.expiryYymm()), demo.fundingMinor());
        load.set(11, String.format("%06d", card.id()));
        load.set(7, DEMO_TRANSMISSION_TIME);
        ISOMsg answer;
        try {
            answer = TransactionDoor.authorization().submit(load, Duration.ofSeconds(60)).orElseThrow(
                    () -> new IllegalStateException("demo funding: no answer from the transaction manager"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (!"00".equals(answer.getString(39))) throw new IllegalStateException("demo funding refused: " + answer.getString(39));
    }
}
