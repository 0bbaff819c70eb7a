package io.dualsync.benchmarks;

import io.dualsync.emulator.EmulatorOptions;
import io.dualsync.emulator.Emulators;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the load drivers share: the emulators hosted on an event loop of their own, an empty
 * verticle whose event loop a driver runs on, dedicated client connections, tokens from the
 * emulators' token endpoint, and the id of the demo seed's company USMF. Blocking helpers
 * ({@code await}) are for a driver's main thread only, never an event loop.
 */
final class LoadSupport {
    static final String DATAVERSE_API = "/api/data/v9.2/";
    /** The development identity's tenant, which the emulators' token endpoints serve. */
    static final String TENANT = "dualsync-dev";

    private LoadSupport() {
    }

    /**
     * Both emulators on free loopback ports, demo seed, authentication on, and Dataverse's service
     * protection limits raised to {@link Integer#MAX_VALUE} so they never throttle a benchmark (the
     * defaults, 6,000 requests and 52 at once per user in five minutes, would stop one within a
     * second); their bookkeeping still runs on every request.
     */
    static EmulatorOptions unthrottledOptions() {
        EmulatorOptions options = new EmulatorOptions();
        options.foPort = 0;
        options.dataversePort = 0;
        options.seed = "demo";
        options.auth = true;
        options.limitRequests = Integer.MAX_VALUE;
        options.limitExecutionSeconds = Integer.MAX_VALUE;
        options.limitConcurrent = Integer.MAX_VALUE;
        return options;
    }

    /** Hosts both emulators on the event loop of its own context; {@link #thread} is that loop. */
    static final class Host extends VerticleBase {
        private final EmulatorOptions options;
        Emulators emulators;
        Thread thread;

        Host(EmulatorOptions options) {
            this.options = options;
        }

        @Override
        public Future<?> start() {
            thread = Thread.currentThread();
            return Emulators.start(vertx, options).onSuccess(e -> emulators = e);
        }

        @Override
        public Future<?> stop() {
            return emulators == null ? Future.succeededFuture() : emulators.close();
        }

        Context context() {
            return context;
        }

        /** Runs {@code task} on the emulators' event loop (the owner of their stores) and returns its result. */
        <T> Future<T> onLoop(java.util.function.Supplier<T> task) {
            Promise<T> p = Promise.promise();
            context.runOnContext(v -> {
                try {
                    p.complete(task.get());
                } catch (RuntimeException e) {
                    p.fail(e);
                }
            });
            return p.future();
        }
    }

    /** An empty verticle: its context (an event loop) is where a driver, or the engine, runs. */
    static final class Loop extends VerticleBase {
        Thread thread;

        @Override
        public Future<?> start() {
            thread = Thread.currentThread();
            return Future.succeededFuture();
        }

        Context context() {
            return context;
        }
    }

    /**
     * A {@link Loop} deployed on {@code vertx} whose event-loop thread is none of {@code taken}, so two
     * parts of a benchmark never share one thread by the luck of Vert.x's round robin.
     *
     * @throws IllegalStateException when eight attempts all landed on a taken thread
     */
    static Loop loopApartFrom(Vertx vertx, Thread... taken) throws Exception {
        for (int attempt = 0; attempt < 8; attempt++) {
            Loop candidate = new Loop();
            vertx.deployVerticle(candidate).await(10, TimeUnit.SECONDS);
            if (Arrays.stream(taken).noneMatch(t -> t == candidate.thread)) {
                return candidate;
            }
        }
        throw new IllegalStateException("could not get an event loop other than " + Arrays.toString(taken));
    }

    /**
     * Opens {@code count} connections on the calling event loop: each carries one request at a time
     * (HTTP/1.1 keep-alive, no pipelining), which keeps an exact number in flight without a pool's
     * bookkeeping in the measurement.
     */
    static Future<List<HttpClientConnection>> connect(HttpClientAgent client, int port, int count) {
        List<Future<HttpClientConnection>> opening = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            opening.add(client.connect(new HttpConnectOptions().setHost("127.0.0.1").setPort(port).setConnectTimeout(10_000)));
        }
        return Future.all(opening).map(all -> {
            List<HttpClientConnection> out = new ArrayList<>();
            for (Future<HttpClientConnection> f : opening) {
                out.add(f.result());
            }
            return out;
        });
    }

    /**
     * A client-credentials token of an emulator ({@code base}) for its own resource.
     *
     * @param minSeconds the run's length: a token that expires sooner is refused here rather than
     *                   failing the run half-way
     */
    static String token(WebClient web, String base, String clientId, String secret, long minSeconds) throws Exception {
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("grant_type", "client_credentials")
                .add("client_id", clientId)
                .add("client_secret", secret)
                .add("scope", base + "/.default");
        HttpResponse<Buffer> r = web.postAbs(Emulators.tokenEndpoint(base, TENANT)).sendForm(form)
                .await(30, TimeUnit.SECONDS);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("token endpoint answered " + r.statusCode() + ": " + r.bodyAsString());
        }
        JsonObject json = r.bodyAsJsonObject();
        long expiresIn = json.getLong("expires_in");
        if (expiresIn < minSeconds) {
            throw new IllegalStateException("the token expires in " + expiresIn + " s, before the run would end (" + minSeconds + " s)");
        }
        return json.getString("access_token");
    }

    /** The id of company USMF (the demo seed's), which the accounts' alternate key refers to. */
    static String company(WebClient web, String base, String token) throws Exception {
        HttpResponse<Buffer> r = web.getAbs(base + DATAVERSE_API + "cdm_companies")
                .addQueryParam("$select", "cdm_companyid")
                .addQueryParam("$filter", "cdm_companycode eq 'USMF'")
                .bearerTokenAuthentication(token)
                .send().await(30, TimeUnit.SECONDS);
        JsonArray value = r.statusCode() == 200 ? r.bodyAsJsonObject().getJsonArray("value") : null;
        if (value == null || value.size() != 1) {
            throw new IllegalStateException("cannot find company USMF: " + r.statusCode() + " " + r.bodyAsString());
        }
        return value.getJsonObject(0).getString("cdm_companyid");
    }
}
