package io.dualsync.emulator.fo.events;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends events to endpoints and keeps the delivery log. "In the event of an error while sending
 * business events to its end point, the system retries to send the business events three times
 * with an interval of one second per retry" (business-events/home-page.md, "Business events
 * parameters and processing"): one attempt plus {@value #RETRIES} retries, {@value #RETRY_DELAY_MS}
 * ms apart; an answer other than 2xx, a refused connection or a timeout is an error. After the last
 * retry the delivery is kept as failed (the docs' error log) and can be resent.
 *
 * <p>Everything runs on the emulator's event loop: requests are asynchronous (Vert.x WebClient) and
 * retries are timers set from that loop, so nothing blocks and no locks are needed.
 */
final class Deliverer {
    static final int RETRIES = 3;
    static final long RETRY_DELAY_MS = 1_000;
    /** Completed deliveries kept for inspection; the oldest completed ones go first. */
    static final int LOG_LIMIT = 10_000;

    private final Vertx vertx;
    private final long timeoutMs;
    private final Map<Long, Delivery> log = new LinkedHashMap<>();
    private long nextId = 1;
    private WebClient client;

    Deliverer(Vertx vertx, int timeoutSeconds) {
        this.vertx = vertx;
        this.timeoutMs = timeoutSeconds * 1000L;
    }

    long nextId() {
        return nextId++;
    }

    void send(Delivery d) {
        log.put(d.id, d);
        trim();
        attempt(d);
    }

    /** Sends a failed delivery again, with its retries (the docs' Resend action). */
    boolean resend(long id) {
        Delivery d = log.get(id);
        if (d == null || d.status == Delivery.Status.pending) {
            return false;
        }
        d.status = Delivery.Status.pending;
        d.roundAttempts = 0;
        d.finished = null;
        attempt(d);
        return true;
    }

    Delivery get(long id) {
        return log.get(id);
    }

    List<Delivery> all() {
        return new ArrayList<>(log.values());
    }

    private void attempt(Delivery d) {
        WebClient c = client();
        var request = c.postAbs(d.endpoint.url()).timeout(timeoutMs);
        d.headers.forEach(request::putHeader);
        request.sendBuffer(Buffer.buffer(d.payload.encode())).onComplete(ar -> {
            if (ar.succeeded()) {
                HttpResponse<Buffer> r = ar.result();
                boolean ok = r.statusCode() / 100 == 2;
                d.recordAttempt(r.statusCode(), ok ? null : "HTTP " + r.statusCode() + " " + r.statusMessage());
                if (ok) {
                    d.status = Delivery.Status.delivered;
                    d.finished = Instant.now();
                    return;
                }
            } else {
                d.recordAttempt(null, String.valueOf(ar.cause()));
            }
            if (d.roundAttempts <= RETRIES) {
                vertx.setTimer(RETRY_DELAY_MS, t -> attempt(d));
            } else {
                d.status = Delivery.Status.failed;
                d.finished = Instant.now();
            }
        });
    }

    private WebClient client() {
        if (client == null) {
            client = WebClient.create(vertx, new WebClientOptions().setUserAgent("dualsync-fo-emulator")
                    .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs)).setFollowRedirects(false));
        }
        return client;
    }

    private void trim() {
        Iterator<Delivery> it = log.values().iterator();
        while (log.size() > LOG_LIMIT && it.hasNext()) {
            if (it.next().status != Delivery.Status.pending) {
                it.remove();
            }
        }
    }
}
