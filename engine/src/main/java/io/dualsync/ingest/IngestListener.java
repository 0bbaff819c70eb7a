package io.dualsync.ingest;

import io.dualsync.metrics.Metrics;
import io.micrometer.core.instrument.Counter;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Told the outcome of every ingest request, to count them (metrics). Called on the event loop that
 * served the request: implementations must be quick, thread-safe and never throw.
 */
@FunctionalInterface
public interface IngestListener {

    /** The route a request came in on. */
    enum Source {
        /** {@code POST /webhooks/dataverse} */
        DATAVERSE,
        /** {@code POST /webhooks/fo} (data and business events) */
        FO,
        /** {@code POST /events} (the canonical envelope) */
        EVENTS;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What happened to it. */
    enum Result {
        /** Journaled and acknowledged (202). */
        ACCEPTED,
        /** Wrong or missing credentials (401). */
        UNAUTHORIZED,
        /** Body over the limit (413). */
        TOO_LARGE,
        /** Not JSON, or not the expected shape (400). */
        MALFORMED,
        /** Well-formed but unknown entity, unbound event, missing key (422). */
        REJECTED,
        /** The journal did not take it: full, closed or failing (503). */
        UNAVAILABLE,
        /** Intake is stopped (shutdown) (503). */
        STOPPED;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param events for {@link Result#ACCEPTED} the number of events journaled; otherwise 1 (a
     *               rejected request's events are not counted one by one)
     */
    void onOutcome(Source source, Result result, int events);

    IngestListener NONE = (source, result, events) -> {
    };

    /** Counts into {@link Metrics#INGEST_EVENTS} (tags {@code source}, {@code result}). */
    static IngestListener metrics(Metrics metrics) {
        Map<Source, Map<Result, Counter>> counters = new EnumMap<>(Source.class);
        for (Source s : Source.values()) {
            Map<Result, Counter> byResult = new EnumMap<>(Result.class);
            for (Result r : Result.values()) {
                byResult.put(r, metrics.ingestEvents(Metrics.IngestSource.valueOf(s.name()), Metrics.IngestResult.valueOf(r.name())));
            }
            counters.put(s, byResult);
        }
        return (source, result, events) -> counters.get(source).get(result).increment(events);
    }
}
