// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.extissuer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.anonpay.iso.IsoMessages;
import org.jpos.core.Configurable;
import org.jpos.core.Configuration;
import org.jpos.core.ConfigurationException;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISORequestListener;
import org.jpos.iso.ISOSource;
import org.jpos.util.NameRegistrar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEVELOPMENT AND TESTS ONLY: a request listener for a jPOS {@code QServer} that plays another card
 * issuer (deploy/65_external_issuer_simulator.xml). The rules are in {@link SimulatedIssuer} and
 * modules/extissuer/README.md.
 *
 * <p>Properties: {@code cards} (the card list, default {@value #DEFAULT_CARDS}),
 * {@code slow-amount-delay-ms} (how late amounts ending in 999 are answered, default
 * {@value #DEFAULT_SLOW_AMOUNT_DELAY_MS}) and {@code name} (under which {@link #named} finds it, default
 * {@value #DEFAULT_NAME}).
 *
 * <p>Late answers are sent from a scheduler, not by sleeping: QServer hands a connection's messages to
 * the listener one after another, so a sleeping listener would also hold back the reversal that the
 * late answer is meant to provoke.
 */
public class ExternalIssuerSimulator implements ISORequestListener, Configurable {
    public static final String DEFAULT_CARDS = "cfg/extissuer/cards.properties";
    public static final String DEFAULT_NAME = "external-issuer-simulator";
    public static final long DEFAULT_SLOW_AMOUNT_DELAY_MS = 3_000;
    private static final String REGISTRY_PREFIX = "extissuer-simulator.";
    private static final Logger LOG = LoggerFactory.getLogger("anonpay.extissuer.simulator");

    private final ScheduledExecutorService lateAnswers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "extissuer-simulator-late-answers");
        t.setDaemon(true); // a simulator left behind by a test must not keep the JVM alive
        return t;
    });
    private volatile SimulatedIssuer issuer;

    @Override
    public void setConfiguration(Configuration cfg) throws ConfigurationException {
        Path cardsFile = Path.of(cfg.get("cards", DEFAULT_CARDS));
        try {
            issuer = new SimulatedIssuer(SimulatedCards.load(cardsFile),
                    cfg.getLong("slow-amount-delay-ms", DEFAULT_SLOW_AMOUNT_DELAY_MS));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException("external-issuer simulator: card list " + cardsFile + " unusable: " + e.getMessage(), e);
        }
        NameRegistrar.register(REGISTRY_PREFIX + cfg.get("name", DEFAULT_NAME), this);
    }

    /** The simulator deployed under {@code name}: tests read its state through it. */
    public static ExternalIssuerSimulator named(String name) throws NameRegistrar.NotFoundException {
        return NameRegistrar.get(REGISTRY_PREFIX + name);
    }

    public SimulatedIssuer issuer() {
        assert issuer != null : "configured by QServer before the first message";
        return issuer;
    }

    @Override
    public boolean process(ISOSource source, ISOMsg request) {
        SimulatedIssuer.Answer answer = issuer().answer(request);
        if (answer.response().isEmpty()) {
            LOG.info("simulator ignores (no answer): {}", IsoMessages.describe(request));
            return true;
        }
        ISOMsg response = answer.response().get();
        if (answer.delayMs() == 0) {
            send(source, response);
        } else {
            lateAnswers.schedule(() -> send(source, response), answer.delayMs(), TimeUnit.MILLISECONDS);
        }
        return true;
    }

    private static void send(ISOSource source, ISOMsg response) {
        try {
            if (source.isConnected()) {
                source.send(response);
            }
        } catch (IOException | ISOException e) {
            // the caller went away; it will time out and reverse, which is what a real issuer sees too
            LOG.warn("simulator could not answer: {}", e.toString());
        }
    }
}
