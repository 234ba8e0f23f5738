// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.mall;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A mall (merchant) the gateway knows: a partner (affiliated, Flows B and C: pays through the
 * wallet and the HTTP API) or non-affiliated (Flow D: card data through its VAN).
 *
 * @param mallId     the mall identifier the mall sends with every request ({@code [A-Z0-9]{4,16}}),
 *                   also its ISO 8583 card acceptor id (field 42)
 * @param mcc        merchant category code (ISO 18245), four digits
 * @param webhookUrl where payment results are posted, or null for none
 */
public record Mall(String mallId, String name, String mcc, Kind kind, State state, URI webhookUrl, Instant createdAt) {

    public enum Kind { PARTNER, NON_AFFILIATED }

    public enum State { ACTIVE, SUSPENDED }

    public static final Pattern ID = Pattern.compile("[A-Z0-9]{4,16}");
    public static final Pattern MCC = Pattern.compile("[0-9]{4}");
    /** Field 43 carries 22 characters of name; 40 leaves room for the wallet's history. */
    public static final int NAME_MAX = 40;

    public Mall {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(state);
        Objects.requireNonNull(createdAt);
        if (!ID.matcher(Objects.requireNonNull(mallId)).matches()) throw new IllegalArgumentException("mall id must be 4-16 of A-Z 0-9");
        if (!MCC.matcher(Objects.requireNonNull(mcc)).matches()) throw new IllegalArgumentException("MCC must be 4 digits");
        if (name == null || name.isBlank() || name.length() > NAME_MAX) throw new IllegalArgumentException("name must be 1-" + NAME_MAX + " characters");
    }

    public boolean partner() {
        return kind == Kind.PARTNER;
    }

    public boolean active() {
        return state == State.ACTIVE;
    }
}
