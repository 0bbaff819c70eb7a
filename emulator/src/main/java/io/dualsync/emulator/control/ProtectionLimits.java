package io.dualsync.emulator.control;

import io.dualsync.emulator.EmulatorOptions;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
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
        if (u.arrivals.size() >= options.limitRequests) {
            long leaves = u.arrivals.peekFirst() + windowMs;
            return new Rejection(ServiceProtection.REQUESTS_CODE,
                    ServiceProtection.requestsMessage(options.limitRequests, options.limitWindowSeconds),
                    seconds(leaves - now));
        }
        long limitMs = options.limitExecutionSeconds * 1000L;
        if (u.executionMs >= limitMs) {
            return new Rejection(ServiceProtection.EXECUTION_CODE,
                    ServiceProtection.executionMessage(limitMs, options.limitWindowSeconds),
                    seconds(u.executionBelow(limitMs) + windowMs - now));
        }
        u.arrivals.addLast(now);
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
        long duration = Math.max(0, now - start);
        u.executions.addLast(new long[] {now, duration});
        u.executionMs += duration;
        u.prune(now, options.limitWindowSeconds * 1000L);
        if (u.idle()) {
            users.remove(user);
        }
    }

    /** Requests left in the window (for {@code x-ms-ratelimit-burst-remaining-xrm-requests}). */
    long remainingRequests(UUID user) {
        Usage u = users.get(user);
        return options.limitRequests - (u == null ? 0 : u.arrivals.size());
    }

    /** Execution time left in the window, in milliseconds (for {@code x-ms-ratelimit-time-remaining-xrm-requests}). */
    long remainingExecutionMs(UUID user) {
        Usage u = users.get(user);
        return options.limitExecutionSeconds * 1000L - (u == null ? 0 : u.executionMs);
    }

    int users() {
        return users.size();
    }

    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    /** One user's requests in the window. */
    private static final class Usage {
        final ArrayDeque<Long> arrivals = new ArrayDeque<>();
        /** {end time, duration} of finished requests, oldest first. */
        final ArrayDeque<long[]> executions = new ArrayDeque<>();
        long executionMs;
        int inFlight;

        void prune(long now, long windowMs) {
            long from = now - windowMs;
            while (!arrivals.isEmpty() && arrivals.peekFirst() <= from) {
                arrivals.removeFirst();
            }
            while (!executions.isEmpty() && executions.peekFirst()[0] <= from) {
                executionMs -= executions.removeFirst()[1];
            }
        }

        /** When (end time of the execution) the combined time drops below {@code limitMs} as entries expire. */
        long executionBelow(long limitMs) {
            long sum = executionMs;
            Iterator<long[]> it = executions.iterator();
            long at = 0;
            while (sum >= limitMs && it.hasNext()) {
                long[] e = it.next();
                sum -= e[1];
                at = e[0];
            }
            return at;
        }

        boolean idle() {
            return inFlight == 0 && arrivals.isEmpty() && executions.isEmpty();
        }
    }
}
