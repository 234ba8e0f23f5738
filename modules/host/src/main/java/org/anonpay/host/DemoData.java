// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.host;

import java.time.YearMonth;
import java.util.List;
import org.anonpay.authz.IssuerService;
import org.anonpay.issuer.Card;
import org.anonpay.issuer.CardIssuer;
import org.anonpay.issuer.IssueRequest;
import org.anonpay.issuer.IssueResult;
import org.anonpay.ledger.AccountKind;
import org.anonpay.ledger.Transfer;
import org.anonpay.ledger.TransferCode;
import org.anonpay.ledger.TransferId;
import org.anonpay.ledger.TransferResult;
import org.jpos.q2.QBeanSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEMO ONLY (deploy/90_demo_data.xml): makes sure the published demo cards of the README exist
 * and were funded once. Their numbers are public test data: they are in the README, never in
 * the log. Idempotent: a restart finds the cards and the funding transfer already there.
 */
public class DemoData extends QBeanSupport {

    private static final Logger LOG = LoggerFactory.getLogger("anonpay.demo");

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

    /** One load per demo card, ever: the transfer id is fixed, so a restart moves nothing. */
    private static void fund(IssuerService service, DemoCard demo, Card card) {
        String currency = service.programs().byId(demo.programId()).orElseThrow().currencyCode();
        long funding = service.accounts().operator(AccountKind.FUNDING_CLEARING, currency);
        TransferId id = TransferId.derive("demo-load", demo.programId(), String.valueOf(card.id()));
        Transfer load = Transfer.singlePhase(id, funding, card.ledgerAccountId(), demo.fundingMinor(), TransferCode.LOAD, "demo funding");
        List<TransferResult> results = service.database().inJdbcTransaction(c -> service.ledger().createTransfers(c, List.of(load)));
        if (!results.getFirst().ok()) throw new IllegalStateException("demo funding refused: " + results.getFirst());
    }
}
