// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.demomall;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A visitor's cart, kept on the shop's server under the visitor's session cookie. */
final class Cart {

    static final int MAX_QUANTITY = 20;

    /** One line: a product and how many. */
    record Line(Product product, int quantity) {
        long amount() {
            return product.priceKrw() * quantity;
        }
    }

    private final Map<String, Line> lines = new LinkedHashMap<>();

    synchronized void add(Product product, int quantity) {
        Line old = lines.get(product.id());
        int total = Math.min(MAX_QUANTITY, (old == null ? 0 : old.quantity()) + quantity);
        lines.put(product.id(), new Line(product, total));
    }

    synchronized void remove(String productId) {
        lines.remove(productId);
    }

    synchronized void clear() {
        lines.clear();
    }

    synchronized List<Line> lines() {
        return new ArrayList<>(lines.values());
    }

    synchronized boolean isEmpty() {
        return lines.isEmpty();
    }

    static long total(List<Line> lines) {
        return lines.stream().mapToLong(Line::amount).sum();
    }
}
