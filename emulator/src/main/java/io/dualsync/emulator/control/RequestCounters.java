package io.dualsync.emulator.control;

import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the responses an emulator sent, by HTTP method and status, and the requests that ended
 * without a response (connection closed by a fault or by a client that gave up). Updated on the
 * event loop; thread-safe so a test or benchmark may read it from elsewhere.
 */
final class RequestCounters {
    private final Map<String, Map<Integer, LongAdder>> byMethod = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> aborted = new ConcurrentHashMap<>();

    /** Counts this request once it ends, however it ends. */
    void track(RoutingContext rc) {
        String method = rc.request().method().name();
        rc.addEndHandler(ar -> {
            if (ar.succeeded()) {
                byMethod.computeIfAbsent(method, m -> new ConcurrentHashMap<>())
                        .computeIfAbsent(rc.response().getStatusCode(), s -> new LongAdder()).increment();
            } else {
                aborted.computeIfAbsent(method, m -> new LongAdder()).increment();
            }
        });
    }

    void reset() {
        byMethod.clear();
        aborted.clear();
    }

    /**
     * {@code {"total":N,"byStatus":{"200":N},"byMethod":{"GET":{"200":N}},"aborted":N,"abortedByMethod":{"GET":N}}},
     * as plain maps (any JSON writer can write them).
     */
    Map<String, Object> snapshot() {
        long total = 0;
        Map<String, Long> byStatus = new TreeMap<>();
        Map<String, Object> methods = new TreeMap<>();
        for (Map.Entry<String, Map<Integer, LongAdder>> m : byMethod.entrySet()) {
            Map<String, Long> statuses = new TreeMap<>();
            for (Map.Entry<Integer, LongAdder> s : m.getValue().entrySet()) {
                long n = s.getValue().sum();
                statuses.put(Integer.toString(s.getKey()), n);
                byStatus.merge(Integer.toString(s.getKey()), n, Long::sum);
                total += n;
            }
            methods.put(m.getKey(), statuses);
        }
        long abortedTotal = 0;
        Map<String, Long> abortedByMethod = new TreeMap<>();
        for (Map.Entry<String, LongAdder> a : aborted.entrySet()) {
            abortedByMethod.put(a.getKey(), a.getValue().sum());
            abortedTotal += a.getValue().sum();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", total);
        out.put("byStatus", byStatus);
        out.put("byMethod", methods);
        out.put("aborted", abortedTotal);
        out.put("abortedByMethod", abortedByMethod);
        return out;
    }
}
