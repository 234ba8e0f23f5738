// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

/** ISO 8583:1987 data element numbers anonpay uses. Formats and use per MTI: docs/iso8583.md. */
public final class Field {
    public static final int MTI = 0;
    public static final int BITMAP = 1;
    public static final int PAN = 2;
    public static final int PROCESSING_CODE = 3;
    public static final int AMOUNT = 4;
    public static final int TRANSMISSION_TIME = 7;
    public static final int STAN = 11;
    public static final int LOCAL_TIME = 12;
    public static final int LOCAL_DATE = 13;
    public static final int EXPIRY = 14;
    public static final int SETTLEMENT_DATE = 15;
    public static final int MCC = 18;
    public static final int POS_ENTRY_MODE = 22;
    public static final int POS_CONDITION = 25;
    public static final int ACQUIRER_ID = 32;
    public static final int FORWARDING_ID = 33;
    public static final int TRACK2 = 35;
    public static final int RRN = 37;
    public static final int APPROVAL_CODE = 38;
    public static final int RESPONSE_CODE = 39;
    public static final int TERMINAL_ID = 41;
    public static final int MERCHANT_ID = 42;
    public static final int MERCHANT_NAME_LOCATION = 43;
    public static final int ADDITIONAL_RESPONSE_DATA = 44;
    public static final int TRACK1 = 45;
    public static final int ADDITIONAL_DATA = 48;
    public static final int CURRENCY = 49;
    public static final int PIN_BLOCK = 52;
    public static final int SECURITY_CONTROL = 53;
    public static final int ADDITIONAL_AMOUNTS = 54;
    public static final int ICC_DATA = 55;
    public static final int PRIVATE_60 = 60;
    public static final int NETWORK_MANAGEMENT_CODE = 70;
    public static final int ORIGINAL_DATA = 90;
    public static final int REPLACEMENT_AMOUNTS = 95;

    private Field() {
    }
}
