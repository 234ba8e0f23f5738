// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import java.nio.file.Path;
import org.anonpay.db.Database;
import org.anonpay.db.DatabaseService;
import org.anonpay.issuer.CardIssuer;
import org.anonpay.issuer.CardProgramService;
import org.anonpay.issuer.CardPrograms;
import org.anonpay.issuer.CardSecurity;
import org.anonpay.issuer.CardVault;
import org.anonpay.ledger.Ledger;
import org.jpos.q2.QBeanSupport;
import org.jpos.util.NameRegistrar;

/**
 * Q2 service (deploy/40_issuer.xml) that puts the prepaid issuer together for the transaction
 * participants: the security module (CVV2, PIN), the card vault (PAN encryption and look-up hash),
 * the ledger and the card programs currently deployed.
 *
 * <pre>
 *   property keys-dir   development keys (default cfg/keys); production points at its own
 * </pre>
 */
public class IssuerService extends QBeanSupport {

    public static final String REGISTRY_NAME = "anonpay.issuer";

    private CardSecurity security;
    private CardVault vault;
    private Ledger ledger;
    private LedgerAccounts accounts;
    private CardIssuer issuer;

    @Override
    protected void startService() {
        Path keysDir = Path.of(cfg.get("keys-dir", "cfg/keys"));
        security = new CardSecurity(keysDir);
        vault = CardVault.load(keysDir, System.getenv());
        ledger = Ledger.cachingAccounts(); // one host, one database
        accounts = new LedgerAccounts(DatabaseService::get, ledger);
        issuer = new CardIssuer(CardProgramService::current, security, vault, ledger);
        NameRegistrar.register(REGISTRY_NAME, this);
    }

    @Override
    protected void stopService() {
        NameRegistrar.unregister(REGISTRY_NAME);
    }

    public static IssuerService get() {
        try {
            return NameRegistrar.get(REGISTRY_NAME);
        } catch (NameRegistrar.NotFoundException e) {
            throw new IllegalStateException("no issuer: is deploy/40_issuer.xml deployed?", e);
        }
    }

    /** The database deployed now: ops may redeploy deploy/20_database.xml while the host runs. */
    public Database database() { return DatabaseService.get(); }
    public Ledger ledger() { return ledger; }
    public LedgerAccounts accounts() { return accounts; }
    public CardVault vault() { return vault; }

    public CardPrograms programs() {
        return CardProgramService.current();
    }

    /** The issuer, always over the programs deployed now (ops may change cfg/programs). */
    public CardIssuer issuer() {
        return issuer;
    }
}
