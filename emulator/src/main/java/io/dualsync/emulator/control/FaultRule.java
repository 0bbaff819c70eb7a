package io.dualsync.emulator.control;

import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Random;

/**
 * One fault to inject, as posted to {@code /_emulator/faults}:
 * <pre>
 * {"type": "latency", "latencyMs": 200, "jitterMs": 50}
 * {"type": "error", "status": 503, "entitySet": "accounts", "method": "PATCH", "probability": 0.1}
 * {"type": "throttle", "retryAfterSeconds": 5, "count": 3}
 * {"type": "reset"}      close the connection without a response
 * {"type": "hang"}       never answer (until the client gives up or the rule is deleted)
 * </pre>
 * {@code entitySet} (first path segment after the API root, without its key) and {@code method} narrow
 * the requests it applies to; {@code probability} (0..1, default 1) and {@code count} (how many times at
 * most, default unlimited) make it intermittent. Mutated only on the emulator's event loop.
 */
final class FaultRule {
    enum Type { LATENCY, ERROR, THROTTLE, RESET, HANG }

    final String id;
    final Type type;
    final String entitySet;
    final String method;
    final long latencyMs;
    final long jitterMs;
    final int status;
    final long retryAfterSeconds;
    final double probability;
    final Integer count;
    final String code;
    final String message;
    private int applied;

    private FaultRule(String id, JsonObject j) {
        this.id = id;
        String typeWord = j.getString("type");
        if (typeWord == null) {
            throw new IllegalArgumentException("a fault needs \"type\": latency, error, throttle, reset or hang");
        }
        try {
            this.type = Type.valueOf(typeWord.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fault type \"" + typeWord + "\": use latency, error, throttle, reset or hang");
        }
        this.entitySet = blankToNull(j.getString("entitySet"));
        String m = blankToNull(j.getString("method"));
        this.method = m == null ? null : m.toUpperCase(Locale.ROOT);
        this.latencyMs = nonNegative(j, "latencyMs", 0);
        this.jitterMs = nonNegative(j, "jitterMs", 0);
        this.status = j.getInteger("status", type == Type.THROTTLE ? 429 : 500);
        if (type == Type.ERROR && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("an error fault's \"status\" must be 400..599 (500, 502 and 503 are the usual ones)");
        }
        this.retryAfterSeconds = nonNegative(j, "retryAfterSeconds", type == Type.THROTTLE ? 1 : 0);
        this.probability = j.getDouble("probability", 1.0);
        if (probability < 0 || probability > 1) {
            throw new IllegalArgumentException("\"probability\" must be between 0 and 1");
        }
        this.count = j.getInteger("count");
        if (count != null && count < 1) {
            throw new IllegalArgumentException("\"count\" must be at least 1 (omit it for no limit)");
        }
        if (type == Type.LATENCY && latencyMs == 0 && jitterMs == 0) {
            throw new IllegalArgumentException("a latency fault needs \"latencyMs\" and/or \"jitterMs\"");
        }
        this.code = blankToNull(j.getString("code"));
        this.message = blankToNull(j.getString("message"));
    }

    static FaultRule parse(String id, JsonObject json) {
        return new FaultRule(id, json);
    }

    /** Whether this rule is about this request (ignoring probability and count). */
    boolean matches(String requestMethod, String requestEntitySet) {
        if (count != null && applied >= count) {
            return false;
        }
        if (method != null && !method.equals(requestMethod)) {
            return false;
        }
        return entitySet == null || entitySet.equalsIgnoreCase(requestEntitySet);
    }

    /** Rolls the dice; when the rule fires it counts one use. */
    boolean fire(Random random) {
        if (probability < 1.0 && random.nextDouble() >= probability) {
            return false;
        }
        applied++;
        return true;
    }

    long delay(Random random) {
        return latencyMs + (jitterMs > 0 ? (long) (random.nextDouble() * (jitterMs + 1)) : 0);
    }

    JsonObject toJson() {
        JsonObject j = new JsonObject().put("id", id).put("type", type.name().toLowerCase(Locale.ROOT));
        if (entitySet != null) {
            j.put("entitySet", entitySet);
        }
        if (method != null) {
            j.put("method", method);
        }
        switch (type) {
            case LATENCY -> j.put("latencyMs", latencyMs).put("jitterMs", jitterMs);
            case ERROR -> j.put("status", status);
            case THROTTLE -> j.put("retryAfterSeconds", retryAfterSeconds);
            default -> {
            }
        }
        if (code != null) {
            j.put("code", code);
        }
        if (message != null) {
            j.put("message", message);
        }
        j.put("probability", probability);
        if (count != null) {
            j.put("count", count).put("remaining", Math.max(0, count - applied));
        }
        return j.put("applied", applied);
    }

    private static long nonNegative(JsonObject j, String name, long dflt) {
        Long v = j.getLong(name);
        if (v == null) {
            return dflt;
        }
        if (v < 0) {
            throw new IllegalArgumentException("\"" + name + "\" must not be negative");
        }
        return v;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
