// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.demomall;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.anonpay.db.Database;
import org.anonpay.db.DatabaseService;
import org.anonpay.gateway.mall.Mall;
import org.anonpay.gateway.mall.Malls;
import org.anonpay.iso.PinBlocks;
import org.anonpay.iso.Terminal;
import org.jpos.q2.QBeanSupport;

/**
 * DEMO ONLY (deploy/80_demo_malls.xml): two small shops on their own ports, so the flows of
 * MISSION.md can be tried in a browser — the partner mall {@value #PARTNER_ID} (Flows B and C,
 * through the mall API) and the non-affiliated shop {@value #SHOP_ID} (Flow D, through the VAN's
 * ISO 8583 interface). On start it makes sure both are registered malls; the partner's API secret,
 * shown once when the mall is added, is kept in the secret file (mode 0600) and read back at the
 * next start. When the file is gone but the mall exists, a new secret is made and the old ones
 * retired.
 *
 * <pre>
 *   property bind            where both shops listen (default 127.0.0.1)
 *   property partner-port    the partner mall (default 8101)
 *   property shop-port       the non-affiliated shop (default 8102)
 *   property wallet-web-url  the wallet web, where the wallet program comes from (default http://127.0.0.1:8080)
 *   property mall-api-url    the mall API (default http://127.0.0.1:8090)
 *   property iso-host, iso-port   the shop's VAN: the host's ISO 8583 interface (127.0.0.1, 8583)
 *   property keys-dir        cfg/keys: the sealing key of mall secrets, the development ZPK
 *   property secret-file     data/demo-malls.properties
 * </pre>
 */
public class DemoMallsService extends QBeanSupport {

    public static final String PARTNER_ID = "DEMOMALL01";
    public static final String PARTNER_NAME = "anonpay demo tea house";
    public static final String SHOP_ID = "DEMOSHOP02";
    public static final String SHOP_NAME = "anonpay demo shop";
    private static final String SHOP_ACQUIRER = "900200";
    private static final String SHOP_TERMINAL = "DEMOSHP2";

    private PartnerMall partner;
    private NonAffiliatedShop shop;

    @Override
    protected void startService() throws Exception {
        String bind = cfg.get("bind", "127.0.0.1");
        String host = bind.equals("0.0.0.0") ? "127.0.0.1" : bind;
        int partnerPort = cfg.getInt("partner-port", 8101);
        int shopPort = cfg.getInt("shop-port", 8102);
        Path keysDir = Path.of(cfg.get("keys-dir", "cfg/keys"));
        Path secretFile = Path.of(cfg.get("secret-file", "data/demo-malls.properties"));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        WalletProgram wallet = new WalletProgram(cfg.get("wallet-web-url", "http://127.0.0.1:8080"), client);

        Database db = DatabaseService.get();
        Malls malls = Malls.load(keysDir);
        URI webhook = URI.create("http://" + host + ":" + partnerPort + "/webhooks");
        MallApiClient.Credentials credentials = db.inJdbcTransaction(c -> ensurePartner(c, malls, webhook, secretFile));
        db.inJdbcTransaction(c -> ensureShop(c, malls));

        partner = new PartnerMall(PARTNER_ID, PARTNER_NAME, wallet, new MallApiClient(cfg.get("mall-api-url", "http://127.0.0.1:8090"), client, credentials));
        partner.start(bind, partnerPort);
        Terminal terminal = new Terminal(SHOP_ACQUIRER, SHOP_TERMINAL, SHOP_ID, String.format("%-25s%-13s%s", SHOP_NAME, "SEOUL", "KR"),
                "5999", Terminal.DEFAULT_CURRENCY, Terminal.DEFAULT_ZONE, true);
        VanTerminal van = new VanTerminal(cfg.get("iso-host", "127.0.0.1"), cfg.getInt("iso-port", 8583), Duration.ofSeconds(30), terminal,
                PinBlocks.zpkHex(keysDir.resolve("dev-zpk.hex")));
        shop = new NonAffiliatedShop(SHOP_ID, SHOP_NAME, wallet, van);
        shop.start(bind, shopPort);
        getLog().info("demo partner mall at http://" + host + ":" + partner.port() + "/");
        getLog().info("demo shop (non-affiliated) at http://" + host + ":" + shop.port() + "/");
        Shop.LOG.info("demo partner mall at http://{}:{}/", host, partner.port());
        Shop.LOG.info("demo shop (non-affiliated) at http://{}:{}/", host, shop.port());
    }

    @Override
    protected void stopService() {
        if (partner != null) partner.close();
        if (shop != null) shop.close();
        partner = null;
        shop = null;
    }

