// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.extissuer;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads the simulator's card list: a properties file of {@code <pan>.<attribute>=value} lines with the
 * attributes {@code expiry}, {@code cvv2}, {@code owner}, {@code limit} (required except owner) and
 * {@code delay.ms}, {@code drop-reversals} (optional, 0 when absent). See cfg/extissuer/cards.properties.
 */
public final class SimulatedCards {
    private SimulatedCards() {
    }

    public static Map<String, SimulatedCard> load(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        }
        return parse(props);
    }

    /** Cards by PAN. A malformed entry is an error: a simulator silently missing a test card misleads tests. */
    public static Map<String, SimulatedCard> parse(Properties props) {
        Map<String, SimulatedCard> cards = new TreeMap<>();
        for (String name : props.stringPropertyNames()) {
            String pan = name.substring(0, Math.max(0, name.indexOf('.')));
            if (!cards.containsKey(pan)) {
                cards.put(pan, card(pan, props));
            }
        }
        return Map.copyOf(cards);
    }

    private static SimulatedCard card(String pan, Properties props) {
        return new SimulatedCard(pan,
                props.getProperty(pan + ".expiry"),
                props.getProperty(pan + ".cvv2"),
                props.getProperty(pan + ".owner"),
                number(props, pan, "limit", null),
                number(props, pan, "delay.ms", "0"),
                Math.toIntExact(number(props, pan, "drop-reversals", "0")));
    }

    private static long number(Properties props, String pan, String attribute, String fallback) {
        String value = props.getProperty(pan + "." + attribute, fallback);
        if (value == null || !value.trim().matches("\\d{1,15}")) {
            throw new IllegalArgumentException("card entry " + org.anonpay.iso.IsoMessages.maskPan(pan) + "." + attribute
                    + " must be a whole number");
        }
        return Long.parseLong(value.trim());
    }
}
