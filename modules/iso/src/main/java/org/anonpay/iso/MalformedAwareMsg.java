// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jpos.iso.IFA_AMOUNT;
import org.jpos.iso.IFA_LLLNUM;
import org.jpos.iso.IFA_LLNUM;
import org.jpos.iso.IFA_NUMERIC;
import org.jpos.iso.ISOBasePackager;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOFieldPackager;
import org.jpos.iso.ISOMsg;

/**
 * An incoming message that survives a bad image. {@link AnonpayChannel} creates one for every frame it
 * receives, so a frame that does not unpack still reaches the request listener instead of ending the
 * session with an exception.
 *
 * <p>When the image is bad, {@link #unpack(byte[])} does not throw: it keeps the fields that unpacked
 * before the failure (usually the MTI, often STAN and terminal id), drops fields whose content breaks
 * their numeric format (so a garbage MTI is absent rather than echoed), and records the reason.
 * A message is malformed when
 * <ul>
 *   <li>a field does not unpack (truncated frame, bitmap naming absent fields, bad length prefix),</li>
 *   <li>bytes remain after the last field the bitmap names, or</li>
 *   <li>a numeric field ({@code n}, {@code n..}, {@code x+n}) holds something other than digits.</li>
 * </ul>
 *
 * <p>The mark belongs to this object: a clone keeps it (so ProtectedLogListener's protected copy still
 * shows it), {@link #setResponseMTI()} clears it (the response is a new message), packing ignores it,
 * and Java serialization loses it.
 */
public class MalformedAwareMsg extends ISOMsg {
    private static final Pattern LONG_DIGIT_RUN = Pattern.compile("\\d{7,}");
    private static final int MAX_FIELD = 128;

    private String failureReason; // null while the message is well formed

    public MalformedAwareMsg() {
        super();
    }

    @Override
    public int unpack(byte[] image) throws ISOException {
        failureReason = null;
        int consumedBytes;
        try {
            consumedBytes = super.unpack(image);
        } catch (ISOException e) {
            markMalformed(redacted(e.getMessage()));
            dropNonNumericFields();
            return image.length;
        }
        if (consumedBytes != image.length) {
            markMalformed((image.length - consumedBytes) + " bytes after the last field named by the bitmap");
        }
        List<Integer> badFields = dropNonNumericFields();
        if (!badFields.isEmpty()) {
            markMalformed("non-numeric content in numeric field(s) " + badFields);
        }
        return consumedBytes;
    }

    public boolean malformed() {
        return failureReason != null;
    }

    /** Why the image did not unpack; never contains field content. Empty when well formed. */
    public Optional<String> failureReason() {
        return Optional.ofNullable(failureReason);
    }

    /** Lets a filter or listener reject a message that unpacked but breaks a rule of its own. */
    public void markMalformed(String reason) {
        assert reason != null && !reason.isBlank() : "a malformed mark needs a reason";
        failureReason = failureReason == null ? reason : failureReason + "; " + reason;
    }

    /** A response built from a received message (clone + setResponseMTI) is a new, well-formed message. */
    @Override
    public void setResponseMTI() throws ISOException {
        super.setResponseMTI();
        failureReason = null;
    }

    /** Logs of the received message say why it was malformed; outgoing copies do not repeat it. */
    @Override
    public void dump(PrintStream p, String indent) {
        if (failureReason != null && getDirection() != OUTGOING) {
            p.println(indent + "<!-- malformed: " + failureReason.replace("--", "- -") + " -->");
        }
        super.dump(p, indent);
    }

    /** Removes and names the numeric fields whose content is not digits: their value cannot be trusted or echoed. */
    private List<Integer> dropNonNumericFields() {
        List<Integer> badFields = new ArrayList<>();
        if (!(getPackager() instanceof ISOBasePackager packager)) {
            return badFields;
        }
        for (int fieldNo = 0; fieldNo <= MAX_FIELD; fieldNo++) {
            if (fieldNo == 1 || !hasField(fieldNo) || isNumericContent(packager.getFieldPackager(fieldNo), getString(fieldNo))) {
                continue;
            }
            unset(fieldNo);
            badFields.add(fieldNo);
        }
        return badFields;
    }

    private static boolean isNumericContent(ISOFieldPackager fieldPackager, String value) {
        if (value == null) {
            return true; // binary fields have no string value and no digit rule
        }
        if (fieldPackager instanceof IFA_NUMERIC || fieldPackager instanceof IFA_LLNUM || fieldPackager instanceof IFA_LLLNUM) {
            return Digits.only(value);
        }
        if (fieldPackager instanceof IFA_AMOUNT) {
            return value.length() > 1 && (value.charAt(0) == 'C' || value.charAt(0) == 'D') && Digits.only(value.substring(1));
        }
        return true;
    }


    /** jPOS exception texts can quote field content (a PAN among it); keep the reason free of long digit runs. */
    private static String redacted(String message) {
        String text = message == null ? "image does not unpack" : message;
        return LONG_DIGIT_RUN.matcher(text).replaceAll("[digits]");
    }
}
