// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

import java.util.Optional;

import org.jpos.iso.ISOMsg;

/**
 * Field 90 (original data elements, n42) of a reversal (0400/0420) or completion (0220): it names the
 * message it refers to.
 *
 * <pre>
 *   positions  1-4   original MTI
 *              5-10  original STAN (field 11)
 *             11-20  original transmission date and time (field 7, MMDDhhmmss)
 *             21-31  original acquirer id (field 32), right-justified, zero-filled
 *             32-42  original forwarding institution id (field 33), zeros when none
 * </pre>
 *
 * Institution ids are held in their 11-digit zero-filled form; compare a field 32 with
 * {@link #normalizeInstitution(String)} of it.
 */
public record OriginalData(String mti, String stan, String transmissionTime, String acquirerId, String forwardingId) {
    public static final int LENGTH = 42;
    private static final int INSTITUTION_DIGITS = 11;
    private static final String NO_INSTITUTION = "0".repeat(INSTITUTION_DIGITS);

    public OriginalData {
        requireDigits("original MTI", mti, 4);
        requireDigits("original STAN", stan, 6);
        requireDigits("original transmission time", transmissionTime, 10);
        acquirerId = normalizeInstitution(acquirerId);
        forwardingId = forwardingId == null ? NO_INSTITUTION : normalizeInstitution(forwardingId);
    }

    /** Original data without a forwarding institution. */
    public static OriginalData of(String mti, String stan, String transmissionTime, String acquirerId) {
        return new OriginalData(mti, stan, transmissionTime, acquirerId, NO_INSTITUTION);
    }

    /** The original data naming {@code original} (fields 0, 11, 7, 32 and 33 when present). */
    public static OriginalData of(ISOMsg original) {
        return new OriginalData(original.getString(Field.MTI), original.getString(Field.STAN),
                original.getString(Field.TRANSMISSION_TIME), original.getString(Field.ACQUIRER_ID),
                original.getString(Field.FORWARDING_ID));
    }

    /** Empty when the text is not 42 digits; the switch then answers 30 (format error). */
    public static Optional<OriginalData> parse(String field90) {
        if (field90 == null || field90.length() != LENGTH || !Digits.only(field90)) {
            return Optional.empty();
        }
        return Optional.of(new OriginalData(field90.substring(0, 4), field90.substring(4, 10),
                field90.substring(10, 20), field90.substring(20, 31), field90.substring(31, 42)));
    }

    /** Reads field 90 of {@code m}; empty when absent or malformed. */
    public static Optional<OriginalData> from(ISOMsg m) {
        return parse(m.getString(Field.ORIGINAL_DATA));
    }

    public String format() {
        return mti + stan + transmissionTime + acquirerId + forwardingId;
    }

    /** An institution id (field 32/33, up to 11 digits) in its zero-filled 11-digit field 90 form. */
    public static String normalizeInstitution(String institutionId) {
        if (institutionId == null || institutionId.isEmpty() || institutionId.length() > INSTITUTION_DIGITS
                || !Digits.only(institutionId)) {
            throw new IllegalArgumentException("institution id must be 1 to 11 digits");
        }
        return "0".repeat(INSTITUTION_DIGITS - institutionId.length()) + institutionId;
    }

    /**
     * Whether two institution ids name the same institution: field 90 zero-fills them to 11 digits, so
     * "100001" in field 32 and "00000100001" in field 90 are equal. Use this (or normalize both sides)
     * when matching a reversal or completion to its original; a plain string compare would miss.
     */
    public static boolean sameInstitution(String a, String b) {
        return normalizeInstitution(a).equals(normalizeInstitution(b));
    }

    private static void requireDigits(String what, String value, int length) {
        if (value == null || value.length() != length || !Digits.only(value)) {
            throw new IllegalArgumentException(what + " must be " + length + " digits");
        }
    }

}
