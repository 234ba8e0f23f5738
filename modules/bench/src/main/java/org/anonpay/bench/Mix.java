// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * The share of each scenario in the traffic, as integer weights: "purchase=70,auth-completion=20,reversal=10".
 * Weights need not add up to 100; a scenario left out is never sent.
 */
record Mix(Map<Scenario, Integer> weights) {

    Mix {
        weights = Collections.unmodifiableMap(new EnumMap<>(weights));
        if (weights.values().stream().mapToInt(Integer::intValue).sum() <= 0) {
            throw new IllegalArgumentException("the mix needs at least one positive weight");
        }
    }

    /** Only 0800 echoes (the framework ceiling). */
    static Mix echoOnly() {
        return new Mix(Map.of(Scenario.ECHO, 1));
    }

    static Mix parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty mix");
        Map<Scenario, Integer> weights = new EnumMap<>(Scenario.class);
        for (String part : text.split(",")) {
            String[] kv = part.trim().split("=", -1);
            if (kv.length != 2) throw new IllegalArgumentException("mix entry is name=weight: '" + part.trim() + "'");
            Scenario scenario = Scenario.byLabel(kv[0].trim()).filter(s -> s != Scenario.ECHO).orElseThrow(
                    () -> new IllegalArgumentException("unknown mix entry '" + kv[0].trim() + "' (purchase, auth-completion, reversal)"));
            if (weights.containsKey(scenario)) throw new IllegalArgumentException("mix entry " + scenario.label() + " given twice");
            weights.put(scenario, weight(kv[1].trim()));
        }
        return new Mix(weights);
    }

    private static int weight(String text) {
        try {
            int w = Integer.parseInt(text);
            if (w < 0) throw new IllegalArgumentException("mix weight must not be negative: " + text);
            return w;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mix weight is a whole number: '" + text + "'");
        }
    }

    int total() {
        return weights.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** A scenario drawn with probability weight / total. */
    Scenario pick(RandomGenerator random) {
        int draw = random.nextInt(total());
        for (Map.Entry<Scenario, Integer> e : weights.entrySet()) {
            draw -= e.getValue();
            if (draw < 0) return e.getKey();
        }
        throw new AssertionError("draw below total always lands");
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        weights.forEach((s, w) -> parts.add(s.label() + "=" + w));
        return parts.stream().collect(Collectors.joining(","));
    }
}
