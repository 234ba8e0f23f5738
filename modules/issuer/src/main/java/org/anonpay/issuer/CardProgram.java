// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import java.util.Currency;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A card program: which card numbers belong to it, in which currency its cards keep their
 * balance, and the limits the authorization host applies. Read from one file in
 * {@code cfg/programs}. Amounts are {@code long} minor units of {@link #currency()}.
 *
 * @param binRange            8-digit BIN prefixes of the program's card numbers
 * @param validityMonths      months from issuance to the card's expiry month
 * @param maxBalance          most a card may hold (a load past it is refused)
 * @param limitPerTransaction most one authorization may take
 * @param limitDaily          most a card may spend in one day
 * @param allowCash           whether processing code 01 (cash) is allowed
 * @param pinTriesMax         consecutive wrong PINs that block PIN use until ops unblock it
 */
public record CardProgram(String id, String name, BinRange binRange, int panLength, Currency currency,
                          int validityMonths, long maxBalance, long limitPerTransaction, long limitDaily,
                          boolean allowCash, int pinTriesMax) {

    /** Matches the card.program_id column (VARCHAR(32)). */
    private static final Pattern ID = Pattern.compile("[A-Z0-9][A-Z0-9_-]{0,31}");
    static final int DEFAULT_PIN_TRIES_MAX = 3;
    static final int DEFAULT_PAN_LENGTH = 16;

    /** Every key a program file may have; anything else is a typo and refused. */
    static final Set<String> KEYS = new LinkedHashSet<>(java.util.List.of(
            "id", "name", "bin.range", "pan.length", "currency", "validity.months", "max.balance",
            "limit.per.transaction", "limit.daily", "allow.cash", "pin.tries.max"));

    public CardProgram {
        Objects.requireNonNull(binRange, "binRange");
        Objects.requireNonNull(currency, "currency");
        require(id != null && ID.matcher(id).matches(), "id must be 1-32 of A-Z 0-9 _ - starting with a letter or digit: " + id);
        require(name != null && !name.isBlank(), "name is missing");
        // prefix, at least one random digit, check digit
        require(panLength >= BinRange.PREFIX_DIGITS + 2 && panLength <= 19, "pan.length must be 10-19: " + panLength);
        require(currency.getDefaultFractionDigits() >= 0, "currency " + currency + " has no minor unit: not a money currency");
        require(validityMonths >= 1 && validityMonths <= 120, "validity.months must be 1-120: " + validityMonths);
        require(maxBalance > 0, "max.balance must be positive");
        require(limitPerTransaction > 0, "limit.per.transaction must be positive");
        require(limitDaily >= limitPerTransaction, "limit.daily must be at least limit.per.transaction");
        require(pinTriesMax >= 1 && pinTriesMax <= 9, "pin.tries.max must be 1-9: " + pinTriesMax);
    }

    /** Reads a program from the properties of one file; {@code source} names the file in messages. */
    public static CardProgram fromProperties(Properties p, String source) {
        try {
            refuseUnknownKeys(p);
            return new CardProgram(
                    required(p, "id"), required(p, "name"), BinRange.parse(required(p, "bin.range")),
                    intValue(p, "pan.length", DEFAULT_PAN_LENGTH), currency(required(p, "currency")),
                    intValue(p, "validity.months", null), longValue(p, "max.balance"),
                    longValue(p, "limit.per.transaction"), longValue(p, "limit.daily"),
                    booleanValue(p, "allow.cash"), intValue(p, "pin.tries.max", DEFAULT_PIN_TRIES_MAX));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /** True when {@code pan} has this program's length and its BIN prefix is in the range. */
    public boolean covers(String pan) {
        return pan != null && pan.length() == panLength && binRange.contains(pan);
    }

    /** ISO 4217 alpha code, e.g. "KRW": the ledger's currency of the program's card accounts. */
    public String currencyCode() {
        return currency.getCurrencyCode();
    }

    /** ISO 4217 numeric code as three digits, e.g. "410": ISO 8583 field 49. */
    public String currencyNumeric() {
        return String.format("%03d", currency.getNumericCode());
    }

    /** Digits after the decimal point of the currency (KRW 0, USD 2). */
    public int fractionDigits() {
        return currency.getDefaultFractionDigits();
    }

    private static void refuseUnknownKeys(Properties p) {
        Set<String> unknown = new TreeSet<>(p.stringPropertyNames());
        unknown.removeAll(KEYS);
        require(unknown.isEmpty(), "unknown keys " + unknown + " (allowed: " + KEYS + ")");
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        require(value != null && !value.isBlank(), key + " is missing");
        return value.trim();
    }

    private static Currency currency(String code) {
        try {
            return Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("currency must be an ISO 4217 alpha code such as KRW: " + code);
        }
    }

    private static int intValue(Properties p, String key, Integer fallback) {
        String value = p.getProperty(key);
        if ((value == null || value.isBlank()) && fallback != null) return fallback;
        try {
            return Integer.parseInt(required(p, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number: " + value);
        }
    }

    private static long longValue(Properties p, String key) {
        String value = required(p, key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number of minor units: " + value);
        }
    }

    private static boolean booleanValue(Properties p, String key) {
        String value = required(p, key);
        require(value.equals("true") || value.equals("false"), key + " must be true or false: " + value);
        return Boolean.parseBoolean(value);
    }

    private static void require(boolean condition, String message) {
        if (!condition) throw new IllegalArgumentException(message);
    }
}
