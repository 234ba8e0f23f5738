// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.demomall;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.anonpay.gateway.mall.Mall;
import org.anonpay.gateway.mall.MallSecret;
import org.anonpay.gateway.mall.Malls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo malls registered once; the partner's secret kept in a 0600 file, read back, and replaced when the file is lost. */
class DemoMallsServiceTest {

    static final Path ROOT = Path.of(System.getProperty("anonpay.root", "../..")).toAbsolutePath().normalize();
    static Database db;
    static Malls malls;

    @BeforeAll
    static void open() {
        db = TestMariaDb.freshDatabase("demomalls");
        malls = Malls.load(ROOT.resolve("cfg/keys"));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void partnerSecretIsKeptReadBackAndReplacedWhenTheFileIsLost(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data/demo-malls.properties");
        URI webhook = URI.create("http://127.0.0.1:8101/webhooks");

        MallApiClient.Credentials first = db.inJdbcTransaction(c -> DemoMallsService.ensurePartner(c, malls, webhook, file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(first.toString().contains(first.secret()), "toString never shows the secret");
        List<Malls.LiveKey> live = db.inJdbcTransaction(c -> malls.liveKeys(c, DemoMallsService.PARTNER_ID));
        assertEquals(List.of(first.keyId()), live.stream().map(Malls.LiveKey::keyId).toList());
        assertArrayEquals(MallSecret.verificationKeyOf(first.secret()), live.getFirst().verificationKey(), "the file's secret is the live one");
        Mall mall = db.inJdbcTransaction(c -> malls.find(c, DemoMallsService.PARTNER_ID)).orElseThrow();
        assertEquals(Mall.Kind.PARTNER, mall.kind());
        assertEquals(DemoMallsService.PARTNER_NAME, mall.name());
        assertEquals("5499", mall.mcc());
        assertEquals(webhook, mall.webhookUrl());

        // a restart: the same secret, no new one
        assertEquals(first, db.inJdbcTransaction(c -> DemoMallsService.ensurePartner(c, malls, webhook, file)));
        assertEquals(1, db.inJdbcTransaction(c -> malls.liveKeys(c, DemoMallsService.PARTNER_ID)).size());

        // the file lost, the port moved: a new secret, the old one retired, the webhook follows the port
        Files.delete(file);
        URI moved = URI.create("http://127.0.0.1:9101/webhooks");
        MallApiClient.Credentials second = db.inJdbcTransaction(c -> DemoMallsService.ensurePartner(c, malls, moved, file));
        assertNotEquals(first.keyId(), second.keyId());
        assertEquals(List.of(second.keyId()), db.inJdbcTransaction(c -> malls.liveKeys(c, DemoMallsService.PARTNER_ID)).stream().map(Malls.LiveKey::keyId).toList());
        assertEquals(second, DemoMallsService.readSecret(file).orElseThrow());
        assertEquals(moved, db.inJdbcTransaction(c -> malls.find(c, DemoMallsService.PARTNER_ID)).orElseThrow().webhookUrl());
    }

    @Test
    void shopIsRegisteredOnceAsNonAffiliated() {
        db.inJdbcTransaction(c -> DemoMallsService.ensureShop(c, malls));
        db.inJdbcTransaction(c -> DemoMallsService.ensureShop(c, malls));
        Mall shop = db.inJdbcTransaction(c -> malls.find(c, DemoMallsService.SHOP_ID)).orElseThrow();
        assertEquals(Mall.Kind.NON_AFFILIATED, shop.kind());
        assertEquals(DemoMallsService.SHOP_NAME, shop.name());
        assertTrue(shop.active());
    }
}
