// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.anonpay.gateway.mall.Mall;
import org.anonpay.gateway.mall.MallSecret;
import org.anonpay.gateway.mall.Malls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MallsTest {

    static final Path KEYS = Path.of("../../cfg/keys");
    static final Instant NOW = Instant.parse("2026-11-24T01:00:00Z");
    static Database db;
    static Malls malls;

    @BeforeAll
    static void open() {
        db = TestMariaDb.freshDatabase("malls");
        malls = Malls.load(KEYS);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static Mall mall(String id) {
        return new Mall(id, "Partner Mall " + id, "5311", Mall.Kind.PARTNER, Mall.State.ACTIVE, URI.create("https://mall.example/hooks"), NOW);
    }

    @Test
    void addShowsTheSecretOnceAndStoresOnlyItsSealedHash() {
        Malls.AddResult added = db.inJdbcTransaction(c -> malls.add(c, mall("MALL0001")));
        assertEquals(Malls.AddStatus.ADDED, added.status());
        String secret = added.secret().reveal();
        assertTrue(secret.startsWith("sk_") && secret.length() > 64, "longer than the HMAC block");
        assertEquals(mall("MALL0001"), db.inJdbcTransaction(c -> malls.find(c, "MALL0001")).orElseThrow());
        byte[] stored = db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT sealed_hash FROM mall_secret WHERE key_id = ?")) {
                ps.setString(1, added.secret().keyId());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBytes(1);
                }
            }
        });
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains(secret.substring(3, 20)), "no secret in the row");
        List<Malls.LiveKey> live = db.inJdbcTransaction(c -> malls.liveKeys(c, "MALL0001"));
        assertArrayEquals(MallSecret.verificationKeyOf(secret), live.getFirst().verificationKey());
    }

    @Test
    void aTakenMallIdIsRefusedAndNothingChanges() {
        db.inJdbcTransaction(c -> malls.add(c, mall("MALL0002")));
        Malls.AddResult again = db.inJdbcTransaction(c -> malls.add(c, new Mall("MALL0002", "Other", "5999", Mall.Kind.NON_AFFILIATED,
                Mall.State.ACTIVE, null, NOW)));
        assertEquals(Malls.AddStatus.MALL_ID_TAKEN, again.status());
        assertNull(again.secret());
        assertEquals("Partner Mall MALL0002", db.inJdbcTransaction(c -> malls.find(c, "MALL0002")).orElseThrow().name());
    }

    @Test
    void rotationKeepsAtMostTwoLiveSecretsAndNeverRetiresTheLast() {
        Malls.AddResult added = db.inJdbcTransaction(c -> malls.add(c, mall("MALL0003")));
        Malls.RotateResult second = db.inJdbcTransaction(c -> malls.rotateSecret(c, "MALL0003", NOW));
        assertEquals(Malls.RotateStatus.ROTATED, second.status());
        assertEquals(Malls.RotateStatus.TWO_LIVE_SECRETS, db.inJdbcTransaction(c -> malls.rotateSecret(c, "MALL0003", NOW)).status());
        assertEquals(Malls.RetireStatus.RETIRED, db.inJdbcTransaction(c -> malls.retireSecret(c, "MALL0003", added.secret().keyId(), NOW)));
        assertEquals(Malls.RetireStatus.LAST_LIVE_SECRET, db.inJdbcTransaction(c -> malls.retireSecret(c, "MALL0003", second.secret().keyId(), NOW)));
        assertEquals(List.of(second.secret().keyId()), db.inJdbcTransaction(c -> malls.liveKeys(c, "MALL0003")).stream().map(Malls.LiveKey::keyId).toList());
        assertTrue(db.inJdbcTransaction(c -> malls.liveKey(c, added.secret().keyId())).isEmpty(), "a retired key signs nothing");
        assertEquals(Malls.RotateStatus.UNKNOWN_MALL, db.inJdbcTransaction(c -> malls.rotateSecret(c, "NOSUCHMALL", NOW)).status());
    }

    @Test
    void changeKeepsTheIdAndReportsAnUnknownMall() {
        db.inJdbcTransaction(c -> malls.add(c, mall("MALL0004")));
        Mall suspended = new Mall("MALL0004", "Renamed", "5732", Mall.Kind.PARTNER, Mall.State.SUSPENDED, null, NOW);
        assertEquals(Malls.ChangeStatus.CHANGED, db.inJdbcTransaction(c -> malls.change(c, suspended, NOW)));
        Mall read = db.inJdbcTransaction(c -> malls.find(c, "MALL0004")).orElseThrow();
        assertEquals("Renamed", read.name());
        assertFalse(read.active());
        assertNull(read.webhookUrl());
        assertEquals(Malls.ChangeStatus.UNKNOWN_MALL, db.inJdbcTransaction(c -> malls.change(c, mall("MALL9999"), NOW)));
    }
}
