package io.dualsync.connector.http;

import io.dualsync.connector.WriteResult;

/**
 * A read that the target answered with an error (other than "no such record"), or that got no
 * answer: {@link #result()} classifies it like a write, so the caller can retry, wait or give up.
 */
public final class TargetReadException extends RuntimeException {
    private final transient WriteResult result;

    public TargetReadException(WriteResult result) {
        super(result.outcome() + " " + (result.status() == 0 ? "" : "HTTP " + result.status() + " ") + result.message(),
                null, false, false);
        this.result = result;
    }

    public WriteResult result() {
        return result;
    }
}
