package io.dualsync.emulator.control;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An opt-in log of the requests an emulator answered, in arrival order, for tests that must check
 * what a client sent and when: that no write of a record came with older values after newer ones,
 * that nothing was sent while a 429's {@code Retry-After} ran. Off until {@link #start}; bounded
 * (the oldest entries go first and are counted as dropped). Each entry: a sequence number, the
 * arrival time (epoch milliseconds), method, path with query, the {@code If-Match} header, the
 * response status (0 when no response was sent) and, for writes, the body's text (at most
 * {@value #BODY_LIMIT} characters). Updated on the event loop; read through the synchronized methods.
 */
final class RequestLog {
    static final int BODY_LIMIT = 8192;
    static final int DEFAULT_CAPACITY = 100_000;

    private final ArrayDeque<Map<String, Object>> entries = new ArrayDeque<>();
    private int capacity;
    private long nextSeq = 1;
    private long dropped;

    /** Starts recording (again), empty, keeping at most {@code capacity} entries. */
    synchronized void start(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        entries.clear();
        dropped = 0;
    }

    /** Stops recording and forgets what was recorded. */
    synchronized void stop() {
        capacity = 0;
        entries.clear();
        dropped = 0;
    }

    synchronized boolean recording() {
        return capacity > 0;
    }

    /** Records this request once it ends, when recording. */
    void track(RoutingContext rc) {
        if (!recording()) {
            return;
        }
        long at = System.currentTimeMillis();
        String method = rc.request().method().name();
        String uri = rc.request().uri();
        String ifMatch = rc.request().getHeader("If-Match");
        rc.addEndHandler(ar -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("at", at);
            e.put("method", method);
            e.put("uri", uri);
            e.put("ifMatch", ifMatch);
            e.put("status", ar.succeeded() ? rc.response().getStatusCode() : 0);
            if (!"GET".equals(method) && !"DELETE".equals(method)) {
                e.put("body", bodyText(rc));
            }
            add(e);
        });
    }

    private static String bodyText(RoutingContext rc) {
        Buffer b = rc.body() == null ? null : rc.body().buffer();
        if (b == null) {
            return null;
        }
        String text = b.toString();
        return text.length() > BODY_LIMIT ? text.substring(0, BODY_LIMIT) : text;
    }

    private synchronized void add(Map<String, Object> e) {
        if (capacity == 0) {
            return;
        }
        e.put("seq", nextSeq++);
        entries.addLast(e);
        while (entries.size() > capacity) {
            entries.removeFirst();
            dropped++;
        }
    }

    /** {@code {"recording":bool,"dropped":N,"entries":[...]}} with the entries after {@code afterSeq}, at most {@code limit}. */
    synchronized Map<String, Object> snapshot(long afterSeq, int limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> e : entries) {
            if ((Long) e.get("seq") > afterSeq) {
                if (out.size() >= limit) {
                    break;
                }
                out.add(e);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recording", capacity > 0);
        m.put("dropped", dropped);
        m.put("entries", out);
        return m;
    }
}
