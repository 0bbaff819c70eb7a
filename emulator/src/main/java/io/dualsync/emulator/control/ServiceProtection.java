package io.dualsync.emulator.control;

import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.EmulatorModule;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Dataverse service protection API limits on {@code /api/data/v9.2/*} (powerapps-docs
 * developer/data-platform/api-limits.md): per user, at most {@code limitRequests} requests and
 * {@code limitExecutionSeconds} of combined execution time (request arrival to response end) in the
 * preceding {@code limitWindowSeconds}, and at most {@code limitConcurrent} requests at once. Over a limit
 * the request is answered {@code 429} with {@code Retry-After} (seconds) and the documented hex code and
 * message; admitted responses carry the documented {@code x-ms-ratelimit-*} headers.
 *
 * <p>Mounted after {@code ctx.authGuard()} (it limits per {@link EmulatorContext#caller}) and before the
 * API. Runs on the emulator's event loop. The clock is injectable so tests can move time.
 */
public final class ServiceProtection implements EmulatorModule {
    /** api-limits.md, "Number of requests": error code -2147015902. */
    static final String REQUESTS_CODE = "0x80072322";
    /** api-limits.md, "Execution time": error code -2147015903. */
    static final String EXECUTION_CODE = "0x80072321";
    /** api-limits.md, "Concurrent requests": error code -2147015898. */
    static final String CONCURRENT_CODE = "0x80072326";

    private static final CharSequence BURST_REMAINING = HttpHeaders.createOptimized("x-ms-ratelimit-burst-remaining-xrm-requests");
    private static final CharSequence TIME_REMAINING = HttpHeaders.createOptimized("x-ms-ratelimit-time-remaining-xrm-requests");

    private final LongSupplier millis;
    private final ProtectionLimits limits;

    public ServiceProtection(EmulatorContext ctx) {
        this(ctx, () -> System.nanoTime() / 1_000_000);
    }

    /** @param millis a monotonic clock in milliseconds (tests pass a fake one) */
    public ServiceProtection(EmulatorContext ctx, LongSupplier millis) {
        this.millis = millis;
        this.limits = new ProtectionLimits(ctx.options());
    }

    @Override
    public void mount(Router router) {
        router.route("/api/data/v9.2/*").handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        UUID user = EmulatorContext.caller(rc).userId();
        long start = millis.getAsLong();
        ProtectionLimits.Rejection no = limits.admit(user, start);
        if (no != null) {
            ErrorBody.send(rc, 429, no.retryAfterSeconds(), no.code(), no.message());
            return;
        }
        rc.addEndHandler(ar -> limits.finish(user, start, millis.getAsLong()));
        // Debugging aids the service sends (api-limits.md, "HTTP Response headers").
        rc.response().putHeader(BURST_REMAINING, Long.toString(limits.remainingRequests(user)));
        rc.response().putHeader(TIME_REMAINING, seconds(limits.remainingExecutionMs(user)));
        rc.next();
    }

    /**
     * Milliseconds as seconds with two decimals and thousands separators, exactly what
     * {@code String.format(Locale.US, "%,.2f", ms / 1000.0)} gives (rounding half up), without the cost of
     * a Formatter on every request.
     */
    static String seconds(long ms) {
        long hundredths = (Math.abs(ms) + 5) / 10;
        String whole = Long.toString(hundredths / 100);
        int fraction = (int) (hundredths % 100);
        StringBuilder b = new StringBuilder(whole.length() + whole.length() / 3 + 5);
        if (ms < 0) {
            b.append('-');
        }
        int lead = whole.length() % 3 == 0 ? 3 : whole.length() % 3;
        b.append(whole, 0, lead);
        for (int i = lead; i < whole.length(); i += 3) {
            b.append(',').append(whole, i, i + 3);
        }
        return b.append('.').append((char) ('0' + fraction / 10)).append((char) ('0' + fraction % 10)).toString();
    }

    static String requestsMessage(int limit, int windowSeconds) {
        return "Number of requests exceeded the limit of " + limit + " over time window of " + windowSeconds + " seconds.";
    }

    static String executionMessage(long limitMs, int windowSeconds) {
        // The doc's text has two spaces before "milliseconds"; one is kept here (a typo, not a format).
        return String.format(Locale.US, "Combined execution time of incoming requests exceeded limit of %,d milliseconds over time"
                + " window of %d seconds. Decrease number of concurrent requests or reduce the duration of requests and try again"
                + " later.", limitMs, windowSeconds);
    }
}
