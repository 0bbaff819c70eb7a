package io.dualsync.metrics;

import io.dualsync.mapping.ConflictPolicy;
import io.dualsync.mapping.Side;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every dualsync meter: the names (one constant each), their descriptions, their tags and the only
 * tag values they take (enums here, never record keys or free text). Owns a Prometheus registry;
 * {@code GET /metrics} serves {@link #scrape()}.
 *
 * <p>Counters and timers are created up front, so a scrape shows every series at zero before the
 * first event, and the hot path does no registry look-up. Counter, timer and gauge objects are
 * thread-safe. Gauges read their suppliers during a scrape, on a worker thread: suppliers must be
 * thread-safe and cheap. Register each gauge once per {@code Metrics} (a second registration of
 * the same gauge keeps the first supplier).
 */
public final class Metrics {
    public static final String INGEST_EVENTS = "dualsync.ingest.events";
    public static final String APPLY_EVENTS = "dualsync.apply.events";
    public static final String SYNC_LATENCY = "dualsync.sync.latency";
    public static final String JOURNAL_LAG_EVENTS = "dualsync.journal.lag.events";
    public static final String JOURNAL_LAG_SECONDS = "dualsync.journal.lag.seconds";
    public static final String APPLY_INFLIGHT = "dualsync.apply.inflight";
    public static final String APPLY_CONCURRENCY_LIMIT = "dualsync.apply.concurrency.limit";
    public static final String APPLY_RETRIES = "dualsync.apply.retries";
    public static final String DEADLETTERS = "dualsync.deadletters";
    public static final String CONFLICTS = "dualsync.conflicts";
    public static final String ECHOES_SUPPRESSED = "dualsync.echoes.suppressed";
    public static final String DEDUP_DROPS = "dualsync.dedup.drops";

    /** Tag names. */
    public static final String SOURCE = "source";
    public static final String TARGET = "target";
    public static final String READER = "reader";
    public static final String RESULT = "result";
    public static final String REASON = "reason";
    public static final String POLICY = "policy";
    public static final String OUTCOME = "outcome";

    /**
     * The latency histogram's range: below 1 ms nothing is synced (two HTTP calls), above 10 minutes
     * (the default retry deadline) an event is dead-lettered. Buckets outside fall into +Inf.
     */
    static final Duration LATENCY_MIN = Duration.ofMillis(1);
    static final Duration LATENCY_MAX = Duration.ofMinutes(10);

    /** Where an ingested event came from: the endpoint that received it (/webhooks/fo, /webhooks/dataverse, /events). */
    public enum IngestSource { FO, DATAVERSE, EVENTS }

    /**
     * What ingest answered: accepted (journaled, 202; counts events), or, counting requests, unauthorized
     * (401), too_large (413), malformed (400), rejected (422: unknown entity, missing key, unbound event),
     * unavailable (503: journal full or failing), stopped (503: shutting down).
     */
    public enum IngestResult { ACCEPTED, UNAUTHORIZED, TOO_LARGE, MALFORMED, REJECTED, UNAVAILABLE, STOPPED }

    /** What became of an event for its target. */
    public enum ApplyResult { APPLIED, SKIPPED, ECHO, DUPLICATE, STALE, DEAD_LETTERED, CONFLICT }

    /** Why a write was retried. */
    public enum RetryReason { THROTTLED, SERVER_ERROR, TIMEOUT, CONNECTION, UNAUTHORIZED }

    /** How a conflict ended: a side's version won, the fields were merged, it is held for a person, a person resolved it. */
    public enum ConflictOutcome { FO_WON, DATAVERSE_WON, MERGED, HELD, RESOLVED }

    /** Why dedup dropped an event: delivered again, or older than a version already applied. */
    public enum DedupReason { REDELIVERY, STALE }

    private final PrometheusMeterRegistry registry;
    private final Map<IngestSource, Map<IngestResult, Counter>> ingest = new EnumMap<>(IngestSource.class);
    private final Map<Side, Map<ApplyResult, Counter>> apply = new EnumMap<>(Side.class);
    private final Map<Side, Map<RetryReason, Counter>> retries = new EnumMap<>(Side.class);
    private final Map<Side, Timer> latency = new EnumMap<>(Side.class);
    private final Map<Side, Counter> echoes = new EnumMap<>(Side.class);
    private final Map<Side, Map<DedupReason, Counter>> dedup = new EnumMap<>(Side.class);

    /** Meters on a new Prometheus registry. */
    public Metrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public Metrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        for (IngestSource source : IngestSource.values()) {
            Map<IngestResult, Counter> byResult = new EnumMap<>(IngestResult.class);
            for (IngestResult result : IngestResult.values()) {
                byResult.put(result, Counter.builder(INGEST_EVENTS)
                        .description("Change events received, by endpoint and by what ingest answered "
                                + "(accepted: events journaled and acknowledged; other results: requests refused)")
                        .tag(SOURCE, tag(source)).tag(RESULT, tag(result)).register(registry));
            }
            ingest.put(source, byResult);
        }
        for (Side target : Side.values()) {
            Map<ApplyResult, Counter> byResult = new EnumMap<>(ApplyResult.class);
            for (ApplyResult result : ApplyResult.values()) {
                byResult.put(result, Counter.builder(APPLY_EVENTS)
                        .description("Journaled events whose outcome for a target is final, by outcome")
                        .tag(TARGET, tag(target)).tag(RESULT, tag(result)).register(registry));
            }
            apply.put(target, byResult);

            Map<RetryReason, Counter> byReason = new EnumMap<>(RetryReason.class);
            for (RetryReason reason : RetryReason.values()) {
                byReason.put(reason, Counter.builder(APPLY_RETRIES)
                        .description("Writes to a target tried again, by why the previous attempt failed")
                        .tag(TARGET, tag(target)).tag(REASON, tag(reason)).register(registry));
            }
            retries.put(target, byReason);

            latency.put(target, Timer.builder(SYNC_LATENCY)
                    .description("From the change in the source system (its event time) to the target's "
                            + "acknowledgement of the write")
                    .tag(TARGET, tag(target))
                    .publishPercentileHistogram()
                    .minimumExpectedValue(LATENCY_MIN)
                    .maximumExpectedValue(LATENCY_MAX)
                    .register(registry));

            // source: the system the echo or duplicate arrived from.
            echoes.put(target, Counter.builder(ECHOES_SUPPRESSED)
                    .description("Change events recognised as our own writes coming back, not written back")
                    .tag(SOURCE, tag(target)).register(registry));
            Map<DedupReason, Counter> drops = new EnumMap<>(DedupReason.class);
            for (DedupReason reason : DedupReason.values()) {
                drops.put(reason, Counter.builder(DEDUP_DROPS)
                        .description("Change events dropped as redeliveries or as older than a version already applied")
                        .tag(SOURCE, tag(target)).tag(REASON, tag(reason)).register(registry));
            }
            dedup.put(target, drops);
        }
    }

    /** The registry, for binders and tests. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Every meter in the Prometheus text format. Blocking work: call it off the event loop. */
    public String scrape() {
        return registry.scrape();
    }

    /** Adds the JVM's memory, threads, class loading, CPU and uptime meters (names {@code jvm.*}, {@code process.*}, {@code system.*}). */
    public Metrics bindJvmMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return this;
    }

    // ---- counters and timers ----

    /** {@value #INGEST_EVENTS}{source, result}. */
    public Counter ingestEvents(IngestSource source, IngestResult result) {
        return ingest.get(source).get(result);
    }

    /** {@value #APPLY_EVENTS}{target, result}. */
    public Counter applyEvents(Side target, ApplyResult result) {
        return apply.get(target).get(result);
    }

    /** {@value #APPLY_RETRIES}{target, reason}. */
    public Counter applyRetries(Side target, RetryReason reason) {
        return retries.get(target).get(reason);
    }

    /** {@value #SYNC_LATENCY}{target}: a histogram; Prometheus computes the quantiles. */
    public Timer syncLatency(Side target) {
        return latency.get(target);
    }

    /**
     * Records one event's end-to-end latency: source event time to target acknowledgement. The
     * systems' clocks differ a little: a negative difference is recorded as zero.
     */
    public void recordSyncLatency(Side target, Instant sourceEventTime, Instant targetAck) {
        Duration d = Duration.between(sourceEventTime, targetAck);
        latency.get(target).record(d.isNegative() ? Duration.ZERO : d);
    }

    /** {@value #CONFLICTS}{policy, outcome}. */
    public Counter conflicts(ConflictPolicy.Kind policy, ConflictOutcome outcome) {
        // Not created up front: most policy/outcome pairs never happen (fo-wins never ends dataverse_won).
        return Counter.builder(CONFLICTS)
                .description("Records changed on both sides since their last sync, by the map's policy and how it ended")
                .tag(POLICY, policy.word()).tag(OUTCOME, tag(outcome)).register(registry);
    }

    /** {@value #ECHOES_SUPPRESSED}{source}: {@code source} is the system the echo came back from. */
    public Counter echoesSuppressed(Side source) {
        return echoes.get(source);
    }

    /** {@value #DEDUP_DROPS}{source, reason}. */
    public Counter dedupDrops(Side source, DedupReason reason) {
        return dedup.get(source).get(reason);
    }

    // ---- gauges: registered once by the component that knows the value ----

    /**
     * {@value #JOURNAL_LAG_EVENTS} and {@value #JOURNAL_LAG_SECONDS}{reader}: events journaled and not
     * yet done by the journal reader (applied, skipped or dead-lettered for every map), and how long
     * ago the oldest event it is working on was received (0 when none).
     */
    public void registerJournalLag(String reader, Supplier<Number> events, Supplier<Number> seconds) {
        Gauge.builder(JOURNAL_LAG_EVENTS, events).strongReference(true)
                .description("Events journaled and not yet done by the reader (applied, skipped or dead-lettered)")
                .tag(READER, reader).register(registry);
        Gauge.builder(JOURNAL_LAG_SECONDS, seconds).strongReference(true)
                .description("Seconds since the oldest event the reader is working on was received; 0 when none")
                .tag(READER, reader).register(registry);
    }

    /**
     * {@value #APPLY_INFLIGHT} and {@value #APPLY_CONCURRENCY_LIMIT}{target}: requests in flight and
     * the current (adaptive) limit.
     */
    public void registerApplyConcurrency(Side target, Supplier<Number> inflight, Supplier<Number> limit) {
        Gauge.builder(APPLY_INFLIGHT, inflight).strongReference(true)
                .description("Requests to the target in flight now")
                .tag(TARGET, tag(target)).register(registry);
        Gauge.builder(APPLY_CONCURRENCY_LIMIT, limit).strongReference(true)
                .description("Requests allowed in flight to the target now: lowered on 429, raised as calls succeed")
                .tag(TARGET, tag(target)).register(registry);
    }

    /** {@value #DEADLETTERS}: dead letters held now (waiting for retry or delete). */
    public void registerDeadLetters(Supplier<Number> count) {
        Gauge.builder(DEADLETTERS, count).strongReference(true)
                .description("Dead letters held, waiting to be retried or deleted through the admin API")
                .register(registry);
    }

    /** A tag value: the enum constant in lower case ({@code dead_lettered}, {@code dataverse}). */
    static String tag(Enum<?> value) {
        return value instanceof Side ? ((Side) value).word() : value.name().toLowerCase(Locale.ROOT);
    }
}
