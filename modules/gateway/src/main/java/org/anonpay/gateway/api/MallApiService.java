// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.anonpay.authz.TransactionDoor;
import org.anonpay.db.Database;
import org.anonpay.db.DatabaseService;
import org.anonpay.gateway.mall.Mall;
import org.anonpay.gateway.mall.Malls;
import org.anonpay.gateway.payment.PaymentService;
import org.anonpay.gateway.payment.WebhookDelivery;
import org.anonpay.gateway.purchase.Purchases;
import org.anonpay.gateway.signing.SignatureCheck;
import org.anonpay.iso.PinBlocks;
import org.jpos.q2.QBeanSupport;

/**
 * Q2 service (deploy/75_mall_api.xml): the partner malls' HTTP-to-8583 adapter, and its
 * housekeeping every {@code housekeeping-seconds}: payments and follow-ups (capture, cancel,
 * refund) whose answer was lost are finished (journal, repeat, or for a card payment a reversal),
 * wallet purchases past their time are expired. Webhook events are delivered by a task of their
 * own every {@code webhook-seconds}, so a slow mall never delays recovery.
 *
 * <pre>
 *   property port, bind            where it listens (default 8090, 127.0.0.1: a TLS proxy sits in front)
 *   property keys-dir              cfg/keys (dev-gateway.properties: the sealing key of mall secrets)
 *   property acquirer-id           field 32 of its messages (default 900100)
 *   property terminal-id           field 41 (default MALLAPI1; one per host)
 *   property answer-timeout-ms     how long a request waits for the transaction manager (default 20000)
 *   property signature-tolerance-seconds   accepted clock difference of signed requests (default 300)
 *   property housekeeping-seconds  (default 30)
 *   property webhook-seconds       how often due webhook events are sent (default 5)
 *   property allow-internal-webhooks  true lets webhook URLs name loopback/private addresses (DEVELOPMENT only; default false)
 *   property zpk-file              the zone PIN key (clear, hex) card payments' PIN blocks are formed under
 *                                  (default cfg/keys/dev-zpk.hex; absent file: card payments refused)
 *   property worker-threads        (default 16)
 * </pre>
 */
public class MallApiService extends QBeanSupport {

    private volatile MallApiServer server;
    private ScheduledExecutorService housekeeping;
    private ScheduledExecutorService webhooks;

    @Override
    protected void startService() throws Exception {
        Database db = DatabaseService.get();
        Malls malls = Malls.load(Path.of(cfg.get("keys-dir", "cfg/keys")));
        Duration timeout = Duration.ofMillis(cfg.getLong("answer-timeout-ms", 20_000));
        PaymentService payments = new PaymentService(db, TransactionDoor.authorization()::submit,
                new PaymentService.Settings(cfg.get("acquirer-id", "900100"), cfg.get("terminal-id", "MALLAPI1"), timeout, zpk()), Clock.systemUTC());
        MallApi api = new MallApi(db, malls, new SignatureCheck(malls, Duration.ofSeconds(cfg.getLong("signature-tolerance-seconds", 300))),
                payments, Clock.systemUTC());
        server = new MallApiServer(api, cfg.get("bind", "127.0.0.1"), cfg.getInt("port", 8090), cfg.getInt("worker-threads", 16)).start();
        getLog().info("mall API listening on " + cfg.get("bind", "127.0.0.1") + ":" + server.port());
        startHousekeeping(db, malls, payments, timeout);
        WebhookDelivery.Settings webhookSettings = WebhookDelivery.Settings.defaults(cfg.getBoolean("allow-internal-webhooks", false));
        startWebhooks(new WebhookDelivery(db, malls, webhookSettings, Clock.systemUTC()), webhookSettings.batchSize());
    }

    /** The ZPK card payments' PIN blocks are formed under; null (card payments refused) when the file is absent. */
    private String zpk() throws java.io.IOException {
        Path file = Path.of(cfg.get("zpk-file", PinBlocks.DEV_ZPK_FILE));
        if (!Files.isRegularFile(file)) {
            getLog().warn("no ZPK at " + file + ": card payments are refused");
            return null;
        }
        return PinBlocks.zpkHex(file);
    }

    private void startWebhooks(WebhookDelivery delivery, int batchSize) {
        if (cfg.getBoolean("allow-internal-webhooks", false)) getLog().warn("allow-internal-webhooks is on: DEVELOPMENT only");
        long every = cfg.getLong("webhook-seconds", 5);
        webhooks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mall-api-webhooks");
            t.setDaemon(true);
            return t;
        });
        webhooks.scheduleWithFixedDelay(() -> {
            try {
                // a full batch: more may be due at once
                while (delivery.deliverDue() >= batchSize) { }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                getLog().warn("webhook delivery failed: " + e);
            }
        }, every, every, TimeUnit.SECONDS);
    }

    private void startHousekeeping(Database db, Malls malls, PaymentService payments, Duration timeout) {
        long every = cfg.getLong("housekeeping-seconds", 30);
        Purchases purchases = new Purchases(Duration.ofMinutes(15));
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mall-api-housekeeping");
            t.setDaemon(true);
            return t;
        });
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                Map<String, Mall> byId = db.inJdbcTransaction(malls::list).stream().collect(Collectors.toMap(Mall::mallId, Function.identity()));
                Instant cutoff = Instant.now().minus(timeout.multipliedBy(2));
                payments.recoverPending(byId, cutoff);
                payments.recoverPendingOps(byId, cutoff);
                int expired = db.inJdbcTransaction(c -> purchases.expireDue(c, Instant.now(), 1000));
                if (expired > 0) getLog().info("expired " + expired + " unpaid wallet purchase(s)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                getLog().warn("mall API housekeeping failed: " + e);
            }
        }, every, every, TimeUnit.SECONDS);
    }

    /** The port listened on (useful with port 0). */
    public int port() {
        MallApiServer running = server;
        if (running == null) throw new IllegalStateException("mall API not running");
        return running.port();
    }

    @Override
    protected void stopService() {
        if (housekeeping != null) housekeeping.shutdownNow();
        housekeeping = null;
        if (webhooks != null) webhooks.shutdownNow();
        webhooks = null;
        if (server != null) server.close();
        server = null;
    }
}
