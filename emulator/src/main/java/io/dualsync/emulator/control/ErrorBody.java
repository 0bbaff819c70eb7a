package io.dualsync.emulator.control;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The error bodies both services answer with, so emulated faults and limits look like the real ones:
 * Dataverse {@code {"error":{"code":"0x8007...","message":...}}} with the hex code (powerapps-docs
 * developer/data-platform/api-limits.md, "Service Protection API Limit Errors returned": "The Hex code is
 * the hexadecimal error value returned by the Web API") and F&O's OData {@code {"error":{"code":...,"message":...}}}.
 * Used on the emulator's event loop.
 */
final class ErrorBody {
    private ErrorBody() {
    }

    static String json(String code, String message) {
        return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)).encode();
    }

    /** Ends the request with {@code status} and the error body, plus {@code Retry-After} (seconds) when positive. */
    static void send(RoutingContext rc, int status, long retryAfterSeconds, String code, String message) {
        var response = rc.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("OData-Version", "4.0");
        if (retryAfterSeconds > 0) {
            response.putHeader("Retry-After", Long.toString(retryAfterSeconds));
        }
        response.end(json(code, message));
    }
}
