// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.anonpay.host.HostFixture.TestCard;
import org.anonpay.issuer.CardControls;
import org.anonpay.issuer.CardState;
import org.anonpay.issuer.ControlsChange;
import org.anonpay.issuer.PinChange;
import org.anonpay.iso.Card;
import org.anonpay.iso.IsoClient;
import org.anonpay.iso.MessageFactory;
import org.anonpay.iso.OriginalData;
import org.anonpay.iso.Terminal;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The member's card controls enforced by the packaged host (participant CheckCardControls) over
 * real ISO 8583 on TCP and a real MariaDB: member limits (61), online and offline use switched off
 * (57), a frozen card (62), a changed PIN. Money is checked in the ledger, reasons in the journal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CardControlsIT {

    /** Field 22: chip read at the shop terminal, PIN capable: card-present (offline). */
    private static final String ENTRY_CHIP = "051";

    private HostFixture fx;
    private IsoClient client;
    private MessageFactory shop;
    private MessageFactory webShop;

    @BeforeAll
    void start() throws Exception {
        fx = HostFixture.start("controls");
        client = fx.connect();
        // different terminals: each factory counts its own STANs, the message keys must not meet
        shop = new MessageFactory(Terminal.defaults().withTerminalId("SHOP0001").withMerchantId("SHOP000000001"));
        webShop = new MessageFactory(Terminal.defaults().withTerminalId("WEB00001").withMerchantId("MALL000000002").withEcommerce(true));
    }

    @AfterAll
    void stop() throws Exception {
        if (client != null) client.close();
        if (fx != null) {
            fx.trialBalance().forEach(t -> assertTrue(t.balanced(), "ledger out of balance: " + t));
            fx.close();
        }
    }

    private String answer(ISOMsg request) throws Exception {
        return client.exchange(request).getString(39);
    }

    /** A purchase at the shop with the card read by the chip reader. */
    private ISOMsg atTheShop(Card card, long amount) throws Exception {
        ISOMsg m = shop.purchase(card, amount);
        m.set(22, ENTRY_CHIP);
        return m;
    }

    private void controls(TestCard card, Long perTransaction, Long daily, boolean online, boolean offline) {
        assertEquals(ControlsChange.CHANGED, fx.setControls(card, CardControls.of(perTransaction, daily, online, offline)));
    }

    private long declines(TestCard card, String reason) {
        return fx.count("SELECT COUNT(*) FROM authz_journal WHERE card_id = " + card.cardId() + " AND decline_reason = '" + reason + "'");
    }

    @Test
    void aPurchaseAboveTheMembersTransactionLimitIs61AndDebitsNothing() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 100_000);
        controls(card, 10_000L, null, true, true);
        assertEquals("61", answer(atTheShop(card.iso(), 10_001)));
        assertEquals("61", answer(shop.authorization(card.iso(), 10_001)), "an authorization is spending too");
        assertEquals(100_000L, fx.balance(card).available());
        assertEquals(100_000L, fx.balance(card).posted());
        assertEquals(2, declines(card, "MEMBER_TRANSACTION_LIMIT"));
        assertEquals("00", answer(atTheShop(card.iso(), 10_000)), "the limit itself is allowed");
        assertEquals(90_000L, fx.balance(card).available());
    }

    @Test
    void theMembersDailyLimitCountsTheDaysPurchases() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 100_000);
        controls(card, null, 15_000L, true, true);
        assertEquals("00", answer(atTheShop(card.iso(), 10_000)));
        assertEquals("61", answer(atTheShop(card.iso(), 6_000)), "10,000 + 6,000 is above 15,000");
        assertEquals(1, declines(card, "MEMBER_DAILY_LIMIT"));
        assertEquals(90_000L, fx.balance(card).available());
        assertEquals("00", answer(shop.authorization(card.iso(), 5_000)), "up to the limit exactly");
        assertEquals("61", answer(atTheShop(card.iso(), 1)), "the hold counts against the day");
        assertEquals(85_000L, fx.balance(card).available());
    }

    @Test
    void withOnlineUseOffAnECommercePurchaseIs57AndTheShopStillWorks() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 50_000);
        controls(card, null, null, false, true);
        assertEquals("57", answer(webShop.purchase(card.iso(), 1_000)));
        assertEquals("57", answer(shop.purchase(card.iso(), 1_000)), "keyed entry (011/012) is card-not-present: online");
        assertEquals(2, declines(card, "ONLINE_USE_DISABLED"));
        assertEquals(50_000L, fx.balance(card).available());
        assertEquals("00", answer(atTheShop(card.iso(), 1_000)));
        assertEquals(49_000L, fx.balance(card).available());
    }

    @Test
    void withOfflineUseOffAShopPurchaseIs57AndOnlineStillWorks() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 50_000);
        controls(card, null, null, true, false);
        assertEquals("57", answer(atTheShop(card.iso(), 1_000)));
        ISOMsg stripe = shop.purchase(card.iso(), 1_000);
        stripe.set(22, "901");
        assertEquals("57", answer(stripe), "magnetic stripe is card-present too");
        assertEquals(2, declines(card, "OFFLINE_USE_DISABLED"));
        assertEquals(50_000L, fx.balance(card).available());
        assertEquals("00", answer(webShop.purchase(card.iso(), 1_000)));
        assertEquals(49_000L, fx.balance(card).available());
        assertEquals(1, fx.count("SELECT COUNT(*) FROM authz_journal WHERE card_id = " + card.cardId()
                + " AND response_code = '00' AND merchant_name IS NOT NULL"), "field 43 is journaled for the history");
    }

    @Test
    void loadsRefundsAndReversalsAreNotStoppedByTheControls() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 50_000);
        ISOMsg purchase = atTheShop(card.iso(), 20_000);
        assertEquals("00", answer(purchase));
        controls(card, 1L, 1L, false, false);
        assertEquals("00", answer(shop.reversal(card.iso(), "000000", 20_000, OriginalData.of(purchase))));
        assertEquals(50_000L, fx.balance(card).available());
        assertEquals("00", answer(shop.load(card.iso(), 5_000)));
        assertEquals("00", answer(shop.refund(card.iso(), 2_000)));
        assertEquals(57_000L, fx.balance(card).available());
        assertEquals("57", answer(atTheShop(card.iso(), 1)), "spending is still stopped");
    }

    @Test
    void aFrozenCardIs62() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 10_000);
        fx.setState(card, CardState.FROZEN);
        assertEquals("62", answer(atTheShop(card.iso(), 100)));
        assertEquals("62", answer(webShop.purchase(card.iso(), 100)));
        assertEquals(10_000L, fx.balance(card).available());
        fx.setState(card, CardState.ACTIVE);
        assertEquals("00", answer(atTheShop(card.iso(), 100)), "unfrozen, it works again");
    }

    @Test
    void aChangedPinWorksAndTheOldOneIs55() throws Exception {
        TestCard card = fx.issueCard("KRW-PREPAID", 10_000);
        assertEquals("00", answer(atTheShop(card.withPin(HostFixture.PIN), 100)));
        assertEquals(PinChange.CHANGED, fx.changePin(card, "8642"));
        assertEquals("00", answer(atTheShop(card.withPin("8642"), 100)));
        assertEquals("55", answer(atTheShop(card.withPin(HostFixture.PIN), 100)));
        assertEquals("00", answer(atTheShop(card.withPin("8642"), 100)), "a right PIN after a wrong one");
        assertEquals(9_700L, fx.balance(card).available());
    }
}
