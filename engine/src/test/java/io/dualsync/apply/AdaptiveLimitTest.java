package io.dualsync.apply;

import io.dualsync.connector.WriteResult.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdaptiveLimitTest {
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final AdaptiveLimit limit = new AdaptiveLimit(AdaptiveLimit.DATAVERSE_MAX, 10, Duration.ofSeconds(1), nanos::get);

    int acquireAll() {
        int n = 0;
        while (limit.tryAcquire()) {
            n++;
        }
        return n;
    }

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void startsAtMax_andNeverLetsMoreInFlight() {
        assertThat(acquireAll()).isEqualTo(52);
        assertThat(limit.inFlight()).isEqualTo(52);
        limit.release(Outcome.OK, null);
        assertThat(limit.tryAcquire()).isTrue();
        assertThat(limit.tryAcquire()).isFalse();
    }

    @Test
    void throttled_halvesTheLimit_andHoldsOffUntilRetryAfter() {
        limit.tryAcquire();
        limit.release(Outcome.THROTTLED, Duration.ofSeconds(5));
        assertThat(limit.limit()).isEqualTo(26);
        assertThat(limit.tryAcquire()).isFalse();
        assertThat(limit.holdRemaining()).isEqualTo(Duration.ofSeconds(5));
        advance(Duration.ofMillis(4999));
        assertThat(limit.tryAcquire()).isFalse();
        advance(Duration.ofMillis(1));
        assertThat(acquireAll()).isEqualTo(26);
        assertThat(limit.holdRemaining()).isZero();
    }

    @Test
    void aBurstOf429sFromWritesInFlight_halvesOnce_andTheLongestRetryAfterHolds() {
        acquireAll();
        limit.release(Outcome.THROTTLED, Duration.ofSeconds(2));
        for (int i = 0; i < 20; i++) {
            limit.release(Outcome.THROTTLED, Duration.ofSeconds(i % 2 == 0 ? 1 : 3));
        }
        assertThat(limit.limit()).isEqualTo(26);
        assertThat(limit.holdRemaining()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void throttledAgainAfterTheHold_halvesAgain_downToOneButNotZero() {
        for (int i = 0; i < 10; i++) {
            assertThat(limit.tryAcquire()).isTrue();
            limit.release(Outcome.THROTTLED, null);
            advance(Duration.ofSeconds(1));
        }
        assertThat(limit.limit()).isEqualTo(1);
        assertThat(acquireAll()).isEqualTo(1);
    }

    @Test
    void successes_raiseTheLimitByOnePerN_upToMax() {
        limit.tryAcquire();
        limit.release(Outcome.THROTTLED, Duration.ofSeconds(1));
        advance(Duration.ofSeconds(1));
        assertThat(limit.limit()).isEqualTo(26);
        for (int i = 0; i < 9; i++) {
            limit.tryAcquire();
            limit.release(Outcome.OK, null);
        }
        assertThat(limit.limit()).isEqualTo(26);
        limit.tryAcquire();
        limit.release(Outcome.OK, null);
        assertThat(limit.limit()).isEqualTo(27);
        for (int i = 0; i < 10_000; i++) {
            limit.tryAcquire();
            limit.release(Outcome.OK, null);
        }
        assertThat(limit.limit()).isEqualTo(52);
    }

    @Test
    void otherFailures_neitherRaiseNorLower() {
        limit.tryAcquire();
        limit.release(Outcome.THROTTLED, Duration.ofSeconds(1));
        advance(Duration.ofSeconds(1));
        for (int i = 0; i < 50; i++) {
            limit.tryAcquire();
            limit.release(i % 2 == 0 ? Outcome.RETRYABLE : Outcome.PERMANENT, null);
        }
        assertThat(limit.limit()).isEqualTo(26);
    }

    @Test
    void throttledWithoutRetryAfter_holdsForTheDefault() {
        limit.tryAcquire();
        limit.release(Outcome.THROTTLED, null);
        assertThat(limit.holdRemaining()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void releaseWithoutAcquire_isAnError() {
        assertThatThrownBy(() -> limit.release(Outcome.OK, null)).isInstanceOf(IllegalStateException.class);
    }
}
