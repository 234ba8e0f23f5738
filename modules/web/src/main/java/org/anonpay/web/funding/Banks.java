// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.funding;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/** The banks whose accounts members may add (cfg/web/banks.properties: {@code code=Korean name|English name}). */
public final class Banks {

    /** One bank by its 3-digit Korean bank code. */
    public record Bank(String code, String nameKo, String nameEn) {}

    private final Map<String, Bank> byCode;

    private Banks(Map<String, Bank> byCode) {
        this.byCode = Map.copyOf(byCode);
    }

    /** Read at start: a bad line stops the start rather than hiding a bank from members. */
    public static Banks load(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        Map<String, Bank> banks = new TreeMap<>();
        for (String code : p.stringPropertyNames()) {
            String[] names = p.getProperty(code).split("\\|", -1);
            if (!code.matches("\\d{3}") || names.length != 2 || names[0].isBlank() || names[1].isBlank()) {
                throw new IllegalStateException(file + ": expected <3-digit code>=<Korean name>|<English name> at " + code);
            }
            banks.put(code, new Bank(code, names[0].trim(), names[1].trim()));
        }
        return new Banks(banks);
    }

    public Optional<Bank> byCode(String code) {
        return Optional.ofNullable(byCode.get(code));
    }

    /** By code. */
    public List<Bank> all() {
        return new TreeMap<>(byCode).values().stream().toList();
    }
}
