package io.dualsync.emulator.dataverse.webhooks;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * One webhook POST for one write, and what became of it (the emulator's stand-in for the System Job
 * an asynchronous step leaves, register-web-hook.md). Written by the sender on the emulator's event
 * loop; read by GET /_emulator/webhooks/deliveries, hence the volatile fields.
 */
final class Delivery {
    enum Outcome { pending, succeeded, failed, cancelled }

    final String id;
    final Registration registration;
    final String url;
    final String message;
    final String entity;
    final String primaryEntityId;
    final String correlationId;
    final Buffer body;
    final boolean sizeExceeded;
    final Instant queuedAt = Instant.now();

    volatile Outcome outcome = Outcome.pending;
    volatile Integer status;
    volatile int attempts;
    volatile String error;
    volatile Instant completedAt;

    Delivery(String id, Registration registration, String message, String entity, String primaryEntityId,
             String correlationId, Buffer body, boolean sizeExceeded) {
        this.id = id;
        this.registration = registration;
        this.url = registration.requestUrl();
        this.message = message;
        this.entity = entity;
        this.primaryEntityId = primaryEntityId;
        this.correlationId = correlationId;
        this.body = body;
        this.sizeExceeded = sizeExceeded;
    }

    JsonObject toJson() {
        return new JsonObject()
                .put("id", id)
                .put("registrationId", registration.id())
                .put("url", url)
                .put("message", message)
                .put("entity", entity)
                .put("primaryEntityId", primaryEntityId)
                .put("correlationId", correlationId)
                .put("outcome", outcome.name())
                .put("status", status)
                .put("attempts", attempts)
                .put("sizeExceeded", sizeExceeded)
                .put("bytes", body.length())
                .put("error", error)
                .put("queuedAt", queuedAt.toString())
                .put("completedAt", completedAt == null ? null : completedAt.toString());
    }
}
