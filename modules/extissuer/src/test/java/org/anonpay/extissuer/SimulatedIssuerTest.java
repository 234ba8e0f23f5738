// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.extissuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;

import org.anonpay.iso.Card;
import org.anonpay.iso.Field;
import org.anonpay.iso.MessageFactory;
import org.anonpay.iso.OriginalData;
import org.anonpay.iso.Terminal;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.Test;

/** The simulator's rules (README.md), without a network. */
class SimulatedIssuerTest {
    private static final String PAN = "4111111111111111";
    private static final String DROPPING_PAN = "4242424242424242";
    private static final Card CARD = new Card(PAN, "2912", "123", null);

    private final SimulatedIssuer issuer = new SimulatedIssuer(Map.of(
            PAN, new SimulatedCard(PAN, "2912", "123", "HONG GILDONG", 100_000, 0, 0),
            DROPPING_PAN, new SimulatedCard(DROPPING_PAN, "3001", "321", "PARK JISOO", 100_000, 2_000, 1)), 1_500);
    private final MessageFactory factory = new MessageFactory(Terminal.defaults());

    @Test
    void aLinkTestIsAnswered() {
        ISOMsg response = answer(factory.echo());
        assertEquals("0810", response.getString(Field.MTI));
        assertEquals("00", response.getString(Field.RESPONSE_CODE));
    }

    @Test
    void aVerificationWithoutCvv2IsRefusedAsAWrongCvv2() {
        assertEquals("N7", code(factory.authorization(CARD.withCvv2(null), 0)));
    }

    @Test
    void an0100WithAnAmountIsNotTaken() {
        assertEquals("12", code(factory.authorization(CARD, 5_000)));
    }

    @Test
    void theResponseCarriesNoCardSecrets() {
        ISOMsg response = answer(factory.authorization(CARD, 0));
        assertEquals("00", response.getString(Field.RESPONSE_CODE));
        assertFalse(response.hasField(Field.ADDITIONAL_DATA));
        assertFalse(response.hasField(Field.EXPIRY));
    }

    @Test
    void aRepeatGetsTheOriginalAnswerAndIsNotChargedAgain() {
        ISOMsg charge = factory.purchase(CARD, 30_000);
        ISOMsg first = answer(charge);
        ISOMsg repeat = answer(MessageFactory.repeatOf(charge));

        assertEquals("0210", repeat.getString(Field.MTI));
        assertEquals(first.getString(Field.APPROVAL_CODE), repeat.getString(Field.APPROVAL_CODE));
        assertEquals(30_000, issuer.spentMinor(PAN));
    }

    @Test
    void aKeyReusedForADifferentMessageIsADuplicateTransmission() {
        ISOMsg charge = factory.purchase(CARD, 30_000);
        answer(charge);
        ISOMsg changed = (ISOMsg) charge.clone();
        changed.set(Field.AMOUNT, "000000040000");

        assertEquals("94", code(changed));
        assertEquals(30_000, issuer.spentMinor(PAN));
    }

    @Test
    void theLimitCountsWhatWasChargedBefore() {
        assertEquals("00", code(factory.purchase(CARD, 80_000)));
        assertEquals("51", code(factory.purchase(CARD, 20_001)));
        assertEquals("00", code(factory.purchase(CARD, 20_000)));
    }

    @Test
    void aReversalReleasesTheChargeOnceAndUnknownOriginalsAreAcknowledged() {
        ISOMsg charge = factory.purchase(CARD, 30_000);
        answer(charge);
        ISOMsg reversal = factory.reversal(CARD, "000000", 30_000, OriginalData.of(charge));

        assertEquals("00", code(reversal));
        assertEquals("00", code(MessageFactory.repeatOf(reversal)));
        assertEquals(0, issuer.spentMinor(PAN));
        ISOMsg neverSent = factory.purchase(CARD, 1_000);
        assertEquals("00", code(factory.reversal(CARD, "000000", 1_000, OriginalData.of(neverSent))));
        assertEquals(0, issuer.spentMinor(PAN));
    }

    @Test
    void aRepeatOfAReversedChargeIsRefusedNotApprovedAgain() {
        ISOMsg charge = factory.purchase(CARD, 30_000);
        answer(charge);
        answer(factory.reversal(CARD, "000000", 30_000, OriginalData.of(charge)));

        assertEquals("12", code(MessageFactory.repeatOf(charge)));
        assertEquals(0, issuer.spentMinor(PAN));
    }

    @Test
    void anOriginalArrivingAfterItsReversalIsRefusedAndNotCharged() {
        ISOMsg charge = factory.purchase(CARD, 30_000);
        assertEquals("00", code(factory.reversal(CARD, "000000", 30_000, OriginalData.of(charge))));

        assertEquals("94", code(charge));
        assertEquals(0, issuer.spentMinor(PAN));
    }

    @Test
    void theFirstReversalsOfADroppingCardGetNoAnswer() {
        Card card = new Card(DROPPING_PAN, "3001", null, null);
        ISOMsg charge = factory.purchase(card, 10_000);
        answer(charge);
        ISOMsg reversal = factory.reversal(card, "000000", 10_000, OriginalData.of(charge));

        assertTrue(issuer.answer(reversal).response().isEmpty());
        assertEquals(10_000, issuer.spentMinor(DROPPING_PAN));
        assertEquals("00", code(MessageFactory.repeatOf(reversal)));
        assertEquals(0, issuer.spentMinor(DROPPING_PAN));
        assertEquals(2, issuer.reversalsReceived(DROPPING_PAN));
    }

    @Test
    void slowCardsAndAmountsEndingIn999AreAnsweredLate() {
        assertEquals(2_000, issuer.answer(factory.purchase(new Card(DROPPING_PAN, null, null, null), 1_000)).delayMs());
        assertEquals(1_500, issuer.answer(factory.purchase(CARD, 1_999)).delayMs());
        assertEquals(0, issuer.answer(factory.purchase(CARD, 1_998)).delayMs());
    }

    @Test
    void aCardEntryWithoutALimitIsRejected() {
        Properties props = new Properties();
        props.setProperty(PAN + ".expiry", "2912");
        props.setProperty(PAN + ".cvv2", "123");
        assertThrows(IllegalArgumentException.class, () -> SimulatedCards.parse(props));
    }

    private ISOMsg answer(ISOMsg request) {
        SimulatedIssuer.Answer answer = issuer.answer(request);
        assertTrue(answer.response().isPresent(), "answered");
        return answer.response().get();
    }

    private String code(ISOMsg request) {
        return answer(request).getString(Field.RESPONSE_CODE);
    }
}
