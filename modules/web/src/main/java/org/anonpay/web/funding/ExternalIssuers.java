// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.funding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.anonpay.extissuer.ExternalIssuerClient;
import org.anonpay.extissuer.ExternalIssuerSettings;
import org.jpos.iso.MUX;
import org.jpos.util.NameRegistrar;

/**
 * The {@link ExternalIssuerClient} over the QMUX of deploy/66, looked up at each use: the link is
 * deployed on its own (and may be redeployed, giving a new MUX), and a wallet web without it (the
 * web module's tests) answers every verification and charge "issuer unavailable".
 */
final class ExternalIssuers {

    private final String muxName;
    private final ExternalIssuerSettings settings;
    private MUX currentMux;
    private ExternalIssuerClient currentClient;

    ExternalIssuers(String muxName, ExternalIssuerSettings settings) {
        this.muxName = muxName;
        this.settings = settings;
    }

    /** The link's settings file, or the defaults when it is absent (a wallet web without the link). */
    static ExternalIssuers load(String muxName, Path linkSettings) {
        try {
            return new ExternalIssuers(muxName, Files.exists(linkSettings) ? ExternalIssuerSettings.load(linkSettings) : ExternalIssuerSettings.defaults());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + linkSettings, e);
        }
    }

    /** Empty when no MUX of that name is deployed. */
    synchronized Optional<ExternalIssuerClient> client() {
        Object found = NameRegistrar.getIfExists("mux." + muxName);
        if (!(found instanceof MUX mux)) return Optional.empty();
        if (mux != currentMux) {
            currentMux = mux;
            currentClient = new ExternalIssuerClient(mux, settings);
        }
        return Optional.of(currentClient);
    }

    /** How long one top-up may hold its row: the charge, a full reversal, with room to spare. */
    java.time.Duration longestCharge() {
        return settings.requestTimeout().plus(settings.reversalGiveUpAfter()).plus(settings.reversalAttemptTimeout());
    }
}
