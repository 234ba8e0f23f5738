// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

/**
 * What a partner mall's approval request (MISSION.md b6) says about the purchase, as it travels in
 * field 48 of a wallet payment: no card data and nothing personal.
 *
 * @param purchaseRef    the opaque reference the wallet gave the mall's page ({@code pur_…})
 * @param customerRef    the customer's identifier at the mall
 * @param orderId        the mall's order id
 * @param goodsDigestHex SHA-256 of the list of goods in canonical form, 64 lower-case hex digits
 */
public record WalletPayment(String purchaseRef, String customerRef, String orderId, String goodsDigestHex) {

    /** A field 48 value is at most 99 characters; these leave the whole field far below 999. */
    public static final int MAX_TEXT = 64;

    public WalletPayment {
        requireText(purchaseRef, "purchaseRef");
        requireText(customerRef, "customerRef");
        requireText(orderId, "orderId");
        if (goodsDigestHex == null || !goodsDigestHex.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("goods digest must be 64 hex digits");
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isEmpty() || value.length() > MAX_TEXT) throw new IllegalArgumentException(name + " must be 1-" + MAX_TEXT + " characters");
        if (!value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) throw new IllegalArgumentException(name + " must be printable ASCII");
    }
}
