package io.dualsync.auth;

import java.time.Duration;
import java.time.Instant;

/**
 * A token as {@link MsalTokenProvider} keeps it, with the timing decisions made on it: plain
 * values, unit-tested with fixed instants.
 *
 * @param value      the access token
 * @param obtainedAt when it was asked for
 * @param expiresAt  when the identity provider says it expires
 */
record AccessToken(String value, Instant obtainedAt, Instant expiresAt) {
    /** A token this close to its expiry is not sent: it could expire on its way. */
    static final Duration EXPIRY_SKEW = Duration.ofSeconds(5);

    /**
     * When to start getting the next token: {@code refreshBefore} ahead of the expiry, or halfway
     * through the lifetime for tokens that live shorter than twice that.
     */
    Instant refreshAt(Duration refreshBefore) {
        Duration lifetime = Duration.between(obtainedAt, expiresAt);
        Duration half = lifetime.dividedBy(2);
        return expiresAt.minus(refreshBefore.compareTo(half) < 0 ? refreshBefore : half);
    }

    /** Whether it may still be sent at {@code now}. */
    boolean usable(Instant now) {
        return now.isBefore(expiresAt.minus(EXPIRY_SKEW));
    }

    /** Whether a new token should be on its way at {@code now}. */
    boolean dueForRefresh(Instant now, Duration refreshBefore) {
        return !now.isBefore(refreshAt(refreshBefore));
    }

    @Override
    public String toString() {
        return "AccessToken[expiresAt=" + expiresAt + "]"; // never the token itself
    }
}
