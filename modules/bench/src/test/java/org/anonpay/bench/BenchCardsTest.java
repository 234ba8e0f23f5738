// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.anonpay.issuer.Luhn;
import org.junit.jupiter.api.Test;

class BenchCardsTest {

    @Test
    void panIsPrefixSequenceAndLuhnDigit() {
        // 9 4 1 0 9 9 9 9 0 0 0 0 0 0 0: doubled from the right 0,0,0,0,18,18,2,18 -> 9+9+2+9 = 29, others 22: 51, check digit 9
        assertEquals("9410999900000009", BenchCards.pan(0));
        assertEquals("941099990001234", BenchCards.pan(1234).substring(0, 15));
    }

    @Test
    void everyPanIsLuhnValidSixteenDigitsAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            String pan = BenchCards.pan(i);
            assertEquals(16, pan.length());
            assertTrue(Luhn.luhnValid(pan), "not Luhn-valid: index " + i);
            assertTrue(seen.add(pan));
        }
        assertTrue(Luhn.luhnValid(BenchCards.pan(BenchCards.MAX_CARDS - 1)));
    }

    @Test
    void staysInsideTheKrwProgramAndAwayFromTheDemoCards() {
        String pan = BenchCards.pan(99_999);
        int bin = Integer.parseInt(pan.substring(0, 8));
        assertTrue(bin >= 94100000 && bin <= 94109999);
        assertTrue(!BenchCards.pan(1).equals("9410000000000013"));
    }

    @Test
    void refusesIndexesOutsideTheSequence() {
        assertThrows(IllegalArgumentException.class, () -> BenchCards.pan(-1));
        assertThrows(IllegalArgumentException.class, () -> BenchCards.pan(BenchCards.MAX_CARDS));
    }

    @Test
    void masksToFirstSixAndLastFour() {
        String pan = BenchCards.pan(4321);
        String masked = BenchCards.masked(pan);
        assertEquals(pan.substring(0, 6) + "******" + pan.substring(12), masked);
    }

    @Test
    void hotDrawsGoToTheFirstCardsAtTheirShare() {
        Workload w = new Workload(1_000, 10, 100, 3, 0.2, 10, 500, "2912");
        SplittableRandom random = new SplittableRandom(1);
        int hot = 0;
        int draws = 50_000;
        for (int i = 0; i < draws; i++) {
            int card = w.card(random);
            assertTrue(card >= 0 && card < 1_000);
            if (card < 10) hot++;
        }
        // the other 80 % of the draws go to the other cards only
        double share = (double) hot / draws;
        assertTrue(Math.abs(share - 0.2) < 0.01, "hot share " + share);
        long amount = w.amount(random);
        assertTrue(amount >= 10 && amount <= 500);
    }
}
