package io.dualsync.admin;

import io.dualsync.config.InboundAuth;
import io.dualsync.config.Secret;
import io.dualsync.mapping.Side;
import io.dualsync.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin, health and metrics endpoints over real HTTP on a loopback port. */
class AdminRoutesIT {
    private Vertx vertx;
    private HttpServer server;
    private WebClient client;
    private final AtomicBoolean journalOpen = new AtomicBoolean(false);
    private final AtomicBoolean mapsLoaded = new AtomicBoolean(true);
    private final Readiness readiness = new Readiness()
            .require("journal is not open", journalOpen::get)
            .require("maps are not loaded", mapsLoaded::get);
    private final Metrics metrics = new Metrics();
    private final HeldConflicts conflicts = new HeldConflicts();
    private final DeadLetters deadLetters = new DeadLetters();

    /** Conflicts held in memory, as the conflict stage would hold them. */
    static final class HeldConflicts implements ConflictAdmin {
        final Map<String, JsonObject> held = new LinkedHashMap<>();
        final List<ConflictResolution> resolutions = new ArrayList<>();

        @Override
        public Future<JsonArray> list(int limit) {
            return Future.succeededFuture(new JsonArray(held.values().stream().limit(limit).map(o -> (Object) o).toList()));
        }

        @Override
        public Future<Boolean> resolve(String id, ConflictResolution resolution) {
            if (resolution.values() != null && resolution.values().containsKey("nosuchfield")) {
                return Future.failedFuture(new IllegalArgumentException("nosuchfield is not a mapped field"));
            }
            boolean found = held.remove(id) != null;
            if (found) {
                resolutions.add(resolution);
            }
            return Future.succeededFuture(found);
        }
    }

    /** Dead letters in memory, as the apply stage would keep them. */
    static final class DeadLetters implements DeadLetterAdmin {
        final Map<String, JsonObject> letters = new LinkedHashMap<>();
        final List<String> retried = new ArrayList<>();

        @Override
        public Future<JsonArray> list(int limit) {
            return Future.succeededFuture(new JsonArray(letters.values().stream().limit(limit).map(o -> (Object) o).toList()));
        }

        @Override
        public Future<Boolean> retry(String id) {
            if (id.equals("explodes")) {
                throw new IllegalStateException("store is closed");
            }
            boolean found = letters.remove(id) != null;
            if (found) {
                retried.add(id);
            }
            return Future.succeededFuture(found);
        }

        @Override
        public Future<Boolean> delete(String id) {
            return Future.succeededFuture(letters.remove(id) != null);
        }
    }

