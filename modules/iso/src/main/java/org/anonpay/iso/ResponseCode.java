// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** ISO 8583:1987 field 39 response codes anonpay sends or understands. */
public enum ResponseCode {
    APPROVED("00", "approved"),
    REFER_TO_CARD_ISSUER("01", "refer to card issuer"),
    INVALID_MERCHANT("03", "invalid merchant"),
    PICK_UP_CARD("04", "pick up card"),
    DO_NOT_HONOUR("05", "do not honour"),
    ERROR("06", "error"),
    INVALID_TRANSACTION("12", "invalid transaction"),
    INVALID_AMOUNT("13", "invalid amount"),
    INVALID_CARD_NUMBER("14", "invalid card number"),
    NO_SUCH_ISSUER("15", "no such issuer"),
    NO_ACTION_TAKEN("21", "no action taken"),
    UNABLE_TO_LOCATE_ORIGINAL("25", "unable to locate original"),
    FORMAT_ERROR("30", "format error"),
    FUNCTION_NOT_SUPPORTED("40", "requested function not supported"),
    LOST_CARD("41", "lost card"),
    STOLEN_CARD("43", "stolen card"),
    INSUFFICIENT_FUNDS("51", "insufficient funds"),
    EXPIRED_CARD("54", "expired card"),
    INCORRECT_PIN("55", "incorrect PIN"),
    NOT_PERMITTED_TO_CARDHOLDER("57", "transaction not permitted to cardholder"),
    NOT_PERMITTED_TO_TERMINAL("58", "transaction not permitted to terminal"),
    EXCEEDS_WITHDRAWAL_LIMIT("61", "exceeds withdrawal amount limit"),
    RESTRICTED_CARD("62", "restricted card"),
    SECURITY_VIOLATION("63", "security violation"),
    EXCEEDS_FREQUENCY_LIMIT("65", "exceeds withdrawal frequency limit"),
    RESPONSE_TOO_LATE("68", "response received too late"),
    PIN_TRIES_EXCEEDED("75", "allowable number of PIN tries exceeded"),
    ISSUER_INOPERATIVE("91", "issuer or switch inoperative"),
    ROUTING_NOT_FOUND("92", "financial institution or intermediate network facility cannot be found for routing"),
    DUPLICATE_TRANSMISSION("94", "duplicate transmission"),
    SYSTEM_MALFUNCTION("96", "system malfunction");

    private static final Map<String, ResponseCode> BY_CODE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ResponseCode::code, Function.identity()));

    private final String code;
    private final String meaning;

    ResponseCode(String code, String meaning) {
        assert code.length() == 2 : "field 39 is an2";
        this.code = code;
        this.meaning = meaning;
    }

    /** The two characters carried in field 39. */
    public String code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    public boolean approved() {
        return this == APPROVED;
    }

    public static Optional<ResponseCode> of(String code) {
        return Optional.ofNullable(code).map(BY_CODE::get);
    }

    /** "00 approved", or "XY (unknown code)" for a code outside this table, for people reading logs. */
    public static String describe(String code) {
        return of(code).map(rc -> rc.code + " " + rc.meaning).orElse(code + " (unknown code)");
    }
}
