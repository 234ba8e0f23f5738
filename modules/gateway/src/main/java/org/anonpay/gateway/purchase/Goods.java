// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.purchase;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The list of goods of a purchase (patent b4/b6): what the wallet program read from the mall's
 * page and what the mall's approval request names. Two lists are the same purchase when they hold
 * the same items in any order; {@link #canonical()} and {@link #digest()} are order-free.
 */
public record Goods(List<Item> items) {

    public static final int MAX_ITEMS = 100;
    public static final int NAME_MAX = 100;

    /** @param unitPriceMinor minor units of the purchase's currency */
    public record Item(String name, int quantity, long unitPriceMinor) {
        public Item {
            Objects.requireNonNull(name);
            if (name.isBlank() || name.codePointCount(0, name.length()) > NAME_MAX) throw new IllegalArgumentException("item name must be 1-" + NAME_MAX + " characters");
            if (quantity < 1 || quantity > 9999) throw new IllegalArgumentException("quantity must be 1-9999");
            if (unitPriceMinor < 0) throw new IllegalArgumentException("unit price must not be negative");
            name = name.strip();
        }

        long lineTotalMinor() {
            return Math.multiplyExact(quantity, unitPriceMinor);
        }
    }

    private static final Comparator<Item> ORDER = Comparator.comparing(Item::name).thenComparingInt(Item::quantity)
            .thenComparingLong(Item::unitPriceMinor);

    public Goods {
        if (items == null || items.isEmpty() || items.size() > MAX_ITEMS) throw new IllegalArgumentException("1-" + MAX_ITEMS + " items");
        items = items.stream().sorted(ORDER).toList();
    }

    public static Goods of(Item... items) {
        return new Goods(List.of(items));
    }

    /** Σ quantity × unit price; ArithmeticException on overflow (a request that large is refused). */
    public long totalMinor() {
        long total = 0;
        for (Item item : items) total = Math.addExact(total, item.lineTotalMinor());
        return total;
    }

    /** One line per item, sorted, fields separated by a tab (names cannot hold one: see the parsers). */
    public String canonical() {
        StringBuilder s = new StringBuilder();
        for (Item item : items) {
            s.append(item.name().replace('\t', ' ').replace('\n', ' ')).append('\t').append(item.quantity()).append('\t')
                    .append(item.unitPriceMinor()).append('\n');
        }
        return s.toString();
    }

    /** SHA-256 of {@link #canonical()}: compared instead of the lists, and stored beside them. */
    public byte[] digest() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link #digest()} in lower-case hex, as it travels in ISO 8583 field 48 (tag 96). */
    public String digestHex() {
        return java.util.HexFormat.of().formatHex(digest());
    }

    /** The inverse of {@link #canonical()}. */
    public static Goods parseCanonical(String canonical) {
        return new Goods(canonical.lines().map(line -> {
            String[] f = line.split("\t", -1);
            if (f.length != 3) throw new IllegalArgumentException("not a canonical goods line");
            return new Item(f[0], Integer.parseInt(f[1]), Long.parseLong(f[2]));
        }).toList());
    }
}
