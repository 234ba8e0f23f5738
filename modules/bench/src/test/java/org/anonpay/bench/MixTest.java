// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MixTest {

    @Test
    void parsesTheDefaultMix() {
        Mix mix = Mix.parse("purchase=70,auth-completion=20,reversal=10");
        assertEquals(Map.of(Scenario.PURCHASE, 70, Scenario.AUTH_COMPLETION, 20, Scenario.REVERSAL, 10), mix.weights());
        assertEquals(100, mix.total());
        assertEquals("purchase=70,auth-completion=20,reversal=10", mix.toString());
    }

    @Test
    void toleratesSpacesAndLeftOutScenarios() {
        Mix mix = Mix.parse(" purchase = 3 , reversal=1 ");
        assertEquals(Map.of(Scenario.PURCHASE, 3, Scenario.REVERSAL, 1), mix.weights());
    }

    @Test
    void refusesWhatIsNotAMix() {
        assertThrows(IllegalArgumentException.class, () -> Mix.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Mix.parse("purchase"));
        assertThrows(IllegalArgumentException.class, () -> Mix.parse("refund=10"));
        assertThrows(IllegalArgumentException.class, () -> Mix.parse("echo=10"));
        assertThrows(IllegalArgumentException.class, () -> Mix.parse("purchase=-1,reversal=2"));
        assertThrows(IllegalArgumentException.class, () -> Mix.parse("purchase=x"));
        assertThrows(IllegalArgumentException.class, () -> Mix.parse("purchase=1,purchase=2"));
        assertThrows(IllegalArgumentException.class, () -> Mix.parse("purchase=0"));
    }

    @Test
    void picksInProportionToTheWeights() {
        Mix mix = Mix.parse("purchase=70,auth-completion=20,reversal=10");
        SplittableRandom random = new SplittableRandom(42);
        Map<Scenario, Integer> counts = new EnumMap<>(Scenario.class);
        int draws = 100_000;
        for (int i = 0; i < draws; i++) counts.merge(mix.pick(random), 1, Integer::sum);
        assertShare(0.70, counts.get(Scenario.PURCHASE), draws);
        assertShare(0.20, counts.get(Scenario.AUTH_COMPLETION), draws);
        assertShare(0.10, counts.get(Scenario.REVERSAL), draws);
    }

    @Test
    void aZeroWeightIsNeverPicked() {
        Mix mix = Mix.parse("purchase=0,reversal=1");
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 1_000; i++) assertEquals(Scenario.REVERSAL, mix.pick(random));
    }

    private static void assertShare(double expected, int count, int draws) {
        double share = (double) count / draws;
        assertTrue(Math.abs(share - expected) < 0.01, "share " + share + " not near " + expected);
    }
}
