package io.dualsync.journal;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ChronicleJournal} behaves beyond its {@link Durability}. Immutable; start from
 * {@link #defaults()} and change what the configuration sets.
 *
 * @param maxUnconsumed         back-pressure: appends fail with {@link JournalFullException} while the slowest open
 *                              reader has this many events appended but not committed
 * @param syncInterval          {@link Durability#POWER}: the longest an append waits for the group commit that syncs it
 * @param groupCommitSize       {@link Durability#POWER}: a group commit starts as soon as this many appends wait for it
 * @param retention             roll-cycle files fully committed by every reader are deleted once they are this old
 *                              (counted from the end of the cycle)
 * @param rollEvery             how much time one journal file covers: 5, 10, 20 or 30 minutes, 1, 2, 4 or 6 hours,
 *                              or 1 day (1 second is accepted for tests)
 * @param positionFlushInterval how often readers' positions are written to disk; after kill -9 a reader re-delivers
 *                              at most what was committed in this interval (at-least-once)
 * @param retryAfter            what {@link JournalFullException#retryAfterSeconds()} tells the sender (whole seconds)
 * @param clock                 the time that names journal files and ages them (tests move it)
 */
public record JournalOptions(int maxUnconsumed, Duration syncInterval, int groupCommitSize, Duration retention,
                             Duration rollEvery, Duration positionFlushInterval, Duration retryAfter, Clock clock) {

    public JournalOptions {
        if (maxUnconsumed < 1) {
            throw new IllegalArgumentException("maxUnconsumed must be at least 1, not " + maxUnconsumed);
        }
        if (groupCommitSize < 1) {
            throw new IllegalArgumentException("groupCommitSize must be at least 1, not " + groupCommitSize);
        }
        requireNotNegative("syncInterval", syncInterval);
        requireNotNegative("retention", retention);
        requirePositive("positionFlushInterval", positionFlushInterval);
        requirePositive("retryAfter", retryAfter);
        RollCycleChoice.of(rollEvery);
        Objects.requireNonNull(clock, "clock");
    }

    /** Back-pressure at 100,000 unconsumed events, sync every 10 ms or 100 appends, 7 days' retention, hourly files. */
    public static JournalOptions defaults() {
        return new JournalOptions(100_000, Duration.ofMillis(10), 100, Duration.ofDays(7), Duration.ofHours(1),
                Duration.ofMillis(100), Duration.ofSeconds(1), Clock.systemUTC());
    }

    public JournalOptions withMaxUnconsumed(int value) {
        return new JournalOptions(value, syncInterval, groupCommitSize, retention, rollEvery, positionFlushInterval, retryAfter, clock);
    }

    public JournalOptions withSyncInterval(Duration value) {
        return new JournalOptions(maxUnconsumed, value, groupCommitSize, retention, rollEvery, positionFlushInterval, retryAfter, clock);
    }

    public JournalOptions withGroupCommitSize(int value) {
        return new JournalOptions(maxUnconsumed, syncInterval, value, retention, rollEvery, positionFlushInterval, retryAfter, clock);
    }

    public JournalOptions withRetention(Duration value) {
        return new JournalOptions(maxUnconsumed, syncInterval, groupCommitSize, value, rollEvery, positionFlushInterval, retryAfter, clock);
    }

    public JournalOptions withRollEvery(Duration value) {
        return new JournalOptions(maxUnconsumed, syncInterval, groupCommitSize, retention, value, positionFlushInterval, retryAfter, clock);
    }

    public JournalOptions withPositionFlushInterval(Duration value) {
        return new JournalOptions(maxUnconsumed, syncInterval, groupCommitSize, retention, rollEvery, value, retryAfter, clock);
    }

    public JournalOptions withRetryAfter(Duration value) {
        return new JournalOptions(maxUnconsumed, syncInterval, groupCommitSize, retention, rollEvery, positionFlushInterval, value, clock);
    }

    public JournalOptions withClock(Clock value) {
        return new JournalOptions(maxUnconsumed, syncInterval, groupCommitSize, retention, rollEvery, positionFlushInterval, retryAfter, value);
    }

    long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    private static void requireNotNegative(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, not " + d);
        }
    }

    private static void requirePositive(String name, Duration d) {
        requireNotNegative(name, d);
        if (d.isZero()) {
            throw new IllegalArgumentException(name + " must be more than zero");
        }
    }
}
