package io.dualsync.emulator.fo.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Map;

/**
 * One event on its way to one endpoint, with every attempt made: what {@code GET
 * /_emulator/events/deliveries} shows, and the emulator's "error log" of events that could not be
 * delivered (business-events/home-page.md, "Errors"). Mutable; owned by the emulator's event loop.
 */
final class Delivery {
    enum Status { pending, delivered, failed }

    final long id;
    final Endpoint endpoint;
    /** BusinessEventId, or the data event's message name. */
    final String event;
    final String entitySet;
    final JsonObject payload;
    final Map<String, String> headers;
    final Instant created;
    Status status = Status.pending;
    /** Attempts in the current round (a resend starts a new round with its own retries). */
    int roundAttempts;
    final JsonArray attempts = new JsonArray();
    Instant finished;

    Delivery(long id, Endpoint endpoint, String event, String entitySet, JsonObject payload, Map<String, String> headers,
             Instant created) {
        this.id = id;
        this.endpoint = endpoint;
        this.event = event;
        this.entitySet = entitySet;
        this.payload = payload;
        this.headers = headers;
        this.created = created;
    }

    void recordAttempt(Integer statusCode, String error) {
        roundAttempts++;
        attempts.add(new JsonObject().put("at", Instant.now().toString()).put("statusCode", statusCode).put("error", error));
    }

    JsonObject toJson() {
        return new JsonObject().put("id", id).put("endpointId", endpoint.id()).put("kind", endpoint.kind().name())
                .put("url", endpoint.url()).put("event", event).put("entitySet", entitySet).put("status", status.name())
                .put("attemptCount", attempts.size()).put("attempts", attempts.copy())
                .put("created", created.toString()).put("finished", finished == null ? null : finished.toString())
                .put("payload", payload.copy());
    }
}
