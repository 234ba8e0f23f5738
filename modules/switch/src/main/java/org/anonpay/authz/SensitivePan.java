// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import java.util.Objects;

/** A full card number kept in the transaction context; prints only first 6 + last 4. */
public final class SensitivePan {
    private final String pan;

    public SensitivePan(String pan) {
        this.pan = Objects.requireNonNull(pan, "pan");
    }

    /** The full number, for the issuer's look-up and checks only. Never log it. */
    public String reveal() {
        return pan;
    }

    public String masked() {
        return mask(pan);
    }

    public static String mask(String pan) {
        return org.anonpay.iso.IsoMessages.maskPan(pan);
    }

    @Override
    public String toString() {
        return masked();
    }
}
