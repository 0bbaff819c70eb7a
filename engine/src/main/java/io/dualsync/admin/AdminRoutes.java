package io.dualsync.admin;

import io.dualsync.config.InboundAuth;
import io.dualsync.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The operator's endpoints, on the engine's one HTTP port:
 * <ul>
 *   <li>{@code GET /metrics}: every meter, Prometheus text format (scraped on a worker thread);</li>
 *   <li>{@code GET /health/live}: 200 while the process serves HTTP;</li>
 *   <li>{@code GET /health/ready}: 200 when the {@link ReadinessCheck} has no reasons, else 503 with them;</li>
 *   <li>{@code GET /admin/conflicts}, {@code POST /admin/conflicts/{id}/resolve};</li>
 *   <li>{@code GET /admin/dead-letters}, {@code POST /admin/dead-letters/{id}/retry},
 *       {@code DELETE /admin/dead-letters/{id}}.</li>
 * </ul>
 * {@code /admin/*} answers 401 unless the request passes the configured {@code admin.auth}; 400 for a
 * bad id, limit or body; 404 for an id that is not there. Every answer but {@code /metrics} is JSON,
 * errors as {@code {"error": "..."}}. Handlers run on the router's event loop and never block it.
 */
public final class AdminRoutes {
    public static final String METRICS = "/metrics";
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";
    public static final String CONFLICTS = "/admin/conflicts";
    public static final String DEAD_LETTERS = "/admin/dead-letters";

    /** The content type of the Prometheus text exposition format Micrometer writes by default. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]{1,200}");

    private final Vertx vertx;
    private final Metrics metrics;
    private final ReadinessCheck readiness;
    private final ConflictAdmin conflicts;
    private final DeadLetterAdmin deadLetters;
    private final InboundAuth adminAuth;

    /**
     * @param adminAuth how {@code /admin/*} callers authenticate ({@link InboundAuth#NONE} for none;
     *                  {@code /metrics} and {@code /health/*} are always open)
     */
    public AdminRoutes(Vertx vertx, Metrics metrics, ReadinessCheck readiness, ConflictAdmin conflicts,
                       DeadLetterAdmin deadLetters, InboundAuth adminAuth) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.conflicts = Objects.requireNonNull(conflicts, "conflicts");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.adminAuth = Objects.requireNonNull(adminAuth, "adminAuth");
    }

    /** Adds the routes to {@code router} and returns it. */
    public Router mount(Router router) {
        router.get(METRICS).handler(this::metrics);
        router.get(LIVE).handler(ctx -> json(ctx.response(), 200, new JsonObject().put("status", "UP")));
        router.get(READY).handler(this::ready);

        router.route("/admin/*").handler(this::authenticate);
        router.get(CONFLICTS).handler(ctx -> list(ctx, conflicts::list));
        router.post(CONFLICTS + "/:id/resolve")
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .handler(this::resolve);
        router.get(DEAD_LETTERS).handler(ctx -> list(ctx, deadLetters::list));
        router.post(DEAD_LETTERS + "/:id/retry").handler(ctx -> withId(ctx, "dead letter", id -> deadLetters.retry(id),
                id -> json(ctx.response(), 202, new JsonObject().put("id", id).put("retrying", true))));
        router.delete(DEAD_LETTERS + "/:id").handler(ctx -> withId(ctx, "dead letter", id -> deadLetters.delete(id),
                id -> ctx.response().setStatusCode(204).end()));
        return router;
    }

    private void metrics(RoutingContext ctx) {
        // A scrape walks every meter and formats text: worker thread, unordered so scrapes do not queue.
        vertx.executeBlocking(metrics::scrape, false).onComplete(done -> {
            if (done.succeeded()) {
                ctx.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(done.result());
            } else {
                error(ctx.response(), 500, "metrics scrape failed: " + done.cause());
            }
        });
    }

    private void ready(RoutingContext ctx) {
        List<String> reasons = readiness.notReadyReasons();
        if (reasons.isEmpty()) {
            json(ctx.response(), 200, new JsonObject().put("status", "UP"));
        } else {
            json(ctx.response(), 503, new JsonObject().put("status", "DOWN").put("reasons", new JsonArray(List.copyOf(reasons))));
        }
    }

    private void authenticate(RoutingContext ctx) {
        if (adminAuth.accepts(ctx.request()::getHeader, ctx.request()::getParam)) {
            ctx.next();
        } else {
            ctx.response().putHeader("WWW-Authenticate", "ApiKey");
            error(ctx.response(), 401, "missing or wrong " + adminAuth.where() + " (admin.auth)");
        }
    }

    private interface Lister {
        Future<JsonArray> list(int limit);
    }

    private void list(RoutingContext ctx, Lister lister) {
        String raw = ctx.request().getParam("limit");
        int limit = DEFAULT_LIMIT;
        if (raw != null) {
            try {
                limit = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                error(ctx.response(), 400, "limit must be a whole number from 1 to " + MAX_LIMIT + ", got `" + raw + "`");
                return;
            }
        }
        int n = limit;
        call(ctx, () -> lister.list(n)).onSuccess(items -> json(ctx.response(), 200, items));
    }

    private void resolve(RoutingContext ctx) {
        ConflictResolution resolution;
        try {
            JsonObject body = ctx.body().isEmpty() ? null : ctx.body().asJsonObject();
            resolution = ConflictResolution.parse(body);
        } catch (DecodeException | ClassCastException e) {
            error(ctx.response(), 400, "the body is not a JSON object: {\"winner\": \"fo\" | \"dataverse\"} or {\"values\": {...}}");
            return;
        } catch (IllegalArgumentException e) {
            error(ctx.response(), 400, e.getMessage());
            return;
        }
        withId(ctx, "held conflict", id -> conflicts.resolve(id, resolution),
                id -> json(ctx.response(), 200, new JsonObject().put("id", id).put("resolved", true)));
    }

    private interface IdAction {
        Future<Boolean> apply(String id);
    }

    private interface IdAnswer {
        void found(String id);
    }

    private void withId(RoutingContext ctx, String what, IdAction action, IdAnswer answer) {
        String id = ctx.pathParam("id");
        if (id == null || !ID.matcher(id).matches()) {
            error(ctx.response(), 400, "bad id: 1 to 200 letters, digits and ._:@-");
            return;
        }
        call(ctx, () -> action.apply(id)).onSuccess(found -> {
            if (Boolean.TRUE.equals(found)) {
                answer.found(id);
            } else {
                error(ctx.response(), 404, "no " + what + " with id " + id);
            }
        });
    }

    /**
     * Runs an admin operation; its failure is answered here (400 for {@link IllegalArgumentException},
     * 500 otherwise), so callers only handle success.
     */
    private <T> Future<T> call(RoutingContext ctx, Supplier<Future<T>> operation) {
        Future<T> f;
        try {
            f = operation.get();
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        return f.onFailure(e -> {
            if (e instanceof IllegalArgumentException) {
                error(ctx.response(), 400, e.getMessage());
            } else {
                error(ctx.response(), 500, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
        });
    }

    private static void json(HttpServerResponse response, int status, Object body) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(body instanceof JsonArray ? ((JsonArray) body).encode() : ((JsonObject) body).encode());
    }

    private static void error(HttpServerResponse response, int status, String message) {
        json(response, status, new JsonObject().put("error", message));
    }
}
