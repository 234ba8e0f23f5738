// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.auth;

import java.time.Instant;

/**
 * A live log-in session (row of {@code web_session}). {@code idHash} is the SHA-256 of the cookie's
 * session id; the id itself is never kept.
 *
 * @param memberRef {@code member.id}
 */
public record WebSession(byte[] idHash, byte[] csrfHash, long memberRef, String memberId, String nickname,
                         Instant createdAt, Instant expiresAt) {

    @Override
    public String toString() {
        return "WebSession[" + memberId + "]";
    }
}
