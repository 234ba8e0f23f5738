// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.funding;

import org.anonpay.web.Fields;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.anonpay.issuer.CardPrograms;
import org.anonpay.issuer.Luhn;
import org.anonpay.web.ApiException;
import org.anonpay.web.ErrorCode;
import org.anonpay.web.FieldError;

/**
 * A funding source as the member adds it, checked field by field before anything is sent or
 * stored. {@code number} is the PAN or the account number (hyphens and spaces removed); never in
 * {@link #toString()}. The CVV2 is here only to be sent once in the ownership verification.
 */
record SourceForm(FundingKind kind, String number, String expiryYymm, String cvv2, String bankCode, String holderName, String label) {

    static final Set<String> CARD_FIELDS = Set.of("kind", "pan", "expiry", "cvv2", "label");
    static final Set<String> ACCOUNT_FIELDS = Set.of("kind", "bankCode", "accountNumber", "holderName", "label");
    static final int LABEL_MAX = 30;
    static final int HOLDER_NAME_MAX = 30;
    static final int ACCOUNT_MIN_DIGITS = 10;
    static final int ACCOUNT_MAX_DIGITS = 14;

    @Override
    public String toString() {
        return "SourceForm[" + kind + ", " + masked() + "]";
    }

    /** Card: first 6 and last 4 ({@code 411111******1111}); account: last 4 only ({@code ******5678}). */
    String masked() {
        if (kind == FundingKind.CREDIT_CARD) return number.substring(0, 6) + "******" + number.substring(number.length() - 4);
        return "******" + number.substring(number.length() - 4);
    }

    /** What the look-up hash is made of: the same PAN, or the same account at the same bank. */
    String identity() {
        return kind == FundingKind.CREDIT_CARD ? number : bankCode + ":" + number;
    }

    /** @throws ApiException 400 with every field error */
    static SourceForm parse(ObjectNode body, CardPrograms programs, Banks banks, YearMonth thisMonth) {
        List<FieldError> errors = new ArrayList<>();
        FundingKind kind = kind(body, errors);
        if (kind == null) {
            throw new ApiException(errors);
        }
        SourceForm form = kind == FundingKind.CREDIT_CARD ? card(body, programs, thisMonth, errors) : account(body, banks, errors);
        Fields.unknownFields(body, kind == FundingKind.CREDIT_CARD ? CARD_FIELDS : ACCOUNT_FIELDS, errors);
        if (!errors.isEmpty()) throw new ApiException(errors);
        return form;
    }

    private static FundingKind kind(ObjectNode body, List<FieldError> errors) {
        String kind = Fields.text(body, "kind", errors);
        if (kind == null) return null;
        try {
            return FundingKind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            return Fields.fail(errors, ErrorCode.INVALID_VALUE, "kind");
        }
    }

    private static SourceForm card(ObjectNode body, CardPrograms programs, YearMonth thisMonth, List<FieldError> errors) {
        String pan = pan(body, programs, errors);
        String expiry = expiry(body, thisMonth, errors);
        String cvv2 = Fields.text(body, "cvv2", errors);
        if (cvv2 != null && !cvv2.matches("[0-9]{3,4}")) cvv2 = Fields.fail(errors, ErrorCode.INVALID_FORMAT, "cvv2");
        String label = Fields.label(body, "label", LABEL_MAX, errors);
        return new SourceForm(FundingKind.CREDIT_CARD, pan, expiry, cvv2, null, null, label);
    }

    /** 12–19 digits (spaces and hyphens allowed between them), a valid check digit, not one of anonpay's own BINs. */
    private static String pan(ObjectNode body, CardPrograms programs, List<FieldError> errors) {
        String raw = Fields.text(body, "pan", errors);
        if (raw == null) return null;
        String pan = raw.replaceAll("[ -]", "");
        if (!pan.matches("[0-9]{12,19}")) return Fields.fail(errors, ErrorCode.INVALID_FORMAT, "pan");
        if (!Luhn.luhnValid(pan)) return Fields.fail(errors, ErrorCode.INVALID_CHECK_DIGIT, "pan");
        // a prepaid card topping up from a prepaid card of the same host would only move money in a circle
        if (programs.byPan(pan).isPresent()) {
            errors.add(FieldError.of(ErrorCode.INVALID_VALUE, "pan", "anonpay's own prepaid cards cannot be funding sources"));
            return null;
        }
        return pan;
    }

    /** YYMM, month 01–12, not before this month. */
    private static String expiry(ObjectNode body, YearMonth thisMonth, List<FieldError> errors) {
        String expiry = Fields.text(body, "expiry", errors);
        if (expiry == null) return null;
        if (!expiry.matches("[0-9]{2}(0[1-9]|1[0-2])")) return Fields.fail(errors, ErrorCode.INVALID_FORMAT, "expiry");
        YearMonth month = YearMonth.of(2000 + Integer.parseInt(expiry.substring(0, 2)), Integer.parseInt(expiry.substring(2)));
        if (month.isBefore(thisMonth)) return Fields.fail(errors, ErrorCode.DATE_OUT_OF_RANGE, "expiry");
        return expiry;
    }

    private static SourceForm account(ObjectNode body, Banks banks, List<FieldError> errors) {
        String bankCode = Fields.text(body, "bankCode", errors);
        if (bankCode != null && banks.byCode(bankCode).isEmpty()) bankCode = Fields.fail(errors, ErrorCode.INVALID_VALUE, "bankCode");
        String number = accountNumber(body, errors);
        String holder = Fields.text(body, "holderName", errors);
        if (holder != null) holder = holderName(holder, errors);
        String label = Fields.label(body, "label", LABEL_MAX, errors);
        return new SourceForm(FundingKind.BANK_ACCOUNT, number, null, null, bankCode, holder, label);
    }

    /** 10–14 digits; hyphens (and spaces) as printed in bank books are allowed and dropped. */
    private static String accountNumber(ObjectNode body, List<FieldError> errors) {
        String raw = Fields.text(body, "accountNumber", errors);
        if (raw == null) return null;
        String digits = raw.replaceAll("[ -]", "");
        if (!digits.matches("[0-9]*")) return Fields.fail(errors, ErrorCode.INVALID_CHARACTERS, "accountNumber");
        if (digits.length() < ACCOUNT_MIN_DIGITS) return Fields.fail(errors, ErrorCode.TOO_SHORT, "accountNumber");
        if (digits.length() > ACCOUNT_MAX_DIGITS) return Fields.fail(errors, ErrorCode.TOO_LONG, "accountNumber");
        return digits;
    }

    private static String holderName(String raw, List<FieldError> errors) {
        String name = raw.strip();
        if (name.isEmpty()) return Fields.fail(errors, ErrorCode.REQUIRED, "holderName");
        if (name.codePointCount(0, name.length()) > HOLDER_NAME_MAX) return Fields.fail(errors, ErrorCode.TOO_LONG, "holderName");
        if (name.codePoints().anyMatch(Character::isISOControl)) return Fields.fail(errors, ErrorCode.INVALID_CHARACTERS, "holderName");
        return name;
    }
}