    private void start(InboundAuth adminAuth) throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        new AdminRoutes(vertx, metrics, readiness, conflicts, deadLetters, adminAuth).mount(router);
        server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
        client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
    }

    @BeforeEach
    void seed() {
        conflicts.held.put("c-1", new JsonObject().put("id", "c-1").put("map", "customers"));
        conflicts.held.put("c-2", new JsonObject().put("id", "c-2").put("map", "vendors"));
        deadLetters.letters.put("d-1", new JsonObject().put("id", "d-1").put("error", "400 creditlimit must be >= 0"));
    }

    @AfterEach
    void stop() throws Exception {
        if (vertx != null) {
            await(vertx.close());
        }
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private HttpResponse<Buffer> send(HttpMethod method, String path) throws Exception {
        return await(client.request(method, path).send());
    }

    private HttpResponse<Buffer> send(HttpRequest<Buffer> request, String body) throws Exception {
        return await(request.sendBuffer(Buffer.buffer(body)));
    }

    @Test
    void live_isAlways200() throws Exception {
        start(InboundAuth.NONE);

        HttpResponse<Buffer> r = send(HttpMethod.GET, "/health/live");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    }

    @Test
    void ready_followsTheCheck_andSaysWhyNot() throws Exception {
        start(InboundAuth.NONE);

        HttpResponse<Buffer> notYet = send(HttpMethod.GET, "/health/ready");
        assertThat(notYet.statusCode()).isEqualTo(503);
        assertThat(notYet.bodyAsJsonObject().getJsonArray("reasons")).containsExactly("journal is not open");

        journalOpen.set(true);
        assertThat(send(HttpMethod.GET, "/health/ready").statusCode()).isEqualTo(200);

        mapsLoaded.set(false);
        HttpResponse<Buffer> noMaps = send(HttpMethod.GET, "/health/ready");
        assertThat(noMaps.statusCode()).isEqualTo(503);
        assertThat(noMaps.bodyAsJsonObject().getJsonArray("reasons")).containsExactly("maps are not loaded");

        mapsLoaded.set(true);
        readiness.markStopping();
        HttpResponse<Buffer> stopping = send(HttpMethod.GET, "/health/ready");
        assertThat(stopping.statusCode()).isEqualTo(503);
        assertThat(stopping.bodyAsJsonObject().getJsonArray("reasons")).containsExactly("shutting down");
        assertThat(send(HttpMethod.GET, "/health/live").statusCode()).as("still alive while draining").isEqualTo(200);
    }

    @Test
    void metrics_servesThePrometheusText() throws Exception {
        start(InboundAuth.NONE);
        metrics.applyEvents(Side.DATAVERSE, Metrics.ApplyResult.APPLIED).increment(3);

        HttpResponse<Buffer> r = send(HttpMethod.GET, "/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.getHeader("Content-Type")).startsWith("text/plain; version=0.0.4");
        assertThat(r.bodyAsString())
                .contains("dualsync_apply_events_total{result=\"applied\",target=\"dataverse\"} 3.0")
                .contains("# HELP dualsync_sync_latency_seconds");
    }

    @Test
    void conflicts_areListedAndResolved() throws Exception {
        start(InboundAuth.NONE);

        HttpResponse<Buffer> all = send(HttpMethod.GET, "/admin/conflicts");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.bodyAsJsonArray()).extracting(o -> ((JsonObject) o).getString("id")).containsExactly("c-1", "c-2");
        assertThat(send(HttpMethod.GET, "/admin/conflicts?limit=1").bodyAsJsonArray()).hasSize(1);

        HttpResponse<Buffer> resolved = send(client.post("/admin/conflicts/c-1/resolve"), "{\"winner\":\"dataverse\"}");
        assertThat(resolved.statusCode()).isEqualTo(200);
        assertThat(resolved.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", "c-1").put("resolved", true));
        assertThat(conflicts.resolutions).containsExactly(ConflictResolution.winner(Side.DATAVERSE));

        HttpResponse<Buffer> merged = send(client.post("/admin/conflicts/c-2/resolve"), "{\"values\":{\"name\":\"Contoso\"}}");
        assertThat(merged.statusCode()).isEqualTo(200);
        assertThat(conflicts.resolutions.get(1).values()).containsEntry("name", "Contoso");

        HttpResponse<Buffer> again = send(client.post("/admin/conflicts/c-1/resolve"), "{\"winner\":\"fo\"}");
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.bodyAsJsonObject().getString("error")).isEqualTo("no held conflict with id c-1");
    }

    @Test
    void badInput_is400_withWhatIsWrong() throws Exception {
        start(InboundAuth.NONE);

        assertThat(error(send(client.post("/admin/conflicts/c-1/resolve"), "{not json"), 400)).contains("not a JSON object");
        assertThat(error(send(client.post("/admin/conflicts/c-1/resolve"), "[1]"), 400)).contains("not a JSON object");
        assertThat(error(send(client.post("/admin/conflicts/c-1/resolve"), ""), 400)).contains("expected a JSON object");
        assertThat(error(send(client.post("/admin/conflicts/c-1/resolve"), "{\"winner\":\"both\"}"), 400))
                .isEqualTo("winner must be \"fo\" or \"dataverse\", got `both`");
        assertThat(error(send(client.post("/admin/conflicts/c-1/resolve"), "{\"winner\":\"fo\",\"values\":{\"a\":1}}"), 400))
                .contains("exactly one of winner");
        assertThat(error(send(client.post("/admin/conflicts/c-1/resolve"), "{\"values\":{\"nosuchfield\":1}}"), 400))
                .isEqualTo("nosuchfield is not a mapped field");
        assertThat(error(send(HttpMethod.GET, "/admin/dead-letters?limit=0"), 400)).contains("limit must be");
        assertThat(error(send(HttpMethod.GET, "/admin/conflicts?limit=lots"), 400)).contains("got `lots`");
        assertThat(error(send(HttpMethod.DELETE, "/admin/dead-letters/bad%20id"), 400)).startsWith("bad id");
        assertThat(conflicts.held).as("nothing resolved by a bad request").containsKeys("c-1", "c-2");
    }

    @Test
    void deadLetters_areListedRetriedAndDeleted() throws Exception {
        start(InboundAuth.NONE);
        deadLetters.letters.put("d-2", new JsonObject().put("id", "d-2"));

        assertThat(send(HttpMethod.GET, "/admin/dead-letters").bodyAsJsonArray()).hasSize(2);

        HttpResponse<Buffer> retry = send(HttpMethod.POST, "/admin/dead-letters/d-1/retry");
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(deadLetters.retried).containsExactly("d-1");
        assertThat(send(HttpMethod.POST, "/admin/dead-letters/d-1/retry").statusCode()).isEqualTo(404);

        assertThat(send(HttpMethod.DELETE, "/admin/dead-letters/d-2").statusCode()).isEqualTo(204);
        assertThat(error(send(HttpMethod.DELETE, "/admin/dead-letters/d-2"), 404)).isEqualTo("no dead letter with id d-2");
        assertThat(send(HttpMethod.GET, "/admin/dead-letters").bodyAsJsonArray()).isEmpty();

        assertThat(error(send(HttpMethod.POST, "/admin/dead-letters/explodes/retry"), 500)).contains("store is closed");
    }

    @Test
    void adminAuth_guardsAdminButNotHealthOrMetrics() throws Exception {
        start(new InboundAuth(InboundAuth.Type.HTTP_HEADER, "X-Admin-Key", Secret.of("let-me-in")));

        assertThat(error(send(HttpMethod.GET, "/admin/conflicts"), 401)).isEqualTo("missing or wrong header X-Admin-Key (admin.auth)");
        assertThat(await(client.get("/admin/conflicts").putHeader("X-Admin-Key", "let-me-ix").send()).statusCode()).isEqualTo(401);
        assertThat(await(client.delete("/admin/dead-letters/d-1").send()).statusCode()).isEqualTo(401);
        assertThat(deadLetters.letters).containsKey("d-1");

        assertThat(await(client.get("/admin/conflicts").putHeader("X-Admin-Key", "let-me-in").send()).statusCode()).isEqualTo(200);
        assertThat(send(HttpMethod.GET, "/metrics").statusCode()).isEqualTo(200);
        assertThat(send(HttpMethod.GET, "/health/live").statusCode()).isEqualTo(200);
    }

    private static String error(HttpResponse<Buffer> r, int expectedStatus) {
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(expectedStatus);
        assertThat(r.getHeader("Content-Type")).isEqualTo("application/json");
        return r.bodyAsJsonObject().getString("error");
    }
}
