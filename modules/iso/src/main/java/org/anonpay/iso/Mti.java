// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

/**
 * Message type indicator arithmetic for ISO 8583:1987 (version digit 0).
 * Positions: version, class, function (0 request, 1 request response, 2 advice, 3 advice response,
 * 4 notification...), origin (0 acquirer, 1 acquirer repeat, 2 issuer, 3 issuer repeat).
 */
public final class Mti {
    public static final String AUTHORIZATION = "0100";
    public static final String AUTHORIZATION_ADVICE = "0120";
    public static final String FINANCIAL = "0200";
    public static final String FINANCIAL_ADVICE = "0220";
    public static final String REVERSAL = "0400";
    public static final String REVERSAL_ADVICE = "0420";
    public static final String NETWORK = "0800";

    private Mti() {
    }

    /** Four digits. Says nothing about whether anonpay handles the type. */
    public static boolean isValid(String mti) {
        return mti != null && mti.length() == 4 && mti.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** A request or advice (function digit even), as opposed to a response. */
    public static boolean isRequest(String mti) {
        requireValid(mti);
        return (digit(mti, 2) % 2) == 0;
    }

    public static boolean isResponse(String mti) {
        return !isRequest(mti);
    }

    /** A repeat: the origin digit is odd (0201, 0401, 0421...). */
    public static boolean isRepeat(String mti) {
        requireValid(mti);
        return (digit(mti, 3) % 2) == 1;
    }

    /** The MTI without the repeat mark: 0401 → 0400, 0221 → 0220; a non-repeat is returned as is. */
    public static String baseMti(String mti) {
        return isRepeat(mti) ? withDigit(mti, 3, digit(mti, 3) - 1) : mti;
    }

    /** The repeat of a request: 0200 → 0201. */
    public static String repeatOf(String mti) {
        if (!isRequest(mti)) {
            throw new IllegalArgumentException("only requests and advices are repeated: " + mti);
        }
        return isRepeat(mti) ? mti : withDigit(mti, 3, digit(mti, 3) + 1);
    }

    /** The response to a request or its repeat: 0200 → 0210, 0201 → 0210, 0420 → 0430. */
    public static String responseMti(String mti) {
        if (!isRequest(mti)) {
            throw new IllegalArgumentException("a response has no response MTI: " + mti);
        }
        String base = baseMti(mti);
        return withDigit(base, 2, digit(base, 2) + 1);
    }

    private static void requireValid(String mti) {
        if (!isValid(mti)) {
            throw new IllegalArgumentException("MTI must be 4 digits");
        }
    }

    private static int digit(String mti, int position) {
        return mti.charAt(position) - '0';
    }

    private static String withDigit(String mti, int position, int value) {
        assert value >= 0 && value <= 9 : "MTI digit out of range";
        char[] chars = mti.toCharArray();
        chars[position] = (char) ('0' + value);
        return new String(chars);
    }
}