    /** The partner mall registered with its webhook, and a live secret of it in hand. */
    static MallApiClient.Credentials ensurePartner(Connection c, Malls malls, URI webhook, Path secretFile) throws Exception {
        Instant now = Instant.now();
        Mall wanted = new Mall(PARTNER_ID, PARTNER_NAME, "5499", Mall.Kind.PARTNER, Mall.State.ACTIVE, webhook, now);
        Optional<Mall> existing = malls.find(c, PARTNER_ID);
        if (existing.isEmpty()) {
            Malls.AddResult added = malls.add(c, wanted);
            if (added.status() != Malls.AddStatus.ADDED) throw new IllegalStateException("demo partner mall not added: " + added.status());
            MallApiClient.Credentials credentials = new MallApiClient.Credentials(added.secret().keyId(), added.secret().reveal());
            writeSecret(secretFile, credentials);
            Shop.LOG.info("demo partner mall {} registered; its key id {} and API secret are in {}", PARTNER_ID, credentials.keyId(), secretFile);
            return credentials;
        }
        keepUpToDate(c, malls, existing.get(), wanted, now);
        List<String> live = malls.liveKeys(c, PARTNER_ID).stream().map(Malls.LiveKey::keyId).toList();
        Optional<MallApiClient.Credentials> saved = readSecret(secretFile);
        if (saved.isPresent() && live.contains(saved.get().keyId())) return saved.get();
        // the file is gone (or holds a retired key): a new secret, and the old ones retired
        if (live.size() >= Malls.MAX_LIVE_SECRETS) malls.retireSecret(c, PARTNER_ID, live.getFirst(), now);
        Malls.RotateResult rotated = malls.rotateSecret(c, PARTNER_ID, now);
        if (rotated.status() != Malls.RotateStatus.ROTATED) throw new IllegalStateException("demo partner mall secret not rotated: " + rotated.status());
        for (Malls.LiveKey old : malls.liveKeys(c, PARTNER_ID)) {
            if (!old.keyId().equals(rotated.secret().keyId())) malls.retireSecret(c, PARTNER_ID, old.keyId(), now);
        }
        MallApiClient.Credentials credentials = new MallApiClient.Credentials(rotated.secret().keyId(), rotated.secret().reveal());
        writeSecret(secretFile, credentials);
        Shop.LOG.info("demo partner mall {}: no usable secret in {}, made {} and retired the old one(s)", PARTNER_ID, secretFile, credentials.keyId());
        return credentials;
    }

    /** The non-affiliated shop registered (it never calls the mall API: its secret is not kept). */
    static Void ensureShop(Connection c, Malls malls) throws Exception {
        Instant now = Instant.now();
        Mall wanted = new Mall(SHOP_ID, SHOP_NAME, "5999", Mall.Kind.NON_AFFILIATED, Mall.State.ACTIVE, null, now);
        Optional<Mall> existing = malls.find(c, SHOP_ID);
        if (existing.isEmpty()) {
            Malls.AddResult added = malls.add(c, wanted);
            if (added.status() != Malls.AddStatus.ADDED) throw new IllegalStateException("demo shop not added: " + added.status());
            Shop.LOG.info("demo shop {} registered (non-affiliated: pays through its VAN)", SHOP_ID);
        } else {
            keepUpToDate(c, malls, existing.get(), wanted, now);
        }
        return null;
    }

    /** A moved port changes the webhook URL; anything else ops staff changed is put back for the demo. */
    private static void keepUpToDate(Connection c, Malls malls, Mall existing, Mall wanted, Instant now) throws Exception {
        Mall target = new Mall(existing.mallId(), wanted.name(), wanted.mcc(), wanted.kind(), wanted.state(), wanted.webhookUrl(), existing.createdAt());
        if (!target.equals(existing)) malls.change(c, target, now);
    }

    static Optional<MallApiClient.Credentials> readSecret(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return Optional.empty();
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        String keyId = p.getProperty(PARTNER_ID + ".key-id");
        String secret = p.getProperty(PARTNER_ID + ".secret");
        return keyId == null || secret == null ? Optional.empty() : Optional.of(new MallApiClient.Credentials(keyId, secret));
    }

    /** Written to a new file readable by its owner only, then moved over the old one. */
    static void writeSecret(Path file, MallApiClient.Credentials credentials) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".demo-malls", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Properties p = new Properties();
            p.setProperty(PARTNER_ID + ".key-id", credentials.keyId());
            p.setProperty(PARTNER_ID + ".secret", credentials.secret());
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "DEMO ONLY: the API secret of the demo partner mall " + PARTNER_ID + " (deploy/80_demo_malls.xml). Never commit it.");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
