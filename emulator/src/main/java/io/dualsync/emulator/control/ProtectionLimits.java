package io.dualsync.emulator.control;

import io.dualsync.emulator.EmulatorOptions;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Dataverse's three service protection limits, per user, over a sliding window (powerapps-docs
 * developer/data-platform/api-limits.md, "How Service Protection API Limits are enforced"): number of
 * requests and combined execution time in the preceding window, and concurrent requests. Time is passed in
 * (milliseconds) so tests need no clock. Used on the emulator's event loop only.
 */
final class ProtectionLimits {
    /** Why a request was refused, with the documented error code and message. */
    record Rejection(String code, String message, long retryAfterSeconds) {
    }

    private final EmulatorOptions options;
    private final Map<UUID, Usage> users = new HashMap<>();

    ProtectionLimits(EmulatorOptions options) {
        this.options = options;
    }

    /**
     * Admits a request arriving at {@code now} (counting it and marking it in flight), or says why not.
     * Refused requests are not counted, so the window drains while a client waits as told.
     */
    Rejection admit(UUID user, long now) {
        Usage u = users.computeIfAbsent(user, k -> new Usage());
        long windowMs = options.limitWindowSeconds * 1000L;
        u.prune(now, windowMs);
        // "exceeding the number of concurrent requests will immediately return an error" (api-limits.md).
        if (u.inFlight >= options.limitConcurrent) {
            return new Rejection(ServiceProtection.CONCURRENT_CODE,
                    "Number of concurrent requests exceeded the limit of " + options.limitConcurrent + ".", 1);
        }
        if (u.arrivals.total >= options.limitRequests) {
            long leaves = u.arrivals.firstTime() + windowMs;
            return new Rejection(ServiceProtection.REQUESTS_CODE,
                    ServiceProtection.requestsMessage(options.limitRequests, options.limitWindowSeconds),
                    seconds(leaves - now));
        }
        long limitMs = options.limitExecutionSeconds * 1000L;
        if (u.executions.total >= limitMs) {
            return new Rejection(ServiceProtection.EXECUTION_CODE,
                    ServiceProtection.executionMessage(limitMs, options.limitWindowSeconds),
                    seconds(u.executionBelow(limitMs) + windowMs - now));
        }
        u.arrivals.add(now, 1);
        u.inFlight++;
        return null;
    }

    /** An admitted request that started at {@code start} ended at {@code now}. */
    void finish(UUID user, long start, long now) {
        Usage u = users.get(user);
        if (u == null) {
            return;
        }
        u.inFlight--;
        u.executions.add(now, Math.max(0, now - start));
        u.prune(now, options.limitWindowSeconds * 1000L);
        if (u.idle()) {
            users.remove(user);
        }
    }

    /** Requests left in the window (for {@code x-ms-ratelimit-burst-remaining-xrm-requests}). */
    long remainingRequests(UUID user) {
        Usage u = users.get(user);
        return options.limitRequests - (u == null ? 0 : u.arrivals.total);
    }

    /** Execution time left in the window, in milliseconds (for {@code x-ms-ratelimit-time-remaining-xrm-requests}). */
    long remainingExecutionMs(UUID user) {
        Usage u = users.get(user);
        return options.limitExecutionSeconds * 1000L - (u == null ? 0 : u.executions.total);
    }

    int users() {
        return users.size();
    }

    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    /** One user's requests in the window. */
    private static final class Usage {
        /** Arrival times, one count per request. */
        final TimeSeries arrivals = new TimeSeries();
        /** End times of finished requests with their durations; {@code total} is the combined execution time. */
        final TimeSeries executions = new TimeSeries();
        int inFlight;

        void prune(long now, long windowMs) {
            long from = now - windowMs;
            arrivals.dropUpTo(from);
            executions.dropUpTo(from);
        }

        /** When (end time of the execution) the combined time drops below {@code limitMs} as entries expire. */
        long executionBelow(long limitMs) {
            return executions.timeWhenTotalBelow(limitMs);
        }

        boolean idle() {
            return inFlight == 0 && arrivals.isEmpty() && executions.isEmpty();
        }
    }

    /**
     * Amounts at times, oldest first, in two primitive columns of a growable ring; an amount at the same
     * time as the newest entry is added to it. Merging entries of equal time changes nothing the limits
     * compute (entries of one time leave the window together), and it keeps a window of a busy user small:
     * at most one entry per millisecond, and no object per request for the garbage collector to copy while
     * it stays in the window (a benchmark at 20,000 requests/s with raised limits keeps five minutes of them).
     */
    static final class TimeSeries {
        private long[] times = new long[16];
        private long[] amounts = new long[16];
        private int head;
        private int size;
        /** Sum of the amounts. */
        long total;

        void add(long time, long amount) {
            total += amount;
            if (size > 0) {
                int last = (head + size - 1) & (times.length - 1);
                if (times[last] == time) {
                    amounts[last] += amount;
                    return;
                }
            }
            if (size == times.length) {
                grow();
            }
            int i = (head + size) & (times.length - 1);
            times[i] = time;
            amounts[i] = amount;
            size++;
        }

        boolean isEmpty() {
            return size == 0;
        }

        /** The oldest time; only when not empty. */
        long firstTime() {
            return times[head];
        }

        /** Drops the entries at or before {@code from}, oldest first, stopping at the first later one. */
        void dropUpTo(long from) {
            while (size > 0 && times[head] <= from) {
                total -= amounts[head];
                head = (head + 1) & (times.length - 1);
                size--;
            }
        }

        /** The time of the entry whose expiry brings the total below {@code limit} (0 when it already is). */
        long timeWhenTotalBelow(long limit) {
            long sum = total;
            long at = 0;
            for (int k = 0; k < size && sum >= limit; k++) {
                int i = (head + k) & (times.length - 1);
                sum -= amounts[i];
                at = times[i];
            }
            return at;
        }

        /** Doubles the ring, keeping the entries in order from index 0. */
        private void grow() {
            long[] t = new long[times.length * 2];
            long[] a = new long[amounts.length * 2];
            for (int k = 0; k < size; k++) {
                int i = (head + k) & (times.length - 1);
                t[k] = times[i];
                a[k] = amounts[i];
            }
            times = t;
            amounts = a;
            head = 0;
        }
    }
}
