// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.api;

import java.util.List;

/** A refusal: one or more errors, each naming the field it concerns (or none for the whole request). */
public final class MallApiException extends RuntimeException {

    /** One reason; {@code field} null when it concerns the request as a whole. */
    public record Problem(MallError error, String field) {}

    private final List<Problem> problems;
    /** For METHOD_NOT_ALLOWED: the {@code Allow} header. */
    private final String allow;

    public MallApiException(List<Problem> problems) {
        this(problems, null);
    }

    private MallApiException(List<Problem> problems, String allow) {
        super(problems.getFirst().error().name(), null, false, false);
        assert !problems.isEmpty();
        this.problems = List.copyOf(problems);
        this.allow = allow;
    }

    public static MallApiException methodNotAllowed(String allow) {
        return new MallApiException(List.of(new Problem(MallError.METHOD_NOT_ALLOWED, null)), allow);
    }

    public String allow() {
        return allow;
    }

    public static MallApiException of(MallError error, String field) {
        return new MallApiException(List.of(new Problem(error, field)));
    }

    public List<Problem> problems() {
        return problems;
    }

    public int status() {
        return problems.getFirst().error().status();
    }
}
