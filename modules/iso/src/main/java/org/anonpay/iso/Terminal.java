// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

import java.time.ZoneId;

/**
 * Who sends the requests {@link MessageFactory} builds: acquirer (field 32), terminal (41), card acceptor
 * (42, 43), merchant category (18), transaction currency (49, ISO 4217 numeric), the zone of the local
 * time fields (12, 13), and whether it is an e-commerce (mall) terminal (22, 25, 60).
 */
public record Terminal(String acquirerId, String terminalId, String merchantId, String merchantName,
                       String mcc, String currency, ZoneId zone, boolean ecommerce) {
    public static final String DEFAULT_ACQUIRER_ID = "100001";
    public static final String DEFAULT_TERMINAL_ID = "POS00001";
    public static final String DEFAULT_MERCHANT_ID = "MERCHANT0000001";
    public static final String DEFAULT_MERCHANT_NAME = "ANONPAY TEST SHOP        SEOUL        KR";
    public static final String DEFAULT_MCC = "5999";
    public static final String DEFAULT_CURRENCY = "410";
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Seoul");

    public Terminal {
        requireLength("acquirer id", acquirerId, 1, 11);
        if (!Digits.only(acquirerId)) {
            throw new IllegalArgumentException("acquirer id must be digits");
        }
        requireLength("terminal id", terminalId, 1, 8);
        requireLength("merchant id", merchantId, 1, 15);
        requireLength("merchant name/location", merchantName, 0, 40);
        requireDigits("MCC", mcc, 4);
        requireDigits("currency", currency, 3);
        if (zone == null) {
            throw new IllegalArgumentException("zone is required");
        }
    }

    /** A development terminal in Seoul paying in KRW. */
    public static Terminal defaults() {
        return new Terminal(DEFAULT_ACQUIRER_ID, DEFAULT_TERMINAL_ID, DEFAULT_MERCHANT_ID, DEFAULT_MERCHANT_NAME,
                DEFAULT_MCC, DEFAULT_CURRENCY, DEFAULT_ZONE, false);
    }

    public Terminal withAcquirerId(String id) {
        return new Terminal(id, terminalId, merchantId, merchantName, mcc, currency, zone, ecommerce);
    }

    public Terminal withTerminalId(String id) {
        return new Terminal(acquirerId, id, merchantId, merchantName, mcc, currency, zone, ecommerce);
    }

    public Terminal withMerchantId(String id) {
        return new Terminal(acquirerId, terminalId, id, merchantName, mcc, currency, zone, ecommerce);
    }

    public Terminal withMerchantName(String nameLocation) {
        return new Terminal(acquirerId, terminalId, merchantId, nameLocation, mcc, currency, zone, ecommerce);
    }

    public Terminal withMcc(String newMcc) {
        return new Terminal(acquirerId, terminalId, merchantId, merchantName, newMcc, currency, zone, ecommerce);
    }

    public Terminal withCurrency(String numericCurrency) {
        return new Terminal(acquirerId, terminalId, merchantId, merchantName, mcc, numericCurrency, zone, ecommerce);
    }

    public Terminal withZone(ZoneId newZone) {
        return new Terminal(acquirerId, terminalId, merchantId, merchantName, mcc, currency, newZone, ecommerce);
    }

    public Terminal withEcommerce(boolean isEcommerce) {
        return new Terminal(acquirerId, terminalId, merchantId, merchantName, mcc, currency, zone, isEcommerce);
    }

    private static void requireLength(String what, String value, int min, int max) {
        if (value == null || value.length() < min || value.length() > max) {
            throw new IllegalArgumentException(what + " must be " + min + " to " + max + " characters");
        }
    }

    private static void requireDigits(String what, String value, int length) {
        if (value == null || value.length() != length || !Digits.only(value)) {
            throw new IllegalArgumentException(what + " must be " + length + " digits");
        }
    }
}
