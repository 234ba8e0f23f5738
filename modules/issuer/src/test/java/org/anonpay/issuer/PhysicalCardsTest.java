// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.anonpay.issuer.PhysicalCards.Delivery;
import org.anonpay.issuer.PhysicalCards.QueueEntry;
import org.anonpay.issuer.PhysicalCards.State;
import org.anonpay.issuer.PhysicalCards.Status;
import org.anonpay.issuer.PhysicalCards.Transition;
import org.anonpay.ledger.Ledger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The physical card queue on a real MariaDB: request, produce, ship, and the address only encrypted. */
class PhysicalCardsTest {

    private static final String ADDRESS = "서울특별시 중구 세종대로 110, 3층";

    private static Database db;
    private static CardIssuer issuer;
    private static PhysicalCards physical;

    @BeforeAll
    static void open() {
        db = TestMariaDb.freshDatabase("physical");
        issuer = new CardIssuer(CardPrograms.load(TestKeys.programsDir()), new CardSecurity(TestKeys.keysDir()),
                CardVault.load(TestKeys.keysDir()), new Ledger());
        physical = PhysicalCards.load(TestKeys.keysDir(), Map.of(), Clock.systemUTC());
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static long issue() {
        return db.inTransaction(s -> issuer.issue(s, IssueRequest.of("KRW-PREPAID", "플라스틱", "1234".toCharArray(), "7")).cardId());
    }

    private static <T> T jdbc(Database.JdbcWork<T> work) {
        return db.inJdbcTransaction(work);
    }

    @Test
    void requestProduceShip() {
        long cardId = issue();
        assertEquals(PhysicalCards.RequestResult.REQUESTED, jdbc(c -> physical.request(c, cardId, Delivery.OFFICE, ADDRESS)));
        assertEquals(PhysicalCards.RequestResult.ALREADY_REQUESTED, jdbc(c -> physical.request(c, cardId, Delivery.HOME, "elsewhere")));
        Status requested = jdbc(c -> physical.status(c, cardId)).orElseThrow();
        assertEquals(State.REQUESTED, requested.state());
        assertEquals(Delivery.OFFICE, requested.delivery());

        QueueEntry entry = jdbc(c -> physical.queue(c, false, 100)).stream().filter(e -> e.cardId() == cardId).findFirst().orElseThrow();
        assertEquals(ADDRESS, entry.address());
        assertTrue(entry.maskedPan().matches("\\d{6}\\*{6}\\d{4}"));
        assertEquals("플라스틱", entry.cardName());
        long id = entry.requestId();

        assertEquals(Transition.WRONG_STATE, jdbc(c -> physical.markShipped(c, id, "CJ-1234")), "not produced yet");
        assertEquals(Transition.DONE, jdbc(c -> physical.markProduced(c, id)));
        assertEquals(Transition.WRONG_STATE, jdbc(c -> physical.markProduced(c, id)), "produced once");
        assertEquals(Transition.INVALID_TRACKING_REF, jdbc(c -> physical.markShipped(c, id, " ")));
        assertEquals(Transition.DONE, jdbc(c -> physical.markShipped(c, id, "CJ-1234")));
        assertEquals(Transition.WRONG_STATE, jdbc(c -> physical.markShipped(c, id, "CJ-9")), "shipped once");
        assertEquals(Transition.NOT_FOUND, jdbc(c -> physical.markProduced(c, 999_999)));

        Status shipped = jdbc(c -> physical.status(c, cardId)).orElseThrow();
        assertEquals(State.SHIPPED, shipped.state());
        assertEquals("CJ-1234", shipped.trackingRef());
        assertNotNull(shipped.producedAt());
        assertNotNull(shipped.shippedAt());
        List<QueueEntry> open = jdbc(c -> physical.queue(c, false, 100));
        assertFalse(open.stream().anyMatch(e -> e.cardId() == cardId), "shipped requests leave the queue");
        assertTrue(jdbc(c -> physical.queue(c, true, 100)).stream().anyMatch(e -> e.cardId() == cardId));
    }

    @Test
    void theAddressIsStoredOnlyEncrypted() {
        long cardId = issue();
        jdbc(c -> physical.request(c, cardId, Delivery.HOME, ADDRESS));
        byte[] stored = jdbc(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT address_encrypted FROM physical_card_request WHERE card_id = " + cardId)) {
                rs.next();
                return rs.getBytes(1);
            }
        });
        String asText = new String(stored, StandardCharsets.UTF_8);
        assertFalse(asText.contains("세종대로"), "no clear address in the row");
        assertEquals(1, stored[0], "key version first");
    }

    @Test
    void refusesUnknownCardsAndBadAddresses() {
        assertEquals(PhysicalCards.RequestResult.CARD_NOT_FOUND, jdbc(c -> physical.request(c, 987_654, Delivery.HOME, ADDRESS)));
        long cardId = issue();
        assertThrows(IllegalArgumentException.class, () -> jdbc(c -> physical.request(c, cardId, Delivery.HOME, "x".repeat(201))));
        assertTrue(jdbc(c -> physical.status(c, cardId)).isEmpty());
    }
}
