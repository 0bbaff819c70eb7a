package io.dualsync.apply;

import io.dualsync.connector.WriteResult;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How many writes may be in flight to one target now: additive increase, multiplicative decrease.
 * It starts at {@code max}; a {@link WriteResult.Outcome#THROTTLED} answer halves it (never below 1)
 * and stops new writes until the target's {@code Retry-After} has passed; every
 * {@code successesPerIncrease} successes raise it by one, up to {@code max}. Other outcomes neither
 * raise nor lower it. A burst of 429s to writes already in flight counts once: while writes are held
 * off, a further 429 only extends the hold.
 *
 * <p>Thread-safe (synchronized; every call is O(1)). Time comes from the injected nanosecond clock.
 */
public final class AdaptiveLimit {
    /** Dataverse's service protection limit on concurrent requests per user. */
    public static final int DATAVERSE_MAX = 52;

    private final int max;
    private final int successesPerIncrease;
    private final Duration defaultRetryAfter;
    private final LongSupplier nanoTime;
    private int limit;
    private int inFlight;
    private int successes;
    private long holdUntil;
    private boolean holding;

    /**
     * @param max                  the most writes ever in flight (Dataverse: {@link #DATAVERSE_MAX})
     * @param successesPerIncrease successes that raise the limit by one
     * @param defaultRetryAfter    the hold after a 429 without {@code Retry-After}
     * @param nanoTime             monotonic time, e.g. {@code System::nanoTime}
     */
    public AdaptiveLimit(int max, int successesPerIncrease, Duration defaultRetryAfter, LongSupplier nanoTime) {
        if (max < 1) {
            throw new IllegalArgumentException("max concurrency must be at least 1, not " + max);
        }
        if (successesPerIncrease < 1) {
            throw new IllegalArgumentException("successes per increase must be at least 1, not " + successesPerIncrease);
        }
        this.max = max;
        this.successesPerIncrease = successesPerIncrease;
        this.defaultRetryAfter = defaultRetryAfter;
        this.nanoTime = nanoTime;
        this.limit = max;
    }

    /** Takes a slot when one is free and the target is not holding us off; then call {@link #release} once. */
    public synchronized boolean tryAcquire() {
        if (holding && nanoTime.getAsLong() - holdUntil < 0) {
            return false;
        }
        holding = false;
        if (inFlight >= limit) {
            return false;
        }
        inFlight++;
        return true;
    }

    /**
     * Gives back a slot with the write's outcome.
     *
     * @param retryAfter for THROTTLED, what the target asked (null: the default hold)
     */
    public synchronized void release(WriteResult.Outcome outcome, Duration retryAfter) {
        if (inFlight == 0) {
            throw new IllegalStateException("release without a matching tryAcquire");
        }
        inFlight--;
        long now = nanoTime.getAsLong();
        if (outcome == WriteResult.Outcome.THROTTLED) {
            long until = now + Backoff.afterThrottle(retryAfter, defaultRetryAfter).toNanos();
            if (!holding || now - holdUntil >= 0) {
                limit = Math.max(1, limit / 2);
                holdUntil = until;
            } else if (until - holdUntil > 0) {
                holdUntil = until;
            }
            holding = true;
            successes = 0;
        } else if (outcome == WriteResult.Outcome.OK) {
            if (++successes >= successesPerIncrease) {
                successes = 0;
                if (limit < max) {
                    limit++;
                }
            }
        }
    }

    /** The current limit (for the {@code concurrency limit} gauge). */
    public synchronized int limit() {
        return limit;
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    public int max() {
        return max;
    }

    /** How long new writes are still held off after a 429; zero when not. */
    public synchronized Duration holdRemaining() {
        long left = holding ? holdUntil - nanoTime.getAsLong() : 0;
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }
}
