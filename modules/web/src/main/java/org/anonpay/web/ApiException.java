// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import java.util.List;
import java.util.Map;

/**
 * A refused request: thrown by a handler, answered as {@code {"error": first, "errors": [all]}}
 * with the status of the first error. No stack trace: this is an expected outcome, not a fault.
 */
public final class ApiException extends RuntimeException {

    private final List<FieldError> errors;
    private final Map<String, String> headers;

    /** @param headers extra response headers, e.g. {@code Allow} of a 405 */
    public ApiException(List<FieldError> errors, Map<String, String> headers) {
        super(errors.isEmpty() ? "no errors" : errors.getFirst().code().name(), null, false, false);
        assert !errors.isEmpty() : "an ApiException carries at least one error";
        this.errors = List.copyOf(errors);
        this.headers = Map.copyOf(headers);
    }

    public ApiException(List<FieldError> errors) {
        this(errors, Map.of());
    }

    public ApiException(FieldError error) {
        this(List.of(error));
    }

    public static ApiException of(ErrorCode code, String field) {
        return new ApiException(FieldError.of(code, field));
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public int status() {
        return errors.getFirst().code().status();
    }
}
