// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import java.nio.file.Path;
import org.anonpay.ledger.Ledger;
import org.jpos.q2.QBeanSupport;
import org.jpos.util.NameRegistrar;

/**
 * Q2 service that loads the card keys (security module LMK, CVK, PVK, ZPK; vault keys) and
 * registers a {@link CardIssuer} under {@value #REGISTRY_NAME} for the switch's participants.
 * The issuer always uses the card programs in force ({@link CardProgramService}, deployed before
 * this one). Bad or missing keys fail the start: the host must not run without them.
 *
 * <pre>
 *   property keys-dir   folder of dev-keys.properties, the LMK file, the ZPK file and
 *                       dev-vault.properties (default cfg/keys); ANONPAY_VAULT_PAN_KEY and
 *                       ANONPAY_VAULT_LOOKUP_KEY override the vault keys
 * </pre>
 */
public class CardIssuerService extends QBeanSupport {

    public static final String REGISTRY_NAME = "anonpay.card-issuer";

    @Override
    protected void startService() {
        Path keysDir = Path.of(cfg.get("keys-dir", "cfg/keys"));
        CardSecurity security = new CardSecurity(keysDir);
        CardVault vault = CardVault.load(keysDir);
        NameRegistrar.register(REGISTRY_NAME, new CardIssuer(CardProgramService::current, security, vault, new Ledger()));
        getLog().info("card issuer ready: " + security + ", " + vault);
    }

    @Override
    protected void stopService() {
        NameRegistrar.unregister(REGISTRY_NAME);
    }

    /** The running card issuer, for participants configured in the same Q2. */
    public static CardIssuer get() {
        try {
            return NameRegistrar.get(REGISTRY_NAME);
        } catch (NameRegistrar.NotFoundException e) {
            throw new IllegalStateException("no card issuer: is the CardIssuerService deployed?", e);
        }
    }
}
