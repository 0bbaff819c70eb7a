package io.dualsync.journal;

/** The journal will not take more events now (unavailable, or too far ahead of its readers). */
public final class JournalFullException extends RuntimeException {
    private final long retryAfterSeconds;

    public JournalFullException(String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** What to tell the sender in {@code Retry-After}. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
