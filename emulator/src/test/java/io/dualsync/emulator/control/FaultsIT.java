package io.dualsync.emulator.control;

import io.dualsync.emulator.EmulatorContext.Kind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class FaultsIT {
    private Harness h;

    private Harness start(Kind kind) throws Exception {
        h = Harness.start(kind, o -> { }, x -> {
            Faults faults = new Faults(x.ctx, new Random(42));
            return List.of(faults, new ControlApi(x.ctx, faults));
        });
        return h;
    }

    @AfterEach
    void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    private String addFault(String json) {
        HttpResponse<String> r = h.send("POST", "/_emulator/faults", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Harness.json(r).getString("id");
    }

    @Test
    void latency_delaysTheRequest_andTheBodyStillArrives() throws Exception {
        start(Kind.DATAVERSE);
        addFault("{\"type\":\"latency\",\"latencyMs\":400,\"jitterMs\":100,\"method\":\"POST\"}");

        long t0 = System.nanoTime();
        HttpResponse<String> r = h.send("POST", "/api/data/v9.2/accounts", "{\"name\":\"Contoso\"}");
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(ms).isGreaterThanOrEqualTo(400);
        assertThat(Harness.json(r).getString("body")).isEqualTo("{\"name\":\"Contoso\"}");
    }

    @Test
    void error_answersWithTheDataverseErrorShape() throws Exception {
        start(Kind.DATAVERSE);
        addFault("{\"type\":\"error\",\"status\":503}");

        HttpResponse<String> r = h.get("/api/data/v9.2/accounts");

        assertThat(r.statusCode()).isEqualTo(503);
        JsonObject error = Harness.json(r).getJsonObject("error");
        assertThat(error.getString("code")).startsWith("0x");
        assertThat(error.getString("message")).isNotBlank();
    }

    @Test
    void error_answersWithTheFoErrorShape() throws Exception {
        start(Kind.FO);
        addFault("{\"type\":\"error\",\"status\":502}");

        HttpResponse<String> r = h.get("/data/CustomersV3");

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(Harness.json(r).getJsonObject("error").getString("code")).isEqualTo("BadGateway");
    }

    @Test
    void error_isScopedByEntitySetAndMethod() throws Exception {
        start(Kind.DATAVERSE);
        addFault("{\"type\":\"error\",\"status\":500,\"entitySet\":\"accounts\",\"method\":\"patch\"}");

        assertThat(h.send("PATCH", "/api/data/v9.2/accounts(00000000-0000-0000-0000-000000000001)", "{}").statusCode()).isEqualTo(500);
        assertThat(h.send("PATCH", "/api/data/v9.2/Accounts(00000000-0000-0000-0000-000000000001)", "{}").statusCode()).isEqualTo(500);
        assertThat(h.get("/api/data/v9.2/accounts").statusCode()).isEqualTo(200);
        assertThat(h.send("PATCH", "/api/data/v9.2/contacts(00000000-0000-0000-0000-000000000001)", "{}").statusCode()).isEqualTo(200);
        assertThat(h.send("PATCH", "/api/data/v9.2/accountsextra", "{}").statusCode()).isEqualTo(200);
    }

    @Test
    void count_limitsHowOftenAFaultApplies() throws Exception {
        start(Kind.FO);
        addFault("{\"type\":\"error\",\"status\":503,\"count\":2}");

        assertThat(h.get("/data/CustomersV3").statusCode()).isEqualTo(503);
        assertThat(h.get("/data/CustomersV3").statusCode()).isEqualTo(503);
        assertThat(h.get("/data/CustomersV3").statusCode()).isEqualTo(200);

        JsonObject rule = new JsonArray(h.get("/_emulator/faults").body()).getJsonObject(0);
        assertThat(rule.getInteger("remaining")).isZero();
        assertThat(rule.getInteger("applied")).isEqualTo(2);
    }

    @Test
    void probability_failsSomeRequestsOnly() throws Exception {
        start(Kind.DATAVERSE);
        addFault("{\"type\":\"error\",\"status\":500,\"probability\":0.5}");

        int failed = 0;
        for (int i = 0; i < 200; i++) {
            if (h.get("/api/data/v9.2/accounts").statusCode() == 500) {
                failed++;
            }
        }
        assertThat(failed).isBetween(50, 150);
    }

    @Test
    void throttle_answers429WithRetryAfter() throws Exception {
        start(Kind.DATAVERSE);
        addFault("{\"type\":\"throttle\",\"retryAfterSeconds\":7}");

        HttpResponse<String> r = h.get("/api/data/v9.2/accounts");

        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(Harness.json(r).getJsonObject("error").getString("code")).isEqualTo("0x80072322");
    }

    @Test
    void reset_closesTheConnectionWithoutAResponse() throws Exception {
        start(Kind.FO);
        addFault("{\"type\":\"reset\",\"entitySet\":\"CustomersV3\"}");
        HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        assertThatThrownBy(() -> fresh.send(h.request("POST", "/data/CustomersV3", "{}").build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(counters().getLong("aborted")).isGreaterThanOrEqualTo(1));
        assertThat(h.get("/data/VendorsV2").statusCode()).isEqualTo(200);
    }

    @Test
    void hang_holdsTheRequestUntilTheFaultIsCleared() throws Exception {
        start(Kind.DATAVERSE);
        addFault("{\"type\":\"hang\",\"entitySet\":\"accounts\"}");

        CompletableFuture<HttpResponse<String>> pending = h.sendAsync(h.request("GET", "/api/data/v9.2/accounts", null));
        await().atMost(Duration.ofSeconds(10)).until(() -> Harness.json(h.get("/_emulator/health")).getInteger("heldRequests") == 1);
        assertThat(pending).isNotDone();

        assertThat(h.send("DELETE", "/_emulator/faults", null).statusCode()).isEqualTo(204);

        assertThat(pending.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(Harness.json(h.get("/_emulator/health")).getInteger("heldRequests")).isZero();
    }

    @Test
    void hang_forgetsRequestsWhoseClientGaveUp() throws Exception {
        start(Kind.DATAVERSE);
        addFault("{\"type\":\"hang\"}");

        assertThatThrownBy(() -> h.http.send(h.request("GET", "/api/data/v9.2/accounts", null).timeout(Duration.ofMillis(300)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(HttpTimeoutException.class);

        await().atMost(Duration.ofSeconds(10)).until(() -> Harness.json(h.get("/_emulator/health")).getInteger("heldRequests") == 0);
    }

    @Test
    void deletingOneRule_keepsTheOthers() throws Exception {
        start(Kind.DATAVERSE);
        String first = addFault("{\"type\":\"error\",\"status\":500,\"entitySet\":\"accounts\"}");
        addFault("{\"type\":\"error\",\"status\":503,\"entitySet\":\"contacts\"}");

        assertThat(h.send("DELETE", "/_emulator/faults/" + first, null).statusCode()).isEqualTo(204);

        assertThat(h.get("/api/data/v9.2/accounts").statusCode()).isEqualTo(200);
        assertThat(h.get("/api/data/v9.2/contacts").statusCode()).isEqualTo(503);
        assertThat(new JsonArray(h.get("/_emulator/faults").body())).hasSize(1);
        assertThat(h.send("DELETE", "/_emulator/faults/" + first, null).statusCode()).isEqualTo(404);
    }

    @Test
    void controlApiAndIdentity_areNeverFaulted() throws Exception {
        start(Kind.DATAVERSE);
        addFault("{\"type\":\"error\",\"status\":503}");

        assertThat(h.get("/_emulator/health").statusCode()).isEqualTo(200);
        assertThat(h.send("POST", "/dualsync-dev/oauth2/v2.0/token", "grant_type=client_credentials").statusCode()).isEqualTo(200);
    }

    @Test
    void badRule_isRejected() throws Exception {
        start(Kind.DATAVERSE);

        assertThat(h.send("POST", "/_emulator/faults", "{\"type\":\"explode\"}").statusCode()).isEqualTo(400);
        assertThat(h.send("POST", "/_emulator/faults", "{\"type\":\"error\",\"probability\":2}").statusCode()).isEqualTo(400);
        assertThat(h.send("POST", "/_emulator/faults", "not json").statusCode()).isEqualTo(400);
        assertThat(new JsonArray(h.get("/_emulator/faults").body())).isEmpty();
    }

    @Test
    void counters_countEveryApiResponseByMethodAndStatus() throws Exception {
        start(Kind.DATAVERSE);
        h.get("/api/data/v9.2/accounts");
        h.get("/api/data/v9.2/accounts");
        addFault("{\"type\":\"throttle\",\"method\":\"PATCH\",\"count\":1}");
        h.send("PATCH", "/api/data/v9.2/accounts(00000000-0000-0000-0000-000000000001)", "{}");
        h.send("PATCH", "/api/data/v9.2/accounts(00000000-0000-0000-0000-000000000001)", "{}");

        JsonObject requests = counters();

        assertThat(requests.getLong("total")).isEqualTo(4);
        assertThat(requests.getJsonObject("byMethod").getJsonObject("GET").getLong("200")).isEqualTo(2);
        assertThat(requests.getJsonObject("byMethod").getJsonObject("PATCH").getLong("429")).isEqualTo(1);
        assertThat(requests.getJsonObject("byMethod").getJsonObject("PATCH").getLong("200")).isEqualTo(1);
        assertThat(requests.getJsonObject("byStatus").getLong("200")).isEqualTo(3);

        assertThat(h.send("DELETE", "/_emulator/counters", null).statusCode()).isEqualTo(204);
        assertThat(counters().getLong("total")).isZero();
    }

    @Test
    void requestLog_recordsWhatWasSent_onlyWhileAsked() throws Exception {
        start(Kind.DATAVERSE);
        h.send("POST", "/api/data/v9.2/accounts", "{\"name\":\"before\"}");
        assertThat(h.send("POST", "/_emulator/requests", "{\"capacity\":2}").statusCode()).isEqualTo(204);

        h.send("PATCH", "/api/data/v9.2/accounts(1)", "{\"name\":\"first\"}");
        h.send("GET", "/api/data/v9.2/accounts?$top=1", null);
        h.send("PATCH", "/api/data/v9.2/accounts(2)", "{\"name\":\"third\"}");

        JsonObject log = Harness.json(h.get("/_emulator/requests"));
        assertThat(log.getBoolean("recording")).isTrue();
        assertThat(log.getLong("dropped")).as("capacity 2 keeps the newest two").isEqualTo(1);
        io.vertx.core.json.JsonArray entries = log.getJsonArray("entries");
        assertThat(entries).hasSize(2);
        JsonObject get = entries.getJsonObject(0);
        JsonObject patch = entries.getJsonObject(1);
        assertThat(get.getString("method")).isEqualTo("GET");
        assertThat(get.getString("uri")).isEqualTo("/api/data/v9.2/accounts?$top=1");
        assertThat(get.containsKey("body")).as("reads keep no body").isFalse();
        assertThat(patch.getString("body")).isEqualTo("{\"name\":\"third\"}");
        assertThat(patch.getLong("seq")).isGreaterThan(get.getLong("seq"));
        assertThat(patch.getLong("at")).isGreaterThanOrEqualTo(get.getLong("at"));
        long firstSeq = get.getLong("seq");
        assertThat(Harness.json(h.get("/_emulator/requests?after=" + firstSeq)).getJsonArray("entries")).hasSize(1);
        assertThat(h.get("/_emulator/requests?after=x").statusCode()).isEqualTo(400);

        assertThat(h.send("DELETE", "/_emulator/requests", null).statusCode()).isEqualTo(204);
        h.send("GET", "/api/data/v9.2/accounts", null);
        JsonObject stopped = Harness.json(h.get("/_emulator/requests"));
        assertThat(stopped.getBoolean("recording")).isFalse();
        assertThat(stopped.getJsonArray("entries")).isEmpty();
    }

    @Test
    void requestLog_keepsTheStatusOfAThrottledRequest() throws Exception {
        start(Kind.DATAVERSE);
        h.send("POST", "/_emulator/requests", null);
        addFault("{\"type\":\"throttle\",\"retryAfterSeconds\":7,\"count\":1}");

        h.send("PATCH", "/api/data/v9.2/accounts(1)", "{\"name\":\"x\"}");

        JsonObject entry = Harness.json(h.get("/_emulator/requests")).getJsonArray("entries").getJsonObject(0);
        assertThat(entry.getInteger("status")).isEqualTo(429);
    }

    private JsonObject counters() {
        return Harness.json(h.get("/_emulator/counters")).getJsonObject("requests");
    }
}
