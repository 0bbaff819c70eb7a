package io.dualsync.apply;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * When to try a failed write again: exponential backoff with full jitter, up to a deadline after
 * which the event is dead-lettered (as Kafka Connect's retry operator does for retriable errors).
 * After the n-th failure the wait is uniform in {@code [0, min(max, initial * 2^(n-1))]}, and never
 * past the deadline ({@code firstAttempt + deadline}); once the deadline has passed, give up.
 *
 * <p>A 429 is not a failure of the record: {@link #afterThrottle} waits what the target asked and
 * does not count towards the deadline. Pure: time and randomness are injected; thread-safe when the
 * random source is. Never returns null.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final Duration deadline;
    private final Clock clock;
    private final DoubleSupplier random;

    /** The next step after a failure: retry after {@code delay}, or give up (dead-letter) with {@code reason}. */
    public record Step(boolean retry, Duration delay, String reason) {
        static Step giveUp(String reason) {
            return new Step(false, Duration.ZERO, reason);
        }
    }

    /**
     * @param initial  the first wait's upper bound (> 0)
     * @param max      no wait is longer (>= initial)
     * @param deadline how long after the first attempt an event may still be retried
     * @param random   uniform in [0, 1) (e.g. {@code ThreadLocalRandom.current()::nextDouble})
     */
    public Backoff(Duration initial, Duration max, Duration deadline, Clock clock, DoubleSupplier random) {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive, not " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " is shorter than the initial " + initial);
        }
        if (deadline.isNegative()) {
            throw new IllegalArgumentException("retry deadline must not be negative, not " + deadline);
        }
        this.initial = initial;
        this.max = max;
        this.deadline = deadline;
        this.clock = clock;
        this.random = random;
    }

    /** The longest wait after {@code failures} failures (>= 1): {@code min(max, initial * 2^(failures-1))}. */
    public Duration ceiling(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, not " + failures);
        }
        int shift = Math.min(failures - 1, 62);
        long initialNanos = initial.toNanos();
        long cap = max.toNanos();
        // Doubling stops at the cap before it can overflow.
        return Duration.ofNanos(initialNanos > (cap >> shift) ? cap : Math.min(cap, initialNanos << shift));
    }

    /**
     * The step after the {@code failures}-th failed attempt of an event first attempted at {@code firstAttempt}.
     */
    public Step next(int failures, Instant firstAttempt) {
        Instant now = clock.instant();
        Instant giveUpAt = firstAttempt.plus(deadline);
        if (!now.isBefore(giveUpAt)) {
            return Step.giveUp("gave up after " + failures + " attempt" + (failures == 1 ? "" : "s") + " over "
                    + Duration.between(firstAttempt, now).toMillis() + " ms (retry deadline " + deadline + ")");
        }
        Duration wait = Duration.ofNanos((long) (random.getAsDouble() * ceiling(failures).toNanos()));
        Duration left = Duration.between(now, giveUpAt);
        if (wait.compareTo(left) > 0) {
            wait = left;
        }
        return new Step(true, wait, "attempt " + (failures + 1) + " in " + wait.toMillis() + " ms");
    }

    /** The wait after a 429: what the target asked, or {@code fallback} when it did not say. */
    public static Duration afterThrottle(Duration retryAfter, Duration fallback) {
        return retryAfter != null && !retryAfter.isNegative() && !retryAfter.isZero() ? retryAfter : fallback;
    }
}
