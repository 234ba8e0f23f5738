// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.tools;

import java.math.BigDecimal;
import java.util.Currency;

/** Minor units shown in major units with the currency's decimals. */
final class Money {
    private Money() {}

    static String major(long minor, String currency) {
        int digits;
        try {
            digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (IllegalArgumentException e) {
            digits = 2;
        }
        return BigDecimal.valueOf(minor, digits).toPlainString();
    }
}
