package io.dualsync.emulator.control;

import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.EmulatorModule;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fault injection and request counting, mounted first on an emulator's router so it sees every
 * request. Active {@link FaultRule}s (managed through {@link ControlApi} at {@code /_emulator/faults})
 * delay, fail, throttle, drop or hold matching API requests; the control API ({@code /_emulator/}) and the
 * identity endpoints are never faulted. Every response except the control API's own is counted.
 *
 * <p>Runs on the emulator's event loop; rules are changed on it too (through the control API).
 */
public final class Faults implements EmulatorModule {
    /** Requests held by {@code hang} faults at most; beyond it the oldest is dropped, so nothing leaks. */
    static final int MAX_HELD = 512;

    private final EmulatorContext ctx;
    private final Random random;
    private final List<FaultRule> rules = new CopyOnWriteArrayList<>();
    private final RequestCounters counters = new RequestCounters();
    private final RequestLog log = new RequestLog();
    /** Requests a hang fault holds, oldest first, with the id of the rule holding each. */
    private final Map<RoutingContext, String> held = new LinkedHashMap<>();

    public Faults(EmulatorContext ctx) {
        this(ctx, new Random());
    }

    Faults(EmulatorContext ctx, Random random) {
        this.ctx = ctx;
        this.random = random;
    }

    @Override
    public void mount(Router router) {
        router.route().handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        String path = rc.normalizedPath();
        boolean control = path.equals("/_emulator") || path.startsWith("/_emulator/");
        if (!control) {
            counters.track(rc);
            log.track(rc);
        }
        if (control || rules.isEmpty() || isIdentity(path)) {
            rc.next();
            return;
        }
        String method = rc.request().method().name();
        String entitySet = entitySetOf(path);
        long delay = 0;
        FaultRule terminal = null;
        for (FaultRule r : rules) {
            if (!r.matches(method, entitySet)) {
                continue;
            }
            if (r.type == FaultRule.Type.LATENCY) {
                if (r.fire(random)) {
                    delay += r.delay(random);
                }
            } else if (terminal == null && r.fire(random)) {
                terminal = r;
            }
        }
        if (delay == 0 && terminal == null) {
            rc.next();
            return;
        }
        // Nothing downstream has read the body yet: keep it queued while we wait (vert.x-web's
        // BodyHandler resumes the request when it runs).
        rc.request().pause();
        FaultRule fault = terminal;
        if (delay > 0) {
            ctx.vertx().setTimer(delay, t -> apply(rc, fault));
        } else {
            apply(rc, fault);
        }
    }

    private void apply(RoutingContext rc, FaultRule fault) {
        if (rc.response().closed() || rc.response().ended()) {
            return; // the client gave up while we delayed
        }
        if (fault == null) {
            proceed(rc);
            return;
        }
        switch (fault.type) {
            case ERROR -> {
                rc.request().resume();
                ErrorBody.send(rc, fault.status, fault.retryAfterSeconds,
                        fault.code != null ? fault.code : errorCode(fault.status),
                        fault.message != null ? fault.message : errorMessage(fault.status));
            }
            case THROTTLE -> {
                rc.request().resume();
                ErrorBody.send(rc, 429, Math.max(1, fault.retryAfterSeconds),
                        fault.code != null ? fault.code : throttleCode(),
                        fault.message != null ? fault.message : throttleMessage(fault.retryAfterSeconds));
            }
            // HTTP/1.1: closes the connection; HTTP/2: resets only this stream.
            case RESET -> rc.response().reset();
            case HANG -> hold(rc, fault.id);
            default -> proceed(rc);
        }
    }

    private static void proceed(RoutingContext rc) {
        rc.next();
        // If no BodyHandler ran (a GET, or an early answer), let the request finish as it would have.
        rc.request().resume();
    }

    private void hold(RoutingContext rc, String ruleId) {
        if (held.size() >= MAX_HELD) {
            Iterator<RoutingContext> oldest = held.keySet().iterator();
            RoutingContext dropped = oldest.next();
            oldest.remove();
            dropped.response().reset();
        }
        held.put(rc, ruleId);
        rc.addEndHandler(ar -> held.remove(rc));
    }

    // ---- rule management (control API, event loop) ----

    FaultRule add(JsonObject json) {
        FaultRule rule = FaultRule.parse(UUID.randomUUID().toString(), json);
        rules.add(rule);
        return rule;
    }

    List<FaultRule> rules() {
        return List.copyOf(rules);
    }

    /** Removes every rule and lets the requests held by hang faults go on to be answered normally. */
    void clear() {
        rules.clear();
        release(null);
    }

    boolean remove(String id) {
        boolean removed = rules.removeIf(r -> r.id.equals(id));
        if (removed) {
            release(id);
        }
        return removed;
    }

    int heldCount() {
        return held.size();
    }

    RequestCounters counters() {
        return counters;
    }

    RequestLog log() {
        return log;
    }

    private void release(String ruleId) {
        List<RoutingContext> go = new ArrayList<>();
        for (Map.Entry<RoutingContext, String> e : held.entrySet()) {
            if (ruleId == null || ruleId.equals(e.getValue())) {
                go.add(e.getKey());
            }
        }
        for (RoutingContext rc : go) {
            held.remove(rc);
            if (!rc.response().closed() && !rc.response().ended()) {
                proceed(rc);
            }
        }
    }

    // ---- what a request is about ----

    /** Token and discovery endpoints ({@code /{tenant}/oauth2/v2.0/token}, {@code /{tenant}/v2.0/.well-known/...}). */
    static boolean isIdentity(String path) {
        return path.contains("/oauth2/") || path.contains("/.well-known/");
    }

    /**
     * The entity set a request addresses: the first segment after {@code /api/data/v9.2/} (Dataverse) or
     * {@code /data/} (F&O), without its key: {@code /api/data/v9.2/accounts(0000...)/name} is {@code accounts}.
     */
    static String entitySetOf(String path) {
        String rest;
        if (path.startsWith("/api/data/")) {
            rest = path.substring("/api/data/".length());
            int slash = rest.indexOf('/');
            rest = slash < 0 ? "" : rest.substring(slash + 1); // skip the version segment
        } else if (path.startsWith("/data/")) {
            rest = path.substring("/data/".length());
        } else {
            rest = path.startsWith("/") ? path.substring(1) : path;
        }
        int end = rest.length();
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '/' || c == '(' || c == '?') {
                end = i;
                break;
            }
        }
        return rest.substring(0, end);
    }

    // ---- the services' error shapes ----

    private boolean dataverse() {
        return ctx.kind() == EmulatorContext.Kind.DATAVERSE;
    }

    private String errorCode(int status) {
        if (dataverse()) {
            // 0x80040216 "An unexpected error occurred." is the Web API's generic server error.
            return "0x80040216";
        }
        return switch (status) {
            case 502 -> "BadGateway";
            case 503 -> "ServiceUnavailable";
            default -> "InternalServerError";
        };
    }

    private static String errorMessage(int status) {
        return switch (status) {
            case 500 -> "An unexpected error occurred.";
            case 502 -> "Bad gateway: the service did not answer the front end.";
            case 503 -> "The service is temporarily unavailable. Try again later.";
            default -> "Emulated fault (HTTP " + status + ").";
        };
    }

    private String throttleCode() {
        return dataverse() ? ServiceProtection.REQUESTS_CODE : FoThrottling.CODE;
    }

    private String throttleMessage(long retryAfter) {
        return dataverse()
                ? ServiceProtection.requestsMessage(ctx.options().limitRequests, ctx.options().limitWindowSeconds)
                : FoThrottling.message(Math.max(1, retryAfter));
    }
}
