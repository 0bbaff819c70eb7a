package io.dualsync.ingest;

/**
 * Why a request body cannot become change events: the HTTP status to answer, a short stable code
 * and a message for the sender saying what is wrong and where. Thrown by the parsers; nothing is
 * journaled for a request that raised it.
 */
final class IngestException extends RuntimeException {
    private final int status;
    private final String code;

    IngestException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    /** 400: the body is not JSON, or not the expected shape. */
    static IngestException malformed(String message) {
        return new IngestException(400, "malformed", message);
    }

    /** 422: well-formed, but about an entity dualsync does not sync (or a message it does not handle). */
    static IngestException unknownEntity(String message) {
        return new IngestException(422, "unknown-entity", message);
    }

    /** 422: the record cannot be identified (a key field or the record id is missing). */
    static IngestException missingKey(String message) {
        return new IngestException(422, "missing-key", message);
    }

    /** 422: well-formed, but something it says cannot be handled (unknown message, unbound business event). */
    static IngestException unprocessable(String message) {
        return new IngestException(422, "unprocessable", message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
