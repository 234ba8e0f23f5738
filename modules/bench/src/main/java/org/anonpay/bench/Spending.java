// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the driver saw approved, per card index: the net spending (purchases and completions
 * approved, less purchases reversed), and whether some message's outcome stayed unknown.
 * Shared by all connections (hot cards are used by all of them at once).
 */
final class Spending {
    private final AtomicLongArray net;
    private final AtomicIntegerArray uncertain;

    Spending(int cards) {
        net = new AtomicLongArray(cards);
        uncertain = new AtomicIntegerArray(cards);
    }

    void spent(int card, long amount) {
        net.addAndGet(card, amount);
    }

    void refunded(int card, long amount) {
        net.addAndGet(card, -amount);
    }

    void unknownOutcome(int card) {
        uncertain.set(card, 1);
    }

    long[] netSnapshot() {
        long[] copy = new long[net.length()];
        for (int i = 0; i < copy.length; i++) copy[i] = net.get(i);
        return copy;
    }

    boolean[] uncertainSnapshot() {
        boolean[] copy = new boolean[uncertain.length()];
        for (int i = 0; i < copy.length; i++) copy[i] = uncertain.get(i) != 0;
        return copy;
    }
}
