// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.funding;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.anonpay.db.Database;
import org.anonpay.issuer.CardIssuer;
import org.anonpay.issuer.CardPrograms;
import org.anonpay.issuer.CardSecurity;
import org.anonpay.issuer.CardVault;
import org.anonpay.ledger.Ledger;
import org.anonpay.web.Router;
import org.anonpay.web.WebSettings;
import org.anonpay.web.auth.AuthApi;

/**
 * Funding sources and top-ups (patent step a7): the wallet's credit cards of other issuers and
 * bank accounts ({@link FundingSources}), and top-ups of a prepaid card from them ({@link Topups}),
 * whose money work and crash recovery is {@link TopupProcessor}'s. See modules/web/README.md.
 *
 * <p>Credit cards go to their issuer through the outbound MUX of deploy/66 (looked up when used:
 * without it, as in the web module's tests, issuers count as unavailable); loads go into the
 * host's authorization transaction manager (without one, a load is never answered and the top-up
 * waits FUNDED for the recovery).
 */
public final class FundingApi implements AutoCloseable {

    /** The recovery's first pass after start: the transaction manager and the link are deployed before the wallet web. */
    private static final Duration FIRST_RECOVERY_DELAY = Duration.ofSeconds(5);

    private final FundingSources sources;
    private final Topups topups;
    private final TopupProcessor processor;

    private FundingApi(FundingSources sources, Topups topups, TopupProcessor processor) {
        this.sources = sources;
        this.topups = topups;
        this.processor = processor;
    }

    public static FundingApi create(Database db, WebSettings settings, Supplier<CardPrograms> programs, AuthApi auth, Clock clock) {
        WebSettings.Funding funding = settings.funding();
        return create(db, settings, programs, auth, clock, bankTransfers(funding), TopupLoads.authorization(funding.loadTimeout()));
    }

    /** With another bank link and load door (tests). */
    static FundingApi create(Database db, WebSettings settings, Supplier<CardPrograms> programs, AuthApi auth, Clock clock,
                             BankTransfers bank, TopupLoads loads) {
        WebSettings.Funding funding = settings.funding();
        ExternalIssuers issuers = ExternalIssuers.load(funding.externalIssuerMux(), funding.externalIssuerLink());
        FundingCipher cipher = FundingCipher.load(settings.keysDir(), System.getenv());
        FundingSources sources = new FundingSources(db, programs, Banks.load(funding.banks()), cipher, issuers, clock);
        CardIssuer issuer = new CardIssuer(programs, new CardSecurity(settings.keysDir()), CardVault.load(settings.keysDir()), new Ledger());
        TopupStore store = new TopupStore(db, clock);
        // a worker keeps its row for a whole charge with its reversal, plus the load, with a minute to spare
        Duration lease = issuers.longestCharge().plus(funding.loadTimeout()).plusMinutes(1);
        TopupProcessor processor = new TopupProcessor(db, store, sources, issuer, issuers, bank, loads, lease);
        processor.startRecovery(FIRST_RECOVERY_DELAY, funding.recoveryInterval());
        return new FundingApi(sources, new Topups(db, issuer, sources, store, processor), processor);
    }

    private static BankTransfers bankTransfers(WebSettings.Funding funding) {
        return switch (funding.bankTransfers()) {
            case "simulator" -> new SimulatedBank();
            default -> throw new IllegalArgumentException("no bank link " + funding.bankTransfers());
        };
    }

    public void addRoutes(Router router) {
        sources.addRoutes(router);
        topups.addRoutes(router);
    }

    /** Stops the recovery thread. */
    @Override
    public void close() {
        processor.close();
    }
}
