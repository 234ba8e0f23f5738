// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jpos.iso.ISOComponent;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISOPackager;

/** Helpers over received and built messages: malformed marks, and a card-data-safe dump for people. */
public final class IsoMessages {
    /** Fields whose whole value is safe to show: no card secret, no card number. */
    private static final Set<Integer> PLAIN_FIELDS = Set.of(
            3, 4, 7, 11, 12, 13, 14, 15, 18, 22, 25, 32, 33, 37, 38, 39, 41, 42, 43, 44, 49, 53, 54, 60, 70, 90, 95);
    /** A digit run as long as a PAN, standing alone. */
    private static final Pattern PAN_LIKE = Pattern.compile("(?<!\\d)\\d{13,19}(?!\\d)");
    private static final int MAX_FIELD = 128;

    private IsoMessages() {
    }

    /** True when {@code m} was received by {@link AnonpayChannel} from a frame that did not unpack cleanly. */
    public static boolean isMalformed(ISOMsg m) {
        return m instanceof MalformedAwareMsg mm && mm.malformed();
    }

    public static Optional<String> failureReason(ISOMsg m) {
        return m instanceof MalformedAwareMsg mm ? mm.failureReason() : Optional.empty();
    }

    /** The MTI when present and four digits; a malformed frame whose MTI could not be read gives empty. */
    public static Optional<String> readableMti(ISOMsg m) {
        return Optional.ofNullable(m.getString(Field.MTI)).filter(Mti::isValid);
    }

    /**
     * A multi-line dump for humans: one line per field with its number, name and a protected value.
     * PAN and track 2 show the first 6 and last 4 digits, the PIN block only its length, the CVV2 in
     * field 48 as {@code ***}; other card data (tracks 1/3, ICC data, binary fields) only its length.
     */
    public static String describe(ISOMsg m) {
        StringBuilder sb = new StringBuilder();
        sb.append("MTI ").append(Optional.ofNullable(m.getString(Field.MTI)).map(IsoMessages::printable).orElse("(none)"));
        failureReason(m).ifPresent(reason -> sb.append("  MALFORMED: ").append(reason));
        sb.append('\n');
        for (int fieldNo = 2; fieldNo <= MAX_FIELD; fieldNo++) {
            if (m.hasField(fieldNo)) {
                sb.append(String.format("  %3d %-42s %s%n", fieldNo, fieldName(m, fieldNo), protectedValue(m, fieldNo)));
            }
        }
        return sb.toString();
    }

    /** First 6 and last 4 digits of a PAN of 13 or more characters; shorter values are masked entirely. */
    public static String maskPan(String pan) {
        if (pan == null) {
            return "";
        }
        if (pan.length() < 13) {
            return "*".repeat(pan.length());
        }
        return pan.substring(0, 6) + "*".repeat(pan.length() - 10) + pan.substring(pan.length() - 4);
    }

    /** Track 2: the PAN before the separator masked as {@link #maskPan}, everything after it hidden. */
    public static String maskTrack2(String track2) {
        if (track2 == null) {
            return "";
        }
        int separator = indexOfSeparator(track2);
        if (separator < 0) {
            return maskPan(track2);
        }
        return maskPan(track2.substring(0, separator)) + track2.charAt(separator) + "*".repeat(track2.length() - separator - 1);
    }

    private static String protectedValue(ISOMsg m, int fieldNo) {
        ISOComponent c = m.getComponent(fieldNo);
        Object value = c == null ? null : safeValue(c);
        if (value instanceof byte[] bytes) {
            return fieldNo == Field.PIN_BLOCK ? "[PIN block, " + bytes.length + " bytes]" : "[binary, " + bytes.length + " bytes]";
        }
        String text = value == null ? "" : value.toString();
        return switch (fieldNo) {
            case Field.PAN -> maskPan(text);
            case Field.TRACK2 -> maskTrack2(text);
            case Field.PIN_BLOCK -> "[PIN block, " + text.length() + " chars]";
            case Field.ADDITIONAL_DATA -> AdditionalData.parse(text).map(AdditionalData::masked)
                    .orElse("[" + text.length() + " chars, not tag-length-value]");
            case 34 -> maskPan(text);
            case 36, Field.TRACK1 -> "[track data, " + text.length() + " chars]";
            case Field.ICC_DATA -> "[ICC data, " + text.length() + " chars]";
            default -> PLAIN_FIELDS.contains(fieldNo) ? printable(text) : printable(maskPanLikeRuns(text));
        };
    }

    private static Object safeValue(ISOComponent c) {
        try {
            return c.getValue();
        } catch (Exception e) {
            return null;
        }
    }

    /** Fields anonpay does not know could carry a card number; mask any PAN-length digit run in them. */
    private static String maskPanLikeRuns(String text) {
        Matcher matcher = PAN_LIKE.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(sb, Matcher.quoteReplacement(maskPan(matcher.group())));
        }
        matcher.appendTail(sb);
        return sb.toString();
    }

    private static String fieldName(ISOMsg m, int fieldNo) {
        ISOPackager packager = m.getPackager() != null ? m.getPackager() : AnonpayPackager.load();
        String name = packager.getFieldDescription(m, fieldNo);
        return name == null ? "" : name.toLowerCase();
    }

    private static int indexOfSeparator(String track2) {
        for (int i = 0; i < track2.length(); i++) {
            char ch = track2.charAt(i);
            if (ch == '=' || ch == 'D' || ch == 'd') {
                return i;
            }
        }
        return -1;
    }

    /** Control characters would garble a terminal; show them as '.'. */
    private static String printable(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> sb.appendCodePoint(Character.isISOControl(cp) ? '.' : cp));
        return sb.toString();
    }
}
