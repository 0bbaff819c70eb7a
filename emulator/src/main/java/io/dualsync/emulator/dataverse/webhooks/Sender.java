package io.dualsync.emulator.dataverse.webhooks;

import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * POSTs deliveries with a Vert.x WebClient, one at a time per registration so that a receiver sees
 * one step's events in the order of the writes, and never blocks: each send continues in its
 * response callback. Lives on the emulator's event loop (every method is called there), so its
 * queues need no locks.
 *
 * <p>Result handling follows use-webhooks.md, "Troubleshoot WebHook registrations": a 2xx status is
 * success; "The WebHook service will make one more attempt only when these error codes are
 * returned": 502, 503, 504; no response within the timeout (60 s) or any other status fails.
 */
final class Sender {
    private final WebClient client;
    private final long timeoutMillis;
    private final String organizationHost;
    private final Predicate<Registration> active;
    private final Consumer<Delivery> done;
    private final Map<String, Lane> lanes = new HashMap<>();

    /** The deliveries of one registration: waiting ones and whether one is on the wire. */
    private static final class Lane {
        final ArrayDeque<Delivery> waiting = new ArrayDeque<>();
        boolean sending;
    }

    /**
     * @param active whether a registration still exists (deliveries of deleted ones are cancelled)
     * @param done   told about every delivery that reached its final outcome
     */
    Sender(Vertx vertx, int timeoutSeconds, String organizationHost, Predicate<Registration> active, Consumer<Delivery> done) {
        this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("dualsync-dataverse-emulator")
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutSeconds * 1000L)));
        this.timeoutMillis = timeoutSeconds * 1000L;
        this.organizationHost = organizationHost;
        this.active = active;
        this.done = done;
    }

    void submit(Delivery d) {
        Lane lane = lanes.computeIfAbsent(d.registration.id(), k -> new Lane());
        lane.waiting.add(d);
        pump(lane);
    }

    private void pump(Lane lane) {
        while (!lane.sending && !lane.waiting.isEmpty()) {
            Delivery d = lane.waiting.poll();
            if (!active.test(d.registration)) {
                finish(d, Delivery.Outcome.cancelled, "the registration was deleted");
                continue;
            }
            lane.sending = true;
            attempt(d, lane);
        }
    }

    private void attempt(Delivery d, Lane lane) {
        d.attempts++;
        HttpRequest<Buffer> request = client.postAbs(d.url).timeout(timeoutMillis);
        // Header Data of use-webhooks.md; names are sent in lower case.
        request.putHeader("content-type", "application/json");
        request.putHeader("x-request-id", UUID.randomUUID().toString());
        request.putHeader("x-ms-dynamics-organization", organizationHost);
        request.putHeader("x-ms-dynamics-entity-name", d.entity);
        request.putHeader("x-ms-dynamics-request-name", d.message);
        request.putHeader("x-ms-correlation-request-id", d.correlationId);
        if (d.sizeExceeded) {
            request.putHeader("x-ms-dynamics-msg-size-exceeded", "true");
        }
        for (Map.Entry<String, String> h : d.registration.authHeaders().entrySet()) {
            request.putHeader(h.getKey(), h.getValue());
        }
        request.sendBuffer(d.body).onComplete(ar -> answered(d, lane, ar));
    }

    private void answered(Delivery d, Lane lane, AsyncResult<HttpResponse<Buffer>> ar) {
        if (ar.failed()) {
            String why = ar.cause().getMessage() == null ? ar.cause().getClass().getSimpleName() : ar.cause().getMessage();
            complete(d, lane, Delivery.Outcome.failed, why);
            return;
        }
        int status = ar.result().statusCode();
        d.status = status;
        if (status >= 200 && status < 300) {
            complete(d, lane, Delivery.Outcome.succeeded, null);
        } else if ((status == 502 || status == 503 || status == 504) && d.attempts == 1) {
            attempt(d, lane);
        } else {
            complete(d, lane, Delivery.Outcome.failed, "HTTP " + status + " " + ar.result().statusMessage());
        }
    }

    private void complete(Delivery d, Lane lane, Delivery.Outcome outcome, String error) {
        finish(d, outcome, error);
        lane.sending = false;
        pump(lane);
    }

    private void finish(Delivery d, Delivery.Outcome outcome, String error) {
        d.error = error;
        d.completedAt = Instant.now();
        d.outcome = outcome;
        done.accept(d);
    }
}
