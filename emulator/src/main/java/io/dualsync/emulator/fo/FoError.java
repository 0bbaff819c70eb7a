package io.dualsync.emulator.fo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request the F&O OData service refuses, with the HTTP status and the error body F&O sends.
 * F&O wraps every failure the same way: an empty {@code code}, the generic message
 * "An error has occurred." and the real reason in {@code innererror} (message, .NET exception
 * type, stack trace). Shape taken from real F&O payloads quoted in public integration notes (the
 * docs show none); the emulator sends an empty stack trace. Thrown and caught on the event loop.
 */
final class FoError extends RuntimeException {
    /** OData library (URI, payload and query option) errors. */
    static final String ODATA = "Microsoft.OData.ODataException";
    /** X++ write failures (validateField/validateWrite/insert): "Write failed for table row of type ...". */
    static final String WRITE = "Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataWriteException";
    /** Anything else the service layer refuses (not found, concurrency). */
    static final String SERVICE = "Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataException";

    private final int status;
    private final String type;

    FoError(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
    }

    static FoError badRequest(String message) {
        return new FoError(400, ODATA, message);
    }

    static FoError notFound(String message) {
        return new FoError(404, SERVICE, message);
    }

    /** An X++ validation failure, worded as F&O words them (the infolog lines after "Infolog:"). */
    static FoError writeFailed(String logicalName, String infolog) {
        return new FoError(400, WRITE, "Write failed for table row of type '" + logicalName + "'. Infolog: " + infolog);
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    /** The same failure with another status (a write failure inside a change set is a 500 in F&O). */
    FoError withStatus(int newStatus) {
        return new FoError(newStatus, type, getMessage());
    }

    String body() {
        ObjectNode inner = JsonNodeFactory.instance.objectNode();
        inner.put("message", getMessage());
        inner.put("type", type);
        inner.put("stacktrace", "");
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("code", "");
        error.put("message", "An error has occurred.");
        error.set("innererror", inner);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("error", error);
        return root.toString();
    }
}
