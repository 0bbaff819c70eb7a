package io.dualsync.apply;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {
    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final MutableClock clock = new MutableClock();

    Backoff backoff(double random) {
        return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofMinutes(5), clock, () -> random);
    }

    @Test
    void ceiling_doublesFromInitial_upToMax() {
        Backoff b = backoff(0.5);
        assertThat(b.ceiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(b.ceiling(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(b.ceiling(5)).isEqualTo(Duration.ofMillis(1600));
        assertThat(b.ceiling(8)).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.ceiling(1000)).as("no overflow after many failures").isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> b.ceiling(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fullJitter_waitsAFractionOfTheCeiling() {
        assertThat(backoff(0.0).next(3, T0).delay()).isEqualTo(Duration.ZERO);
        assertThat(backoff(0.5).next(3, T0).delay()).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff(0.999).next(3, T0).delay()).isLessThan(Duration.ofMillis(400))
                .isGreaterThan(Duration.ofMillis(399));
    }

    @Test
    void randomWaits_stayWithinZeroAndTheCeiling() {
        Random r = new Random(42);
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofMinutes(5), clock,
                r::nextDouble);
        for (int failures = 1; failures <= 20; failures++) {
            for (int i = 0; i < 100; i++) {
                Backoff.Step s = b.next(failures, T0);
                assertThat(s.retry()).isTrue();
                assertThat(s.delay()).isBetween(Duration.ZERO, b.ceiling(failures));
            }
        }
    }

    @Test
    void pastTheDeadline_givesUp_sayingHowLongAndHowOften() {
        clock.now = T0.plus(Duration.ofMinutes(5));
        Backoff.Step s = backoff(0.5).next(7, T0);
        assertThat(s.retry()).isFalse();
        assertThat(s.reason()).contains("gave up after 7 attempts").contains("300000 ms");
    }

    @Test
    void nearTheDeadline_theWaitEndsAtTheDeadline() {
        clock.now = T0.plus(Duration.ofMinutes(5)).minusMillis(50);
        Backoff.Step s = backoff(0.99).next(20, T0);
        assertThat(s.retry()).isTrue();
        assertThat(s.delay()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void throttle_waitsWhatTheTargetAsked_orTheFallback() {
        assertThat(Backoff.afterThrottle(Duration.ofSeconds(7), Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(7));
        assertThat(Backoff.afterThrottle(null, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(Backoff.afterThrottle(Duration.ZERO, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void settings_areChecked() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), Duration.ofMinutes(1), clock, () -> 0))
                .hasMessageContaining("initial backoff must be positive");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMinutes(1), clock,
                () -> 0)).hasMessageContaining("shorter than the initial");
    }
}
