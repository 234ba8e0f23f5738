// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.payment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.anonpay.authz.IssuerService;
import org.anonpay.authz.TransactionDoor;
import org.anonpay.db.DatabaseService;
import org.anonpay.db.DatabaseSettings;
import org.anonpay.db.TestMariaDb;
import org.anonpay.issuer.Card;
import org.anonpay.issuer.IssueRequest;
import org.anonpay.issuer.IssueResult;
import org.anonpay.iso.MessageFactory;
import org.anonpay.iso.Terminal;
import org.jpos.iso.ISOMsg;
import org.jpos.q2.Q2;
import org.jpos.util.NameRegistrar;

/**
 * The repository's own deploy files for the database, card programs, issuer and the authorization
 * transaction manager (20, 30, 40, 50), run in an in-process Q2 on a fresh MariaDB: the transaction
 * manager the mall API talks to, without sockets in between.
 */
final class InProcessHost implements AutoCloseable {

    static final Path ROOT = root();
    private final Q2 q2;
    private int loads;

    private InProcessHost(Q2 q2) {
        this.q2 = q2;
    }

    static InProcessHost start(Path dir) throws Exception {
        DatabaseSettings db = TestMariaDb.freshSettings("gateway_tm", 8);
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Path dbProperties = dir.resolve("db.properties");
        Files.writeString(dbProperties, "db.url=" + db.jdbcUrl() + "\ndb.user=" + db.user() + "\ndb.password=" + db.password() + "\ndb.pool.size=8\n");
        copy("20_database.xml", deploy, "cfg/db.properties", dbProperties.toString());
        copy("30_card_programs.xml", deploy, "cfg/programs", ROOT.resolve("cfg/programs").toString());
        copy("40_issuer.xml", deploy, "cfg/keys", ROOT.resolve("cfg/keys").toString());
        copy("50_authorization_txnmgr.xml", deploy, null, null);
        Q2 q2 = new Q2(deploy.toString());
        q2.start();
        awaitRegistered(IssuerService.REGISTRY_NAME);
        awaitRegistered(DatabaseService.REGISTRY_NAME);
        return new InProcessHost(q2);
    }

    private static void copy(String file, Path deploy, String from, String to) throws IOException {
        String xml = Files.readString(ROOT.resolve("deploy").resolve(file));
        if (from != null) {
            if (!xml.contains(from)) throw new IllegalStateException(file + " no longer names " + from);
            xml = xml.replace(from, to);
        }
        Files.writeString(deploy.resolve(file), xml);
    }

    private static void awaitRegistered(String name) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (NameRegistrar.getIfExists(name) == null) {
            if (Instant.now().isAfter(deadline)) throw new IllegalStateException(name + " not deployed");
            Thread.sleep(50);
        }
    }

    /** PIN of every card issued here. */
    static final String PIN = "1234";

    /** A card with what its holder was shown once: number, expiry (YYMM) and CVV2, for card (auto-fill) payments. */
    record IssuedCard(Card card, String pan, String expiry, String cvv2) {}

    /** A funded KRW card of the member, issued through the issuer and loaded through the transaction manager. */
    Card fundedCard(long funding) throws Exception {
        return fundedCardWithData(funding).card();
    }

    IssuedCard fundedCardWithData(long funding) throws Exception {
        IssuerService issuer = IssuerService.get();
        IssueResult issued = issuer.database().inTransaction(s -> issuer.issuer().issue(s, IssueRequest.of("KRW-PREPAID", "mall test", PIN.toCharArray(), "7")));
        Card card = issuer.database().inTransaction(s -> issuer.issuer().findById(s, issued.cardId()).orElseThrow());
        String pan = issuer.issuer().revealPan(card);
        Terminal desk = new Terminal("100009", "LOADDESK", "LOADDESK", "GATEWAY TEST FUNDING", "6012", "410", Terminal.DEFAULT_ZONE, false);
        ISOMsg load = new MessageFactory(desk, new org.anonpay.iso.StanCounter(++loads), java.time.Clock.systemUTC())
                .load(org.anonpay.iso.Card.ofPan(pan).withExpiry(card.expiryYymm()), funding);
        ISOMsg answer = TransactionDoor.authorization().submit(load, Duration.ofSeconds(30)).orElseThrow();
        if (!"00".equals(answer.getString(39))) throw new IllegalStateException("load refused: " + answer.getString(39));
        return new IssuedCard(card, pan, card.expiryYymm(), issued.cvv2());
    }

    /** The development ZPK the issuer's security module shares (cfg/keys/dev-zpk.hex). */
    static String devZpk() throws IOException {
        return org.anonpay.iso.PinBlocks.devZpkHex(ROOT);
    }

    long available(Card card) {
        IssuerService issuer = IssuerService.get();
        return issuer.database().inJdbcTransaction(c -> issuer.ledger().balance(c, card.ledgerAccountId())).available();
    }

    @Override
    public void close() {
        q2.shutdown(true);
    }

    private static Path root() {
        Path dir = Path.of(System.getProperty("anonpay.root", "../..")).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir.resolve("deploy"))) throw new IllegalStateException("no deploy/ under " + dir);
        return dir;
    }
}
