package io.dualsync.connector.http;

import io.dualsync.auth.TokenUnavailableException;
import io.dualsync.connector.WriteResult;
import io.dualsync.connector.WriteResult.Outcome;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Sorts HTTP answers of Dataverse and F&O into {@link WriteResult}s: what the pipeline does next.
 * Only classifies; retrying, waiting and lowering concurrency are the caller's. Pure functions.
 */
public final class Answers {
    private static final int MAX_MESSAGE = 1000;

    private Answers() {
    }

    /**
     * The class of an HTTP status: 2xx OK, 401 UNAUTHORIZED, 404 NOT_FOUND, 412 PRECONDITION_FAILED,
     * 429 THROTTLED, 408 and 5xx RETRYABLE, any other 4xx PERMANENT. (A connector may turn a 404
     * into PERMANENT when it means a missing lookup target rather than a missing record.)
     */
    public static Outcome outcome(int status) {
        if (status >= 200 && status < 300) {
            return Outcome.OK;
        }
        switch (status) {
            case 401:
                return Outcome.UNAUTHORIZED;
            case 404:
                return Outcome.NOT_FOUND;
            case 412:
                return Outcome.PRECONDITION_FAILED;
            case 429:
                return Outcome.THROTTLED;
            case 408:
                return Outcome.RETRYABLE;
            default:
                return status >= 500 || status < 200 ? Outcome.RETRYABLE : Outcome.PERMANENT;
        }
    }

    /** An error answer as a result, with the wait the target asked for (429, and 503 when it says). */
    public static WriteResult error(Outcome outcome, int status, String retryAfter, String message, Clock clock) {
        Duration wait = outcome == Outcome.THROTTLED || outcome == Outcome.RETRYABLE ? retryAfter(retryAfter, clock) : null;
        return new WriteResult(outcome, status, null, null, wait, message);
    }

    /** A request that got no answer: connection refused or reset, timeout, no token. */
    public static WriteResult failure(Throwable error) {
        if (error instanceof TokenUnavailableException t) {
            return new WriteResult(t.credentialsRejected() ? Outcome.UNAUTHORIZED : Outcome.RETRYABLE, 0, null, null, null,
                    t.getMessage());
        }
        String what = error.getMessage() == null ? error.getClass().getSimpleName()
                : error.getClass().getSimpleName() + ": " + error.getMessage();
        return new WriteResult(Outcome.RETRYABLE, 0, null, null, null, what);
    }

    /** A result for a request that could not even be built (unknown table, a key part missing): never retried. */
    public static WriteResult invalid(String message) {
        return new WriteResult(Outcome.PERMANENT, 0, null, null, null, message);
    }

    /**
     * The {@code Retry-After} header as a duration: delay-seconds (Dataverse and F&O send whole
     * seconds; fractions are accepted) or an HTTP date. Null when absent or unreadable; never negative.
     */
    public static Duration retryAfter(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim();
        try {
            double seconds = Double.parseDouble(h);
            if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
                return null;
            }
            return seconds <= 0 ? Duration.ZERO : Duration.ofMillis(Math.round(seconds * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(clock.instant(), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /**
     * The error message of an OData error body {@code {"error":{"code":..,"message":..,"innererror":{"message":..}}}}:
     * the inner message when there is one (F&O puts the useful text there, under a generic "An error has
     * occurred."), the code appended when it is not empty (Dataverse's {@code 0x...} codes). Falls back to
     * the body's text, or the status alone.
     */
    public static String message(int status, String body) {
        if (body == null || body.isBlank()) {
            return "HTTP " + status;
        }
        try {
            JsonObject error = new JsonObject(body).getJsonObject("error");
            if (error != null) {
                String message = error.getString("message");
                JsonObject inner = error.getJsonObject("innererror");
                if (inner != null && inner.getString("message") != null && !inner.getString("message").isBlank()) {
                    message = inner.getString("message");
                }
                String code = error.getString("code");
                if (message != null) {
                    return clip(code == null || code.isBlank() || "0x0".equals(code) ? message : message + " (" + code + ")");
                }
            }
        } catch (DecodeException | ClassCastException notOData) {
            // not an OData error body: show its text
        }
        return clip("HTTP " + status + ": " + body.strip());
    }

    private static String clip(String s) {
        return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "...";
    }
}
