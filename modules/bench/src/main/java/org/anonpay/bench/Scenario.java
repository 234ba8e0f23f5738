// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.util.Arrays;
import java.util.Optional;

/**
 * What one pick of the mix sends. Each scenario starts with exactly one authorization (0100 or
 * 0200), so scenarios per second = authorizations per second, and --rate paces scenarios.
 */
enum Scenario {
    /** 0200 purchase. */
    PURCHASE("purchase"),
    /** 0100 authorization, then 0220 completion of it (or, if the completion is refused, 0400 of the hold). */
    AUTH_COMPLETION("auth-completion"),
    /** 0200 purchase, then 0400 reversal of it when it was approved. */
    REVERSAL("reversal"),
    /** 0800 echo: the framework ceiling only. */
    ECHO("echo");

    private final String label;

    Scenario(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    static Optional<Scenario> byLabel(String label) {
        return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst();
    }
}
