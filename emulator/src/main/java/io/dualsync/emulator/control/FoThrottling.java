package io.dualsync.emulator.control;

import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.EmulatorModule;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * F&O priority-based throttling on {@code /data/*} (dynamics-365-unified-operations-public
 * articles/fin-ops-core/dev-itpro/data-entities/priority-based-throttling.md and throttling-faq.md): OData
 * requests over the limit get {@code 429 Too Many Requests} with {@code Retry-After} in seconds and the FAQ's
 * message. The real service derives its threshold from the environment's resource use and the integration's
 * priority; the emulator uses a plain per-user sliding window instead: {@code foThrottleRequests} requests per
 * {@code foThrottleWindowSeconds} (0 = off, the default).
 *
 * <p>Mounted after {@code ctx.authGuard()} and before the F&O API. Runs on the emulator's event loop; the
 * clock is injectable so tests can move time.
 */
public final class FoThrottling implements EmulatorModule {
    /** Not documented; F&O error bodies carry a code, this one names the status. */
    static final String CODE = "TooManyRequests";

    private final EmulatorContext ctx;
    private final LongSupplier millis;
    private final Map<UUID, ArrayDeque<Long>> arrivals = new HashMap<>();

    public FoThrottling(EmulatorContext ctx) {
        this(ctx, () -> System.nanoTime() / 1_000_000);
    }

    /** @param millis a monotonic clock in milliseconds (tests pass a fake one) */
    public FoThrottling(EmulatorContext ctx, LongSupplier millis) {
        this.ctx = ctx;
        this.millis = millis;
    }

    @Override
    public void mount(Router router) {
        router.route("/data/*").handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        int limit = ctx.options().foThrottleRequests;
        if (limit <= 0) {
            rc.next();
            return;
        }
        long windowMs = ctx.options().foThrottleWindowSeconds * 1000L;
        long now = millis.getAsLong();
        UUID user = EmulatorContext.caller(rc).userId();
        ArrayDeque<Long> seen = arrivals.computeIfAbsent(user, u -> new ArrayDeque<>());
        while (!seen.isEmpty() && seen.peekFirst() <= now - windowMs) {
            seen.removeFirst();
        }
        if (seen.size() >= limit) {
            long retryAfter = Math.max(1, (seen.peekFirst() + windowMs - now + 999) / 1000);
            // Refused requests are not counted: a client that waits Retry-After gets through.
            ErrorBody.send(rc, 429, retryAfter, CODE, message(retryAfter));
            return;
        }
        seen.addLast(now);
        rc.next();
    }

    /** throttling-faq.md, "What is the message that is shown as part of the 429 HTTP response?". */
    static String message(long retryAfterSeconds) {
        return "This request could not be processed at this time due to system experiencing high resource utilization."
                + " Retry the request after " + retryAfterSeconds + " seconds";
    }
}
