// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.api;

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
import org.anonpay.gateway.purchase.Purchases;
import org.anonpay.gateway.signing.SignatureCheck;
import org.jpos.q2.QBeanSupport;

/**
 * Q2 service (deploy/75_mall_api.xml): the partner malls' HTTP-to-8583 adapter, and its
 * housekeeping every {@code housekeeping-seconds}: payments whose answer was lost are finished
 * (journal or repeat), wallet purchases past their time are expired.
 *
 * <pre>
 *   property port, bind            where it listens (default 8090, 127.0.0.1: a TLS proxy sits in front)
 *   property keys-dir              cfg/keys (dev-gateway.properties: the sealing key of mall secrets)
 *   property acquirer-id           field 32 of its messages (default 900100)
 *   property terminal-id           field 41 (default MALLAPI1; one per host)
 *   property answer-timeout-ms     how long a request waits for the transaction manager (default 20000)
 *   property signature-tolerance-seconds   accepted clock difference of signed requests (default 300)
 *   property housekeeping-seconds  (default 30)
 *   property worker-threads        (default 16)
 * </pre>
 */
public class MallApiService extends QBeanSupport {

    private volatile MallApiServer server;
    private ScheduledExecutorService housekeeping;

    @Override
    protected void startService() throws Exception {
        Database db = DatabaseService.get();
        Malls malls = Malls.load(Path.of(cfg.get("keys-dir", "cfg/keys")));
        Duration timeout = Duration.ofMillis(cfg.getLong("answer-timeout-ms", 20_000));
        PaymentService payments = new PaymentService(db, TransactionDoor.authorization()::submit,
                new PaymentService.Settings(cfg.get("acquirer-id", "900100"), cfg.get("terminal-id", "MALLAPI1"), timeout), Clock.systemUTC());
        MallApi api = new MallApi(db, malls, new SignatureCheck(malls, Duration.ofSeconds(cfg.getLong("signature-tolerance-seconds", 300))),
                payments, Clock.systemUTC());
        server = new MallApiServer(api, cfg.get("bind", "127.0.0.1"), cfg.getInt("port", 8090), cfg.getInt("worker-threads", 16)).start();
        getLog().info("mall API listening on " + cfg.get("bind", "127.0.0.1") + ":" + server.port());
        startHousekeeping(db, malls, payments, timeout);
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
                payments.recoverPending(byId, Instant.now().minus(timeout.multipliedBy(2)));
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
        if (server != null) server.close();
        server = null;
    }
}
