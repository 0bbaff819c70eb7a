package io.dualsync.emulator.control;

import io.dualsync.emulator.EmulatorContext.Kind;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Dataverse service protection limits over HTTP, with the documented defaults and a fake clock. */
class ServiceProtectionIT {
    private static final long WINDOW_MS = 300_000;
    private Harness h;

    @BeforeEach
    void start() throws Exception {
        h = Harness.start(Kind.DATAVERSE, o -> { }, x -> List.of(
                Harness.testCallers("/api/data/v9.2/*"), new ServiceProtection(x.ctx, x.clock::get)));
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    private HttpResponse<String> get(String user, String path) {
        return h.send(h.request("GET", path, null).header("x-test-user", user));
    }

    @Test
    void numberOfRequests_the6001stIsRefused_untilTheWindowSlides() throws Exception {
        for (int batch = 0; batch < 300; batch++) {
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sent.add(h.sendAsync(h.request("GET", "/api/data/v9.2/accounts", null).header("x-test-user", "alice")));
            }
            for (CompletableFuture<HttpResponse<String>> f : sent) {
                assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
        }
        h.clock.addAndGet(10_000);

        HttpResponse<String> refused = get("alice", "/api/data/v9.2/accounts");

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("290");
        JsonObject error = Harness.json(refused).getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("0x80072322");
        assertThat(error.getString("message")).isEqualTo("Number of requests exceeded the limit of 6000 over time window of 300 seconds.");
        assertThat(get("bob", "/api/data/v9.2/accounts").statusCode()).as("limits are per user").isEqualTo(200);

        h.clock.addAndGet(290_000);
        assertThat(get("alice", "/api/data/v9.2/accounts").statusCode()).isEqualTo(200);
    }

    @Test
    void executionTime_overTheLimitIsRefused_untilTheWindowSlides() throws Exception {
        // Five requests in flight together while 250 s pass: 1,250 s of combined execution time.
        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            slow.add(h.sendAsync(h.request("GET", "/api/data/v9.2/park", null).header("x-test-user", "alice")));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> h.parked.size() == 5);
        h.clock.addAndGet(250_000);
        h.releaseParked();
        for (CompletableFuture<HttpResponse<String>> f : slow) {
            assertThat(f.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> refused = get("alice", "/api/data/v9.2/accounts");

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("300");
        assertThat(Harness.json(refused).getJsonObject("error").getString("code")).isEqualTo("0x80072321");

        h.clock.addAndGet(WINDOW_MS);
        assertThat(get("alice", "/api/data/v9.2/accounts").statusCode()).isEqualTo(200);
    }

    @Test
    void concurrentRequests_the53rdIsRefusedAtOnce() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 52; i++) {
            inFlight.add(h.sendAsync(h.request("GET", "/api/data/v9.2/park", null).header("x-test-user", "alice")));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> h.parked.size() == 52);

        HttpResponse<String> refused = get("alice", "/api/data/v9.2/accounts");

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        JsonObject error = Harness.json(refused).getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("0x80072326");
        assertThat(error.getString("message")).isEqualTo("Number of concurrent requests exceeded the limit of 52.");

        h.releaseParked();
        for (CompletableFuture<HttpResponse<String>> f : inFlight) {
            assertThat(f.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(get("alice", "/api/data/v9.2/accounts").statusCode()).isEqualTo(200);
    }

    @Test
    void admittedResponses_carryTheRateLimitHeaders() {
        HttpResponse<String> r = get("alice", "/api/data/v9.2/accounts");

        assertThat(r.headers().firstValue("x-ms-ratelimit-burst-remaining-xrm-requests")).hasValue("5999");
        assertThat(r.headers().firstValue("x-ms-ratelimit-time-remaining-xrm-requests")).hasValue("1,200.00");
    }

    @Test
    void onlyTheWebApiIsLimited() {
        assertThat(get("alice", "/data/CustomersV3").headers().firstValue("x-ms-ratelimit-burst-remaining-xrm-requests")).isEmpty();
    }
}
