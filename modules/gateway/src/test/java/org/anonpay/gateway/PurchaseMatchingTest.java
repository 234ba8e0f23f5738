// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.anonpay.gateway.purchase.Goods;
import org.anonpay.gateway.purchase.Goods.Item;
import org.anonpay.gateway.purchase.Purchase;
import org.anonpay.gateway.purchase.PurchaseMatching;
import org.anonpay.gateway.purchase.PurchaseMatching.ApprovalRequest;
import org.anonpay.gateway.purchase.PurchaseMatching.Result;
import org.anonpay.gateway.purchase.Purchases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PurchaseMatchingTest {

    static final Instant NOW = MallsTest.NOW;
    static final Goods GOODS = Goods.of(new Item("녹차 티백 50개", 2, 4_500), new Item("Mug", 1, 12_000));
    static Database db;
    static final Purchases purchases = new Purchases(Duration.ofMinutes(15));

    @BeforeAll
    static void open() {
        db = TestMariaDb.freshDatabase("purchases");
    }

    @AfterAll
    static void close() {
        db.close();
    }

    Purchase stored(String orderId) {
        Purchases.Created created = db.inJdbcTransaction(c -> purchases.create(c, "MALL0001", "cust-77", orderId, GOODS, "KRW", 42L, 7L, NOW));
        assertEquals(Purchases.CreateStatus.CREATED, created.status());
        return created.purchase();
    }

    static ApprovalRequest request(Purchase p) {
        return new ApprovalRequest(p.reference(), p.mallId(), p.customerRef(), p.orderId(), p.goods().digestHex(), p.totalMinor(), p.currency());
    }

    Purchase read(String reference) {
        return db.inJdbcTransaction(c -> purchases.find(c, reference)).orElseThrow();
    }

    @Test
    void theStoredPurchaseRoundTripsAndMatchesItsOwnRequestWhateverTheItemOrder() {
        Purchase p = stored("ORD-1");
        assertTrue(p.reference().matches("pur_[a-z2-7]{26}"), p.reference());
        assertEquals(21_000, p.totalMinor());
        Purchase read = read(p.reference());
        assertEquals(p, read);
        Goods reordered = Goods.of(new Item("Mug", 1, 12_000), new Item("녹차 티백 50개", 2, 4_500));
        ApprovalRequest r = new ApprovalRequest(p.reference(), "MALL0001", "cust-77", "ORD-1", reordered.digestHex(), 21_000, "KRW");
        assertEquals(Result.MATCHED, PurchaseMatching.match(read, r, NOW.plusSeconds(60)));
    }

    @Test
    void everyKindOfDisagreementHasItsOwnResult() {
        Purchase p = read(stored("ORD-2").reference());
        ApprovalRequest ok = request(p);
        Instant at = NOW.plusSeconds(5);
        assertEquals(Result.UNKNOWN_PURCHASE, PurchaseMatching.match(null, ok, at));
        assertEquals(Result.MALL_MISMATCH, PurchaseMatching.match(p, new ApprovalRequest(p.reference(), "MALL0002", "cust-77", "ORD-2", GOODS.digestHex(), 21_000, "KRW"), at));
        assertEquals(Result.CUSTOMER_MISMATCH, PurchaseMatching.match(p, new ApprovalRequest(p.reference(), "MALL0001", "cust-78", "ORD-2", GOODS.digestHex(), 21_000, "KRW"), at));
        assertEquals(Result.ORDER_MISMATCH, PurchaseMatching.match(p, new ApprovalRequest(p.reference(), "MALL0001", "cust-77", "ORD-3", GOODS.digestHex(), 21_000, "KRW"), at));
        assertEquals(Result.CURRENCY_MISMATCH, PurchaseMatching.match(p, new ApprovalRequest(p.reference(), "MALL0001", "cust-77", "ORD-2", GOODS.digestHex(), 21_000, "USD"), at));
        Goods more = Goods.of(new Item("녹차 티백 50개", 3, 4_500), new Item("Mug", 1, 12_000));
        assertEquals(Result.GOODS_MISMATCH, PurchaseMatching.match(p, new ApprovalRequest(p.reference(), "MALL0001", "cust-77", "ORD-2", more.digestHex(), 21_000, "KRW"), at));
        assertEquals(Result.TOTAL_MISMATCH, PurchaseMatching.match(p, new ApprovalRequest(p.reference(), "MALL0001", "cust-77", "ORD-2", GOODS.digestHex(), 20_000, "KRW"), at));
        assertEquals(Result.PURCHASE_EXPIRED, PurchaseMatching.match(p, ok, NOW.plus(Duration.ofMinutes(15))));
    }

    @Test
    void aNewChoiceReplacesThePendingPurchaseAndAPaidOrderTakesNoOther() {
        Purchase first = stored("ORD-4");
        Purchase second = stored("ORD-4"); // the member chose again for the same order
        assertEquals(Purchase.State.EXPIRED, read(first.reference()).state());
        assertEquals(Result.PURCHASE_EXPIRED, PurchaseMatching.match(read(first.reference()), request(first), NOW));
        assertEquals(Purchases.PayStatus.PAID, db.inJdbcTransaction(c -> purchases.markPaid(c, purchases.lock(c, second.reference()).orElseThrow(), "pay_2", NOW)));
        assertEquals(Result.ALREADY_PAID, PurchaseMatching.match(read(second.reference()), request(second), NOW));
        assertEquals(Purchases.PayStatus.NOT_PENDING,
                db.inJdbcTransaction(c -> purchases.markPaid(c, purchases.lock(c, second.reference()).orElseThrow(), "pay_3", NOW)));
        Purchases.Created third = db.inJdbcTransaction(c -> purchases.create(c, "MALL0001", "cust-77", "ORD-4", GOODS, "KRW", 42L, 7L, NOW));
        assertEquals(Purchases.CreateStatus.ORDER_ALREADY_PAID, third.status());
    }

    @Test
    void unpaidPurchasesExpire() {
        Purchase p = stored("ORD-5");
        int expired = db.inJdbcTransaction(c -> purchases.expireDue(c, NOW.plus(Duration.ofMinutes(16)), 1000));
        assertTrue(expired >= 1);
        assertEquals(Purchase.State.EXPIRED, read(p.reference()).state());
        assertEquals(Result.PURCHASE_EXPIRED, PurchaseMatching.match(read(p.reference()), request(p), NOW));
    }
}
