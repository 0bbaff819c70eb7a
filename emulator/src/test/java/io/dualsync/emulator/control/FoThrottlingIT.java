package io.dualsync.emulator.control;

import io.dualsync.emulator.EmulatorContext.Kind;
import io.dualsync.emulator.EmulatorOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** F&O priority-based throttling over HTTP with a fake clock. */
class FoThrottlingIT {
    private Harness h;

    private void start(Consumer<EmulatorOptions> options) throws Exception {
        h = Harness.start(Kind.FO, options, x -> List.of(Harness.testCallers("/data/*"), new FoThrottling(x.ctx, x.clock::get)));
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    private HttpResponse<String> get(String user) {
        return h.send(h.request("GET", "/data/CustomersV3", null).header("x-test-user", user));
    }

    @Test
    void overTheLimit_answers429WithRetryAfterAndTheDocumentedMessage() throws Exception {
        start(o -> {
            o.foThrottleRequests = 5;
            o.foThrottleWindowSeconds = 60;
        });
        for (int i = 0; i < 5; i++) {
            assertThat(get("alice").statusCode()).isEqualTo(200);
        }
        h.clock.addAndGet(15_000);

        HttpResponse<String> refused = get("alice");

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("45");
        assertThat(Harness.json(refused).getJsonObject("error").getString("message")).isEqualTo(
                "This request could not be processed at this time due to system experiencing high resource utilization."
                        + " Retry the request after 45 seconds");
        assertThat(get("bob").statusCode()).as("throttled per user").isEqualTo(200);

        h.clock.addAndGet(45_000);
        assertThat(get("alice").statusCode()).isEqualTo(200);
    }

    @Test
    void off_byDefault() throws Exception {
        start(o -> { });
        for (int i = 0; i < 100; i++) {
            assertThat(get("alice").statusCode()).isEqualTo(200);
        }
    }
}
