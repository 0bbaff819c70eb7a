package io.dualsync.connector.http;

import io.dualsync.auth.ClientCredentials;
import io.dualsync.emulator.EmulatorOptions;
import io.dualsync.emulator.Emulators;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Both emulators in-process on free loopback ports, seeded with the demo data, tokens required, and
 * what connector tests need around them: the development identity, the control API, counters.
 */
public final class Emulated implements AutoCloseable {
    public static final String TENANT = "dualsync-dev";
    public static final String CLIENT_ID = "dualsync-dev";
    public static final String SECRET = "dualsync-dev-secret";

    public final Vertx vertx = Vertx.vertx();
    public final Emulators emulators;
    private final HttpClient control = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    private Emulated(Consumer<EmulatorOptions> tune) {
        EmulatorOptions o = new EmulatorOptions();
        o.foPort = 0;
        o.dataversePort = 0;
        o.seed = "demo";
        o.auth = true;
        tune.accept(o);
        this.emulators = await(Emulators.start(vertx, o));
    }

    public static Emulated start() {
        return new Emulated(o -> { });
    }

    public static Emulated start(Consumer<EmulatorOptions> tune) {
        return new Emulated(tune);
    }

    public String dataverseUrl() {
        return emulators.dataverseUrl();
    }

    public String foUrl() {
        return emulators.foUrl();
    }

    /** The development identity for a resource, with the emulator's own token endpoint as authority. */
    public static ClientCredentials identity(String baseUrl) {
        return ClientCredentials.secret(baseUrl + "/" + TENANT + "/", CLIENT_ID, SECRET, baseUrl);
    }

    /** A control API call ({@code /_emulator/...}); the answer's JSON, or an empty object. */
    public JsonObject control(String baseUrl, String method, String path, JsonObject body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/_emulator/" + path))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
            HttpResponse<String> r = control.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
            }
            String text = r.body();
            return text == null || text.isBlank() || !text.trim().startsWith("{") ? new JsonObject() : new JsonObject(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every row of a table, as the emulator stores it ({@code GET /_emulator/rows/{entitySet}}). */
    public io.vertx.core.json.JsonArray rows(String baseUrl, String entitySet) {
        try {
            HttpRequest r = HttpRequest.newBuilder(URI.create(baseUrl + "/_emulator/rows/" + entitySet))
                    .timeout(Duration.ofSeconds(30)).GET().build();
            return new io.vertx.core.json.JsonArray(control.send(r, HttpResponse.BodyHandlers.ofString()).body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds a fault rule ({@code POST /_emulator/faults}). */
    public void fault(String baseUrl, JsonObject rule) {
        control(baseUrl, "POST", "faults", rule);
    }

    /** Responses an emulator sent for a method and status since the counters were last reset. */
    public long responses(String baseUrl, String method, int status) {
        JsonObject byMethod = control(baseUrl, "GET", "counters", null).getJsonObject("requests", new JsonObject())
                .getJsonObject("byMethod", new JsonObject());
        return byMethod.getJsonObject(method, new JsonObject()).getLong(Integer.toString(status), 0L);
    }

    /** Inserts rows straight into a table, all or nothing, without events or webhooks ({@code POST /_emulator/rows/{entitySet}}). */
    public void insertRows(String baseUrl, String entitySet, io.vertx.core.json.JsonArray rows) {
        try {
            HttpRequest r = HttpRequest.newBuilder(URI.create(baseUrl + "/_emulator/rows/" + entitySet))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(rows.encode())).build();
            HttpResponse<String> answer = control.send(r, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() >= 300) {
                throw new IllegalStateException("POST rows/" + entitySet + " -> " + answer.statusCode() + " " + answer.body());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every entry of an emulator's request log, oldest first, read in pages ({@code GET /_emulator/requests}).
     *
     * @throws IllegalStateException when the log dropped entries (its capacity was too small) or is not recording
     */
    public java.util.List<JsonObject> requests(String baseUrl) {
        java.util.List<JsonObject> out = new java.util.ArrayList<>();
        long after = 0;
        while (true) {
            JsonObject page = control(baseUrl, "GET", "requests?after=" + after + "&limit=5000", null);
            if (!page.getBoolean("recording", false) || page.getLong("dropped", 0L) > 0) {
                throw new IllegalStateException("the request log of " + baseUrl + " is not complete: " + page.copy().put("entries", "..."));
            }
            io.vertx.core.json.JsonArray entries = page.getJsonArray("entries");
            if (entries.isEmpty()) {
                return out;
            }
            for (Object o : entries) {
                out.add((JsonObject) o);
            }
            after = out.get(out.size() - 1).getLong("seq");
        }
    }

    public void resetCounters(String baseUrl) {
        control(baseUrl, "DELETE", "counters", null);
    }

    public void clearFaults(String baseUrl) {
        control(baseUrl, "DELETE", "faults", null);
    }

    /** Adds a fault rule and returns its id (for {@link #removeFault}). */
    public String addFault(String baseUrl, JsonObject rule) {
        return control(baseUrl, "POST", "faults", rule).getString("id");
    }

    public void removeFault(String baseUrl, String id) {
        control(baseUrl, "DELETE", "faults/" + id, null);
    }

    /** Starts (or restarts, empty) the emulator's request log, keeping at most {@code capacity} requests. */
    public void startRequestLog(String baseUrl, int capacity) {
        control(baseUrl, "POST", "requests", new JsonObject().put("capacity", capacity));
    }

    /**
     * The logged requests after sequence number {@code afterSeq}, oldest first: each with {@code seq},
     * {@code at} (epoch ms), {@code method}, {@code uri}, {@code ifMatch}, {@code status}, and {@code body} for writes.
     */
    public io.vertx.core.json.JsonArray requests(String baseUrl, long afterSeq) {
        return control(baseUrl, "GET", "requests?after=" + afterSeq, null).getJsonArray("entries", new io.vertx.core.json.JsonArray());
    }

    /** Stops the request log and forgets it. */
    public void stopRequestLog(String baseUrl) {
        control(baseUrl, "DELETE", "requests", null);
    }

    public static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        await(emulators.close());
        await(vertx.close());
    }
}
