// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import java.nio.file.Path;
import org.anonpay.db.DatabaseService;
import org.anonpay.issuer.CardProgramService;
import org.anonpay.issuer.CardPrograms;
import org.jpos.util.NameRegistrar;
import org.jpos.q2.QBeanSupport;

/**
 * Q2 service (deploy/70_wallet_web.xml) that runs the {@link WalletWebServer} on the database of
 * deploy/20_database.xml.
 *
 * <pre>
 *   property port       TCP port (default 8080)
 *   property bind       address to listen on (default 127.0.0.1: a TLS proxy sits in front)
 *   property settings   settings file (default cfg/web/wallet-web.properties)
 * </pre>
 */
public class WalletWebService extends QBeanSupport {

    private volatile WalletWebServer server;

    @Override
    protected void startService() throws Exception {
        WebSettings settings = WebSettings.load(Path.of(cfg.get("settings", "cfg/web/wallet-web.properties")), Path.of(""));
        server = new WalletWebServer(DatabaseService.get(), settings, cfg.get("bind", "127.0.0.1"), cfg.getInt("port", 8080),
                java.time.Clock.system(org.anonpay.web.member.MemberApi.KOREA), programsInForce()).start();
        getLog().info("wallet web listening on " + cfg.get("bind", "127.0.0.1") + ":" + server.port());
    }

    /** The CardProgramService's programs when it runs in this Q2 (they follow its reloads), else null: the files. */
    private static java.util.function.Supplier<CardPrograms> programsInForce() {
        Object service = NameRegistrar.getIfExists(CardProgramService.REGISTRY_NAME);
        return service != null ? CardProgramService::current : null;
    }

    /** The port listened on (useful with port 0). */
    public int port() {
        WalletWebServer running = server;
        if (running == null) throw new IllegalStateException("wallet web not running");
        return running.port();
    }

    @Override
    protected void stopService() {
        if (server == null) return;
        server.close();
        server = null;
    }
}
