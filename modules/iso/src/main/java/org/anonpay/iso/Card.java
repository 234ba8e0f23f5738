// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

/**
 * The card data a terminal puts in a request: PAN (field 2), and when known expiry YYMM (14),
 * CVV2 (48 tag 92) and the encrypted PIN block (52). Absent parts are null.
 * {@link #toString()} never shows the PAN, CVV2 or PIN block.
 */
public record Card(String pan, String expiry, String cvv2, byte[] pinBlock) {
    public Card {
        if (pan == null || pan.isEmpty() || pan.length() > 19 || !Digits.only(pan)) {
            throw new IllegalArgumentException("PAN must be 1 to 19 digits");
        }
        if (expiry != null && (expiry.length() != 4 || !Digits.only(expiry))) {
            throw new IllegalArgumentException("expiry must be YYMM");
        }
        if (pinBlock != null && pinBlock.length != PinBlocks.BLOCK_BYTES) {
            throw new IllegalArgumentException("a PIN block is 8 bytes");
        }
        pinBlock = pinBlock == null ? null : pinBlock.clone();
    }

    public static Card ofPan(String pan) {
        return new Card(pan, null, null, null);
    }

    public Card withExpiry(String yymm) {
        return new Card(pan, yymm, cvv2, pinBlock);
    }

    public Card withCvv2(String newCvv2) {
        return new Card(pan, expiry, newCvv2, pinBlock);
    }

    public Card withPinBlock(byte[] encryptedPinBlock) {
        return new Card(pan, expiry, cvv2, encryptedPinBlock);
    }

    /** Only PAN and expiry: what reversals and completions carry (no PIN, no CVV2). */
    public Card withoutSecrets() {
        return new Card(pan, expiry, null, null);
    }

    @Override
    public byte[] pinBlock() {
        return pinBlock == null ? null : pinBlock.clone();
    }

    @Override
    public String toString() {
        return "Card[pan=" + IsoMessages.maskPan(pan) + ", expiry=" + expiry
                + ", cvv2=" + (cvv2 == null ? "none" : "***") + ", pinBlock=" + (pinBlock == null ? "none" : "present") + "]";
    }
}
