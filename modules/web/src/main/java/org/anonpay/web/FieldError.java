// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

/**
 * One reason a request was refused. {@code field} names the request field at fault, or is null
 * for errors of the request as a whole (404, 415, ...). Messages never repeat the refused value:
 * it may be a password or a national ID.
 */
public record FieldError(ErrorCode code, String field, String message) {

    public FieldError {
        assert code != null : "every error has a code";
    }

    public static FieldError of(ErrorCode code, String field) {
        return new FieldError(code, field, code.defaultMessage());
    }

    public static FieldError of(ErrorCode code, String field, String message) {
        return new FieldError(code, field, message);
    }
}
