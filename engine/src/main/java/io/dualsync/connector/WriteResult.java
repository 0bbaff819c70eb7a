package io.dualsync.connector;

import java.time.Duration;

/**
 * What a target system said to a write, already sorted into what the pipeline does next.
 *
 * @param outcome    the class of the answer
 * @param status     HTTP status (0 for a connection error or timeout)
 * @param recordId   the target record's id (Dataverse primary id, F&O key predicate), when known
 * @param etag       the ETag after the write, when known
 * @param retryAfter for {@link Outcome#THROTTLED}: how long the target asked to wait
 * @param message    the target's error message, for logs and dead letters
 */
public record WriteResult(Outcome outcome, int status, String recordId, String etag, Duration retryAfter, String message) {

    public enum Outcome {
        /** Written (created, updated or deleted). */
        OK,
        /** The target record does not exist (a delete of a missing record counts as OK instead). */
        NOT_FOUND,
        /** {@code If-Match} failed: the target changed since we last saw it (a conflict). */
        PRECONDITION_FAILED,
        /** 429: wait {@code retryAfter}, lower concurrency, try again. */
        THROTTLED,
        /** 5xx, timeout, connection error: back off and try again until the deadline. */
        RETRYABLE,
        /** 401: refresh the token once and try again. */
        UNAUTHORIZED,
        /** Any other 4xx (validation, missing lookup target): dead-letter, go on with other records. */
        PERMANENT
    }

    public static WriteResult ok(int status, String recordId, String etag) {
        return new WriteResult(Outcome.OK, status, recordId, etag, null, null);
    }
}
