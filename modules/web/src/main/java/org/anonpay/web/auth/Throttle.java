// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.anonpay.web.ApiException;
import org.anonpay.web.ErrorCode;
import org.anonpay.web.FieldError;

/**
 * Sliding-window throttling in {@code login_attempt}. An attempt is written first and counted
 * after, so parallel attempts see each other: if a subject then has more than {@code limit}
 * attempts inside the window, the attempt is refused with 429 and its rows are deleted again
 * (refused attempts do not extend a lock: it ends {@code window} after the last counted failure).
 */
final class Throttle {

    /** One thing being throttled: a member, a typed log-in name, a client address. */
    record Subject(String kind, byte[] hash, int limit) {
        static Subject of(String kind, String text, int limit) {
            return new Subject(kind, Tokens.hashText(text), limit);
        }
    }

    private final AuthStore store;
    private final Clock clock;
    private final Duration retention;

    /** @param retention the longest window in use: older rows are deleted */
    Throttle(AuthStore store, Clock clock, Duration retention) {
        this.store = store;
        this.clock = clock;
        this.retention = retention;
    }

    /**
     * Records an attempt on every subject.
     *
     * @return the ids of the rows written (to delete if the attempt turns out to succeed)
     * @throws ApiException 429 TOO_MANY_ATTEMPTS with {@code Retry-After} if a subject is over its limit
     */
    List<Long> enter(Duration window, Subject... subjects) {
        Instant now = clock.instant();
        store.purgeAttempts(now.minus(retention));
        List<Long> ids = new ArrayList<>();
        for (Subject s : subjects) ids.add(store.insertAttempt(s.kind(), s.hash(), now));
        long retryAfter = 0;
        for (Subject s : subjects) {
            List<Instant> times = store.attemptsSince(s.kind(), s.hash(), now.minus(window));
            if (times.size() <= s.limit()) continue;
            // times[0] is this attempt (newest); the lock lifts when the limit-th newest other one ages out
            Instant lifts = times.get(Math.min(s.limit(), times.size() - 1)).plus(window);
            retryAfter = Math.max(retryAfter, Math.max(1, (Duration.between(now, lifts).toMillis() + 999) / 1000));
        }
        if (retryAfter > 0) {
            store.deleteAttempts(ids);
            throw new ApiException(List.of(FieldError.of(ErrorCode.TOO_MANY_ATTEMPTS, null)), Map.of("Retry-After", Long.toString(retryAfter)));
        }
        return ids;
    }
}
