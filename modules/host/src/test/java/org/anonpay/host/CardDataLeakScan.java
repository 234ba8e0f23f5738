// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.host;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.anonpay.issuer.Luhn;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other end-to-end test (its own failsafe execution, see the host pom): reads
 * all log output of every host the suite ran (console and log/ files) and the database dumps the
 * tests wrote, and looks for card data: every PAN, PIN block and CVV2 the tests handed out, the
 * published demo PANs, and any Luhn-valid number inside anonpay's BIN ranges.
 */
class CardDataLeakScan {

    private static final Path TARGET = HostProcess.ROOT.resolve("modules/host/target");
    private static final Pattern OUR_PANS = Pattern.compile("(?<!\\d)94[12]\\d{13}(?!\\d)");

    @Test
    void noFullPanCvv2OrPinBlockInLogsOrDatabase() throws IOException {
        List<Path> files = scannedFiles();
        assertTrue(files.stream().anyMatch(p -> p.toString().endsWith(".dump")), "database dumps were written: " + files);
        assertTrue(files.stream().anyMatch(p -> p.toString().endsWith("host.out")), "host logs were written: " + files);
        List<String> secrets = Files.readAllLines(HostFixture.SECRETS.resolve("secrets.txt"));
        List<String> leaks = new ArrayList<>();
        for (Path file : files) leaks.addAll(scan(file, secrets));
        assertFalse(secrets.isEmpty());
        assertTrue(leaks.isEmpty(), "card data found:\n" + String.join("\n", leaks));
    }

    private static List<Path> scannedFiles() throws IOException {
        try (Stream<Path> all = Files.walk(TARGET)) {
            return all.filter(Files::isRegularFile).filter(p -> {
                String s = p.toString();
                return s.contains("/hosts/") && (s.endsWith("host.out") || s.contains("/log/")) || s.endsWith(".dump");
            }).toList();
        }
    }

    private static List<String> scan(Path file, List<String> secrets) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        String withoutTimeFractions = withoutHashes(TIME_FRACTION.matcher(text).replaceAll("$1"));
        List<String> leaks = new ArrayList<>();
        for (String secret : secrets) {
            String[] kindValue = secret.split(" ", 2);
            String value = kindValue[1];
            boolean found = switch (kindValue[0]) {
                case "pan" -> text.contains(value);
                case "pinblock" -> text.toLowerCase().contains(value.toLowerCase());
                // a CVV2 alone is three digits; it leaks when it appears as the value of a CVV2 field
                case "cvv2" -> cvv2Shown(withoutTimeFractions, value.substring(value.indexOf(':') + 1));
                default -> false;
            };
            if (found) leaks.add(file + ": " + kindValue[0] + " ending " + value.substring(Math.max(0, value.length() - 4)).replaceAll(".", "*"));
        }
        Matcher m = OUR_PANS.matcher(text);
        while (m.find()) if (Luhn.luhnValid(m.group())) leaks.add(file + ": a full PAN " + m.group().substring(0, 6) + "…");
        return leaks;
    }

    /** {@code text}: the file with the fractions of its times of day removed (see {@link #TIME_FRACTION}). */
    private static boolean cvv2Shown(String text, String cvv2) {
        return Pattern.compile("(?i)(cvv2?|cvc2?|9203)\\W{0,3}" + cvv2 + "(?!\\d)").matcher(text).find();
    }

    /**
     * Removed before looking for a CVV2: jPOS writes nanoseconds ({@code at="…06:25:56.809203476"}),
     * and "9203" followed by a CVV2's three digits turned up there by chance (a false alarm in CI).
     */
    private static final Pattern TIME_FRACTION = Pattern.compile("(\\d{2}:\\d{2}:\\d{2})[.,]\\d+");

    /**
     * Also removed before looking for a CVV2: hashes written as hex (the journal's request
     * fingerprint in a dump) hold "9203" and three digits by chance, one dump in ten with the
     * hundreds of CVV2s a suite hands out (seen: {@code …c759203892cb…}). A run of 32 or more hex
     * characters with a letter among them is such a hash, never a field's text; a run of digits
     * alone (a TLV field 48 could be one) is kept.
     */
    private static final Pattern HEX_RUN = Pattern.compile("[0-9a-fA-F]{32,}");

    private static String withoutHashes(String text) {
        return HEX_RUN.matcher(text).replaceAll(m -> m.group().chars().allMatch(Character::isDigit) ? m.group() : "#");
    }
}
