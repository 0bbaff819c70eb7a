package io.dualsync.emulator.control;

import io.dualsync.emulator.EmulatorOptions;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The three service protection limits with the documented defaults, on a clock the test moves. */
class ServiceProtectionTest {
    private final EmulatorOptions options = new EmulatorOptions();
    private final ProtectionLimits limits = new ProtectionLimits(options);
    private final UUID alice = UUID.randomUUID();
    private final UUID bob = UUID.randomUUID();

    @Test
    void requests_the6001stInTheWindowIsRefused_untilTheWindowSlides() {
        // 6000 requests spread over the first 250 seconds, each finishing at once.
        for (int i = 0; i < 6000; i++) {
            long t = i * 250_000L / 6000;
            assertThat(limits.admit(alice, t)).as("request %d", i + 1).isNull();
            limits.finish(alice, t, t);
        }

        ProtectionLimits.Rejection no = limits.admit(alice, 260_000);

        assertThat(no).isNotNull();
        assertThat(no.code()).isEqualTo("0x80072322");
        assertThat(no.message()).isEqualTo("Number of requests exceeded the limit of 6000 over time window of 300 seconds.");
        assertThat(no.retryAfterSeconds()).isEqualTo(40); // the first request (t=0) leaves the window at 300 s
        assertThat(limits.admit(bob, 260_000)).as("other users are limited independently").isNull();
        assertThat(limits.admit(alice, 300_001)).as("after the first request left the window").isNull();
    }

    @Test
    void requests_inTheSameMillisecondEachCount() {
        for (int i = 0; i < 6000; i++) {
            assertThat(limits.admit(alice, 5)).as("request %d", i + 1).isNull();
            limits.finish(alice, 5, 5);
        }

        assertThat(limits.remainingRequests(alice)).isZero();
        ProtectionLimits.Rejection no = limits.admit(alice, 5);
        assertThat(no).isNotNull();
        assertThat(no.code()).isEqualTo("0x80072322");
        assertThat(no.retryAfterSeconds()).isEqualTo(300);
        assertThat(limits.admit(alice, 300_005)).as("all of them left the window together").isNull();
        assertThat(limits.remainingRequests(alice)).isEqualTo(5999);
    }

    @Test
    void executionTime_overTwentyMinutesInTheWindowIsRefused() {
        // Five requests running side by side for 250 s each: 1,250 s of execution time.
        for (int i = 0; i < 5; i++) {
            assertThat(limits.admit(alice, 0)).isNull();
        }
        for (int i = 0; i < 5; i++) {
            limits.finish(alice, 0, 250_000);
        }

        ProtectionLimits.Rejection no = limits.admit(alice, 251_000);

        assertThat(no).isNotNull();
        assertThat(no.code()).isEqualTo("0x80072321");
        assertThat(no.message()).isEqualTo("Combined execution time of incoming requests exceeded limit of 1,200,000 milliseconds"
                + " over time window of 300 seconds. Decrease number of concurrent requests or reduce the duration of requests"
                + " and try again later.");
        assertThat(no.retryAfterSeconds()).isEqualTo(299); // the executions leave the window at 550 s
        assertThat(limits.admit(alice, 550_001)).isNull();
    }

    @Test
    void concurrency_the53rdRequestInFlightIsRefusedAtOnce() {
        for (int i = 0; i < 52; i++) {
            assertThat(limits.admit(alice, 0)).isNull();
        }

        ProtectionLimits.Rejection no = limits.admit(alice, 0);

        assertThat(no).isNotNull();
        assertThat(no.code()).isEqualTo("0x80072326");
        assertThat(no.message()).isEqualTo("Number of concurrent requests exceeded the limit of 52.");
        assertThat(no.retryAfterSeconds()).isPositive();

        limits.finish(alice, 0, 10);
        assertThat(limits.admit(alice, 10)).isNull();
    }

    @Test
    void remainingHeaders_countDown() {
        limits.admit(alice, 0);
        limits.finish(alice, 0, 1_500);

        assertThat(limits.remainingRequests(alice)).isEqualTo(5999);
        assertThat(limits.remainingExecutionMs(alice)).isEqualTo(1_198_500);
    }

    @Test
    void idleUsers_areForgotten() {
        limits.admit(alice, 0);
        limits.finish(alice, 0, 5);
        limits.admit(bob, 301_000);
        limits.finish(bob, 301_000, 301_001);
        limits.admit(alice, 400_000); // prunes alice's old request
        limits.finish(alice, 400_000, 400_000);
        limits.admit(bob, 700_000);
        limits.finish(bob, 700_000, 700_000);

        assertThat(limits.users()).isLessThanOrEqualTo(2);
    }

    @Test
    void remainingTimeHeader_readsAsStringFormatWouldWriteIt() {
        long[] cases = {0, 1, 4, 5, 994, 995, 1005, 999_995, 1_198_500, 1_200_000, -1, -5, -1_234_565, Integer.MAX_VALUE * 1000L};
        for (long ms : cases) {
            assertThat(ServiceProtection.seconds(ms)).as("%d ms", ms).isEqualTo(String.format(Locale.US, "%,.2f", ms / 1000.0));
        }
        for (long ms = -20_000; ms <= 2_000_000; ms += 7) {
            assertThat(ServiceProtection.seconds(ms)).as("%d ms", ms).isEqualTo(String.format(Locale.US, "%,.2f", ms / 1000.0));
        }
    }
}
