package io.dualsync.emulator.identity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A refused token request, answered in the Microsoft Entra error shape: {@code error},
 * {@code error_description} starting with the AADSTS code and ending with trace id, correlation id
 * and timestamp, {@code error_codes}, {@code timestamp}, {@code trace_id}, {@code correlation_id},
 * {@code error_uri}. Source: entra-docs docs/identity-platform/reference-error-codes.md
 * ("Handling error codes in your application") and v2-oauth2-client-creds-grant-flow.md ("Error response").
 */
final class AadError extends RuntimeException {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    final int status;
    final String error;
    final int code;

    AadError(int status, String error, int code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.code = code;
    }

    /** 400 invalid_request: a protocol error such as a missing parameter. */
    static AadError invalidRequest(int code, String message) {
        return new AadError(400, "invalid_request", code, message);
    }

    /** invalid_client is sent with 401, as Entra does when client authentication fails. */
    static AadError invalidClient(int code, String message) {
        return new AadError(401, "invalid_client", code, message);
    }

    static AadError missingParameter(String name) {
        return invalidRequest(900144, "The request body must contain the following parameter: '" + name + "'.");
    }

    JsonObject toJson(String traceId, String correlationId, Instant now) {
        String timestamp = TIMESTAMP.format(now);
        return new JsonObject()
                .put("error", error)
                .put("error_description", "AADSTS" + code + ": " + getMessage()
                        + "\r\nTrace ID: " + traceId + "\r\nCorrelation ID: " + correlationId + "\r\nTimestamp: " + timestamp)
                .put("error_codes", new JsonArray().add(code))
                .put("timestamp", timestamp)
                .put("trace_id", traceId)
                .put("correlation_id", correlationId)
                .put("error_uri", "https://login.microsoftonline.com/error?code=" + code);
    }
}
