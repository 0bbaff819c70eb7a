package io.dualsync.benchmarks;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine load driver's sender: posts F&O data events for {@code records} customers
 * ({@code LOAD-000000} ...) to the engine's {@code POST /webhooks/fo}, over dedicated keep-alive
 * connections, one request at a time on each. The first event of a customer is OnExternalCreated,
 * later ones OnExternalUpdated; every event carries the whole record (so the engine needs no F&O
 * read) and its own sequence number in SalesMemo ({@link AppliedWrites}).
 *
 * <p>Two ways to send: {@link #saturate} keeps every connection busy (as fast as the engine accepts);
 * {@link #fixedRate} issues events at a fixed rate on a 1 ms timer, each with its intended send time,
 * so a late send counts against latency (no coordinated omission). A 503 is sent again after its
 * {@code Retry-After}; any other answer than 202 stops the sender with the answer kept in
 * {@link #failure()}. A customer never has two events on the way at once, as a source system sends a
 * record's changes in order: the next event goes to the next customer without one.
 *
 * <p>Everything but the counters runs on the event loop of the context that calls {@link #saturate}
 * or {@link #fixedRate}; counters are atomics, read by the driver's main thread.
 */
final class EventSender {
    private final Vertx vertx;
    private final int port;
    private final FoEventTemplate created;
    private final FoEventTemplate updated;
    private final MultiMap createdHeaders;
    private final MultiMap updatedHeaders;
    private final String[] accounts;
    private final String[] names;
    private final String[] virtualIds;
    private final boolean[] busy;
    /** The last sequence number sent for each customer; -1 before its Created. */
    private final long[] lastSeq;
    private final ArrayDeque<HttpClientConnection> idle = new ArrayDeque<>();
    private int connections;
    private int nextRecord;
    private long nextSeq;

    final AtomicLong posted = new AtomicLong();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong unavailable = new AtomicLong();
    /** Events whose intended send time lies in the measured period of {@link #fixedRate}. */
    final AtomicLong measuredIssued = new AtomicLong();
    private volatile String failure;

    // the current run
    private boolean stopping;
    private Promise<Void> stopped;
    private long timer = -1;
    private Rate rate;

    /** A fixed-rate run: event n is due at {@code startNs + n * intervalNs}. */
    private static final class Rate {
        final long startNs;
        final double intervalNs;
        final long measureFromNs;
        final long measureUntilNs;
        final AppliedWrites.Window window;
        long issued;

        Rate(long startNs, double perSecond, long measureFromNs, long measureUntilNs, AppliedWrites.Window window) {
            this.startNs = startNs;
            this.intervalNs = 1e9 / perSecond;
            this.measureFromNs = measureFromNs;
            this.measureUntilNs = measureUntilNs;
            this.window = window;
        }

        long due(long now) {
            return (long) ((now - startNs) / intervalNs) + 1;
        }

        long intended(long n) {
            return startNs + (long) (n * intervalNs);
        }
    }

    /** One event on its way; resent as it is after a 503. */
    private record Event(long seq, int record, Buffer body, MultiMap headers) {
    }

    EventSender(Vertx vertx, int port, FoEventTemplate created, FoEventTemplate updated, String organizationHost,
                String entityName, String keyHeader, String keyValue, int records) {
        this.vertx = vertx;
        this.port = port;
        this.created = created;
        this.updated = updated;
        this.createdHeaders = headers(organizationHost, entityName, "OnExternalCreated", keyHeader, keyValue);
        this.updatedHeaders = headers(organizationHost, entityName, "OnExternalUpdated", keyHeader, keyValue);
        this.accounts = new String[records];
        this.names = new String[records];
        this.virtualIds = new String[records];
        this.busy = new boolean[records];
        this.lastSeq = new long[records];
        for (int r = 0; r < records; r++) {
            accounts[r] = String.format(Locale.ROOT, "LOAD-%06d", r);
            names[r] = String.format(Locale.ROOT, "Load customer %06d", r);
            virtualIds[r] = guid("b0a0", r);
            lastSeq[r] = -1;
        }
    }

    /** The webhook headers F&O sends (names and values as prepared ASCII strings, which Netty writes as they are). */
    private static MultiMap headers(String organization, String entity, String message, String keyHeader, String keyValue) {
        return HttpHeaders.headers()
                .add(HttpHeaders.CONTENT_TYPE, HttpHeaders.createOptimized("application/json"))
                .add(HttpHeaders.createOptimized("x-ms-dynamics-organization"), HttpHeaders.createOptimized(organization))
                .add(HttpHeaders.createOptimized("x-ms-dynamics-entity-name"), HttpHeaders.createOptimized(entity))
                .add(HttpHeaders.createOptimized("x-ms-dynamics-request-name"), HttpHeaders.createOptimized(message))
                .add(HttpHeaders.createOptimized(keyHeader), HttpHeaders.createOptimized(keyValue));
    }

    /** {@code pppp0000-0000-4000-8000-<n in 12 hex digits>}: a distinct, valid guid per prefix and number. */
    static String guid(String prefix, long n) {
        String hex = Long.toHexString(n);
        StringBuilder b = new StringBuilder(36).append(prefix).append("0000-0000-4000-8000-");
        for (int i = hex.length(); i < 12; i++) {
            b.append('0');
        }
        return b.append(hex).toString();
    }

    /** The failure that stopped the sender (an answer other than 202 or 503), or null. */
    String failure() {
        return failure;
    }

    /** Sequence number the next event will get. */
    long nextSeq() {
        return nextSeq;
    }

    /** Hands the sender its connections (opened on this event loop); call once, before any run. */
    void use(List<HttpClientConnection> opened) {
        idle.addAll(opened);
        connections = opened.size();
    }

    /** Keeps every connection busy until {@link #stop}. */
    void saturate() {
        start(null);
        while (!idle.isEmpty()) {
            send(idle.poll(), next(0));
        }
    }

    /**
     * Issues {@code perSecond} events a second from now until {@link #stop}; events intended in
     * [{@code measureFromNs}, {@code measureUntilNs}) are counted in {@link #measuredIssued} and their
     * intended times go to {@code window}.
     */
    void fixedRate(double perSecond, long startNs, long measureFromNs, long measureUntilNs, AppliedWrites.Window window) {
        start(new Rate(startNs, perSecond, measureFromNs, measureUntilNs, window));
        timer = vertx.setPeriodic(1, id -> issueDue());
    }

    private void start(Rate r) {
        stopping = false;
        stopped = Promise.promise();
        rate = r;
    }

    /** Stops issuing; completes when every connection is idle again (events on their way are answered). */
    Future<Void> stop() {
        stopping = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        checkStopped();
        return stopped.future();
    }

    private void checkStopped() {
        if (stopping && idle.size() == connections) {
            stopped.tryComplete();
        }
    }

    private void issueDue() {
        long now = System.nanoTime();
        long due = rate.due(now);
        while (rate.issued < due && !idle.isEmpty() && !stopping) {
            send(idle.poll(), timed());
        }
    }

    /** The next event of a fixed-rate run, its intended send time given to the window. */
    private Event timed() {
        long intended = rate.intended(rate.issued++);
        Event e = next(intended);
        if (intended >= rate.measureFromNs && intended < rate.measureUntilNs) {
            measuredIssued.incrementAndGet();
        }
        rate.window.sending(e.seq(), intended);
        return e;
    }

    /** The next event, for the next customer without one on its way. */
    private Event next(long intendedNs) {
        int r = nextRecord;
        for (int tries = 0; busy[r]; tries++) {
            if (tries >= busy.length) {
                throw new IllegalStateException("every customer has an event on its way: use more records than connections");
            }
            r = (r + 1) % busy.length;
        }
        nextRecord = (r + 1) % busy.length;
        busy[r] = true;
        long seq = nextSeq++;
        long previous = lastSeq[r];
        lastSeq[r] = seq;
        String[] values = new String[FoEventTemplate.SLOTS];
        values[FoEventTemplate.ACCOUNT] = accounts[r];
        values[FoEventTemplate.NAME] = names[r];
        values[FoEventTemplate.MEMO] = AppliedWrites.PREFIX + seq;
        values[FoEventTemplate.OLD_NAME] = names[r];
        values[FoEventTemplate.OLD_MEMO] = AppliedWrites.PREFIX + previous;
        values[FoEventTemplate.CORRELATION_ID] = guid("c0c0", seq);
        values[FoEventTemplate.OPERATION_ID] = guid("d0d0", seq);
        values[FoEventTemplate.OPERATION_CREATED_ON] = "/Date(" + System.currentTimeMillis() + "+0000)/";
        values[FoEventTemplate.VIRTUAL_ID] = virtualIds[r];
        boolean create = previous < 0;
        return new Event(seq, r, (create ? created : updated).render(values), create ? createdHeaders : updatedHeaders);
    }

    private void send(HttpClientConnection connection, Event e) {
        posted.incrementAndGet();
        RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI("/webhooks/fo").setHeaders(e.headers()).setIdleTimeout(60_000);
        connection.request(ro)
                .compose(req -> req.send(e.body()))
                .compose(EventSender::answer)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        fail(connection, e, "no answer: " + ar.cause());
                        return;
                    }
                    Answer a = ar.result();
                    if (a.status() == 202) {
                        accepted.incrementAndGet();
                        busy[e.record()] = false;
                        free(connection);
                    } else if (a.status() == 503) {
                        unavailable.incrementAndGet();
                        if (stopping) {
                            // not journaled, and no more events wanted: drop it (it counts as never sent)
                            busy[e.record()] = false;
                            free(connection);
                        } else {
                            vertx.setTimer(Math.max(1, a.retryAfterSeconds() * 1000L), t -> send(connection, e));
                        }
                    } else {
                        fail(connection, e, "HTTP " + a.status() + ": " + a.body());
                    }
                });
    }

    /** An answer's status, Retry-After (seconds, default 1) and, when it is not 202 or 503, its body. */
    private record Answer(int status, long retryAfterSeconds, String body) {
    }

    private static Future<Answer> answer(HttpClientResponse resp) {
        int status = resp.statusCode();
        if (status == 202 || status == 503) {
            long retryAfter = 1;
            String h = resp.getHeader("Retry-After");
            if (h != null) {
                try {
                    retryAfter = Long.parseLong(h.trim());
                } catch (NumberFormatException ignored) {
                    // keep the default
                }
            }
            long wait = retryAfter;
            return resp.end().map(v -> new Answer(status, wait, null));
        }
        return resp.body().map(b -> new Answer(status, 0, b.toString()));
    }

    private void fail(HttpClientConnection connection, Event e, String why) {
        if (failure == null) {
            failure = "event " + e.seq() + " (" + accounts[e.record()] + "): " + why;
        }
        busy[e.record()] = false;
        stopping = true;
        free(connection);
    }

    private void free(HttpClientConnection connection) {
        if (stopping) {
            idle.add(connection);
            checkStopped();
            return;
        }
        if (rate == null) {
            send(connection, next(0));
        } else if (rate.issued < rate.due(System.nanoTime())) {
            send(connection, timed());
        } else {
            idle.add(connection);
        }
    }
}
