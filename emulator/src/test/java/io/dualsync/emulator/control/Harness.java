package io.dualsync.emulator.control;

import io.dualsync.emulator.Caller;
import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.EmulatorModule;
import io.dualsync.emulator.EmulatorOptions;
import io.dualsync.emulator.EmulatorServer;
import io.dualsync.mapping.schema.SchemaLoader;
import io.dualsync.mapping.schema.SchemaSet;
import io.dualsync.mapping.Side;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One emulator on loopback for the control tests: the modules under test plus a stand-in API that
 * answers every request under {@code /api/data/v9.2/} and {@code /data/} with what it received. The
 * stand-in picks the caller from {@code x-test-user} (instead of a token), advances the fake clock by
 * {@code ?advanceMs=} and parks requests to {@code .../park} until {@link #releaseParked()}.
 */
final class Harness implements AutoCloseable {
    static final SchemaSet SCHEMAS = SchemaLoader.builtIn();

    final Vertx vertx = Vertx.vertx();
    final Context loop = vertx.getOrCreateContext();
    final EmulatorContext ctx;
    final AtomicLong clock = new AtomicLong(1_000_000);
    final ConcurrentLinkedQueue<RoutingContext> parked = new ConcurrentLinkedQueue<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final EmulatorServer server;

    private Harness(EmulatorContext.Kind kind, Consumer<EmulatorOptions> options,
                    Function<Harness, List<EmulatorModule>> modules) throws Exception {
        EmulatorOptions o = new EmulatorOptions();
        o.auth = false;
        options.accept(o);
        this.ctx = new EmulatorContext(vertx, o, kind);
        List<EmulatorModule> all = new ArrayList<>(modules.apply(this));
        all.add(this::mountStandIn);
        Promise<EmulatorServer> started = Promise.promise();
        // Started from the loop's context so the server's handlers and onLoop() share one event loop.
        loop.runOnContext(v -> EmulatorServer.start(ctx, 0, all).onComplete(started));
        this.server = started.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static Harness start(EmulatorContext.Kind kind, Consumer<EmulatorOptions> options,
                         Function<Harness, List<EmulatorModule>> modules) throws Exception {
        return new Harness(kind, options, modules);
    }

    /** Adds the built-in schema's table for an entity set (on the loop, like every store access). */
    Harness table(String entitySet) {
        Side side = ctx.kind() == EmulatorContext.Kind.DATAVERSE ? Side.DATAVERSE : Side.FO;
        onLoop(() -> ctx.store().add(SCHEMAS.get(side, entitySet)));
        return this;
    }

    /** A user caller header value turns into this caller in the stand-in. */
    static Caller user(String name) {
        return Caller.forClient("dualsync-dev", name);
    }

    private void mountStandIn(Router router) {
        for (String prefix : List.of("/api/data/v9.2/*", "/data/*")) {
            router.route(prefix).handler(BodyHandler.create(false).setBodyLimit(1024 * 1024));
            router.route(prefix).handler(rc -> {
                String advance = rc.request().getParam("advanceMs");
                if (advance != null) {
                    clock.addAndGet(Long.parseLong(advance));
                }
                if (rc.normalizedPath().endsWith("/park")) {
                    parked.add(rc);
                    return;
                }
                answer(rc);
            });
        }
        // A stand-in token endpoint, to check faults leave identity alone.
        router.post("/:tenant/oauth2/v2.0/token").handler(rc -> rc.response().end("{\"access_token\":\"x\"}"));
    }

    private static void answer(RoutingContext rc) {
        rc.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                .put("method", rc.request().method().name()).put("path", rc.normalizedPath())
                .put("body", rc.body().asString()).put("user", EmulatorContext.caller(rc).clientId()).encode());
    }

    /** Answers every parked request (on the loop). */
    void releaseParked() {
        onLoop(() -> {
            RoutingContext rc;
            while ((rc = parked.poll()) != null) {
                answer(rc);
            }
            return null;
        });
    }

    /** The caller the stand-in API sees: from {@code x-test-user}, else anonymous; mounted where authGuard would be. */
    static EmulatorModule testCallers(String prefix) {
        return router -> router.route(prefix).handler(rc -> {
            String name = rc.request().getHeader("x-test-user");
            rc.put(EmulatorContext.CALLER, name == null ? Caller.ANONYMOUS : user(name));
            rc.next();
        });
    }

    <T> T onLoop(Supplier<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.runOnContext(v -> {
            try {
                f.complete(work.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder request(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(30));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return b;
    }

    HttpResponse<String> send(String method, String path, String body) {
        return send(request(method, path, body));
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest.Builder request) {
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) {
        return send("GET", path, null);
    }

    static JsonObject json(HttpResponse<String> r) {
        return new JsonObject(r.body());
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
