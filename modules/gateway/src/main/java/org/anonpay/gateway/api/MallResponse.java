// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.api;

import java.util.Map;

/** What the mall API answers: the exact bytes (a replayed answer must be byte for byte the first). */
public record MallResponse(int status, byte[] body, String contentType, Map<String, String> headers) {
    public static final String JSON = "application/json; charset=utf-8";
}
