package io.dualsync.apply;

import io.dualsync.admin.ConflictAdmin;
import io.dualsync.admin.ConflictResolution;
import io.dualsync.admin.DeadLetterAdmin;
import io.dualsync.conflict.Choice;
import io.dualsync.conflict.ConflictDetector;
import io.dualsync.conflict.ConflictRecord;
import io.dualsync.conflict.ConflictResolver;
import io.dualsync.conflict.Detection;
import io.dualsync.conflict.ManualConflicts;
import io.dualsync.conflict.MappedRecord;
import io.dualsync.conflict.Resolution;
import io.dualsync.conflict.SideState;
import io.dualsync.conflict.SyncState;
import io.dualsync.conflict.SyncStateStore;
import io.dualsync.connector.TargetConnector;
import io.dualsync.connector.WriteResult;
import io.dualsync.connector.http.TargetReadException;
import io.dualsync.dedup.DedupDecision;
import io.dualsync.dedup.Deduplicator;
import io.dualsync.dedup.EchoFilter;
import io.dualsync.journal.Journal;
import io.dualsync.journal.JournalReader;
import io.dualsync.mapping.CompiledMap;
import io.dualsync.mapping.Direction;
import io.dualsync.mapping.FieldMapping;
import io.dualsync.mapping.Payload;
import io.dualsync.mapping.Side;
import io.dualsync.metrics.Metrics;
import io.dualsync.model.ChangeEvent;
import io.dualsync.model.Operation;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Applies journaled change events to the other system: reads the journal through the reader
 * {@value #READER}, and for every map whose source side and entity match an event, in per-record
 * order ({@link Lanes}): reads the record when the event does not carry it, evaluates the map, drops
 * duplicates, echoes and stale events ({@link Deduplicator}), resolves conflicts under the map's
 * policy, writes through the target's connector (tagged {@link EchoFilter#tagFor}, at most
 * {@link AdaptiveLimit} writes in flight per target, {@link Backoff} on 429/5xx/401 up to the deadline,
 * dead letters for permanent errors), then records the {@link SyncState} and commits the journal
 * index once every map's outcome for it is durable.
 * <p>Runs on one Vert.x context (the one {@link #start} is called on) and never blocks it; the
 * stores' {@code put}/{@code add} are page-cache appends. Not thread-safe: use it from its context.
 */
public final class Pipeline {
    /** The journal reader's name. */
    public static final String READER = "apply";
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private static final long IDLE_POLL_MS = 5;
    /** Reads of a target that keeps changing between our read and our write before giving up. */
    private static final int MAX_READ_ROUNDS = 5;

    /** Tuning; {@link #defaults()} then the withers. */
    public record Options(int lanes, int queuePerLane, int maxConcurrencyFo, int maxConcurrencyDataverse,
                          Duration initialBackoff, Duration maxBackoff, Duration deadline) {
        public Options {
            if (maxConcurrencyDataverse > AdaptiveLimit.DATAVERSE_MAX) {
                throw new IllegalArgumentException("Dataverse concurrency is at most " + AdaptiveLimit.DATAVERSE_MAX);
            }
        }

        public static Options defaults() {
            return new Options(16, 1000, 32, AdaptiveLimit.DATAVERSE_MAX, Duration.ofMillis(200), Duration.ofSeconds(30),
                    Duration.ofMinutes(10));
        }
    }

    /** A dispatched journal entry: the maps still working on it, and when it was received. */
    private static final class Pending {
        int left;
        final long receivedMillis;

        Pending(int left, long receivedMillis) {
            this.left = left;
            this.receivedMillis = receivedMillis;
        }
    }

    /** One (journal entry, map, direction) to apply. */
    private record Work(long index, ChangeEvent event, CompiledMap map, Direction direction) {
    }

    private final Vertx vertx;
    private final Journal journal;
    private final List<CompiledMap> maps;
    private final Map<Side, TargetConnector> connectors;
    private final SyncStateStore states;
    private final DeadLetterStore deadLetters;
    private final ManualConflicts manual;
    private final Deduplicator dedup;
    private final EchoFilter echoes;
    private final ConflictResolver resolver;
    private final ConflictDetector detector = new ConflictDetector();
    private final Metrics metrics;
    private final Clock clock;
    private final Backoff backoff;
    private final Map<Side, AdaptiveLimit> limits = new EnumMap<>(Side.class);
    /** Requests waiting for a permit of their side's limit, in arrival order. */
    private final Map<Side, ArrayDeque<Runnable>> waiting = new EnumMap<>(Side.class);
    /** Sides with a timer set to wake their waiters when a 429's hold ends. */
    private final Set<Side> holdTimers = EnumSet.noneOf(Side.class);
    private final Lanes<Work> lanes;
    /** Journal entries dispatched and not yet done, by index: how many maps are still working on each. */
    private final TreeMap<Long, Pending> pendingByIndex = new TreeMap<>();
    /** Per map and side: field paths by their first column (see {@link #pathsByColumn}). */
    private final Map<String, Map<String, List<String>>> columnPaths = new HashMap<>();
    /** When the oldest pending entry was received (epoch ms), or -1: read by the metrics scrape. */
    private volatile long oldestPendingMillis = -1;

    private Context context;
    private JournalReader reader;
    private boolean running;
    private boolean pumpScheduled;
    private int inFlight;

    public Pipeline(Vertx vertx, Journal journal, List<CompiledMap> maps, Map<Side, TargetConnector> connectors,
                    SyncStateStore states, DeadLetterStore deadLetters, ManualConflicts manual, Deduplicator dedup,
                    EchoFilter echoes, ConflictResolver resolver, Metrics metrics, Options options, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx);
        this.journal = Objects.requireNonNull(journal);
        this.maps = List.copyOf(maps);
        this.connectors = new EnumMap<>(connectors);
        this.states = states;
        this.deadLetters = deadLetters;
        this.manual = manual;
        this.dedup = dedup;
        this.echoes = echoes;
        this.resolver = resolver;
        this.metrics = metrics;
        this.clock = clock;
        this.backoff = new Backoff(options.initialBackoff(), options.maxBackoff(), options.deadline(), clock,
                () -> ThreadLocalRandom.current().nextDouble());
        limits.put(Side.FO, new AdaptiveLimit(options.maxConcurrencyFo(), 20, Duration.ofSeconds(1), System::nanoTime));
        limits.put(Side.DATAVERSE, new AdaptiveLimit(Math.min(options.maxConcurrencyDataverse(), AdaptiveLimit.DATAVERSE_MAX),
                20, Duration.ofSeconds(1), System::nanoTime));
        this.lanes = new Lanes<>(options.lanes(), options.queuePerLane());
        for (Side s : Side.values()) {
            waiting.put(s, new ArrayDeque<>());
            AdaptiveLimit l = limits.get(s);
            metrics.registerApplyConcurrency(s, l::inFlight, l::limit);
        }
        metrics.registerDeadLetters(deadLetters::size);
    }

    /** Starts reading on the current context (or a new one). */
    public Future<Void> start() {
        Promise<Void> started = Promise.promise();
        context = vertx.getOrCreateContext();
        context.runOnContext(v -> {
            reader = journal.reader(READER);
            metrics.registerJournalLag(READER, () -> journal.isOpen() ? journal.lag(READER) : 0, this::lagSeconds);
            running = true;
            pump();
            started.complete();
        });
        return started.future();
    }

    /** Stops reading new events and completes when in-flight work is done or {@code drainTimeout} passed. */
    public Future<Void> stop(Duration drainTimeout) {
        Promise<Void> done = Promise.promise();
        if (context == null) {
            return Future.succeededFuture();
        }
        context.runOnContext(v -> {
            running = false;
            long deadline = System.nanoTime() + drainTimeout.toNanos();
            awaitDrain(deadline, done);
        });
        return done.future();
    }

    private void awaitDrain(long deadline, Promise<Void> done) {
        if (inFlight == 0 || System.nanoTime() >= deadline) {
            if (inFlight > 0) {
                LOG.warn("stopping with {} events still in flight: they are re-delivered on restart", inFlight);
            }
            if (reader != null) {
                reader.close();
                reader = null;
            }
            done.complete();
        } else {
            vertx.setTimer(IDLE_POLL_MS, t -> awaitDrain(deadline, done));
        }
    }

    private double lagSeconds() {
        long oldest = oldestPendingMillis;
        return oldest < 0 ? 0 : Math.max(0, clock.millis() - oldest) / 1000.0;
    }

    private void updateOldestPending() {
        oldestPendingMillis = pendingByIndex.isEmpty() ? -1 : pendingByIndex.firstEntry().getValue().receivedMillis;
    }

    /** Work items queued or in flight (for tests and drain). */
    public int inFlight() {
        return inFlight;
    }

    // ---- reading

    private void schedulePump(long delayMs) {
        if (!pumpScheduled && running) {
            pumpScheduled = true;
            vertx.setTimer(Math.max(1, delayMs), t -> {
                pumpScheduled = false;
                pump();
            });
        }
    }

    private void pump() {
        if (!running || reader == null) {
            return;
        }
        int read = 0;
        while (read < 256 && allLanesHaveRoom()) {
            JournalReader.Entry entry = reader.next();
            if (entry == null) {
                break;
            }
            read++;
            dispatch(entry);
        }
        drainLanes();
        schedulePump(read == 0 ? IDLE_POLL_MS : 1);
    }

    private boolean allLanesHaveRoom() {
        for (int i = 0; i < lanes.count(); i++) {
            if (!lanes.lane(i).hasRoom()) {
                return false;
            }
        }
        return true;
    }

    private void dispatch(JournalReader.Entry entry) {
        ChangeEvent e = entry.event();
        List<Work> works = new ArrayList<>();
        for (CompiledMap map : maps) {
            String entity = e.source() == Side.FO ? map.foEntity() : map.dataverseTable();
            Direction d = Direction.towards(e.source().other());
            if (entity.equalsIgnoreCase(e.entity()) && map.flows(d)) {
                works.add(new Work(entry.index(), e, map, d));
            }
        }
        if (works.isEmpty()) {
            reader.commit(entry.index());
            return;
        }
        Instant received = e.receivedAt() != null ? e.receivedAt() : clock.instant();
        pendingByIndex.put(entry.index(), new Pending(works.size(), received.toEpochMilli()));
        updateOldestPending();
        for (Work w : works) {
            inFlight++;
            String order = orderKey(w);
            Lanes.Lane<Work> lane = lanes.laneFor(w.map().name(), order);
            if (!lane.offer(w.map().name(), order, w)) {
                // checked hasRoom before reading: only a multi-map entry can overflow; run it unordered
                process(w).onComplete(x -> finished(w));
            }
        }
    }

    /**
     * What orders an event among the others: the record pair once synced (so a change on each side of
     * the same pair is applied one after the other, each seeing what the other wrote: a concurrent edit
     * converges), else the source record id.
     */
    private String orderKey(Work w) {
        String byId = w.event().recordId();
        String map = w.map().name();
        if (lanes.laneFor(map, byId).holds(map, byId)) {
            // the record's earlier events (from before it was synced) are still queued under its id:
            // this one goes behind them, not beside them under the pair's key
            return byId;
        }
        SyncState pair = states.byRecordId(map, w.direction().source(), byId);
        return pair != null ? "pair:" + pair.key() : byId;
    }

    private void drainLanes() {
        for (int i = 0; i < lanes.count(); i++) {
            Lanes.Lane<Work> lane = lanes.lane(i);
            Lanes.Ticket<Work> t;
            while ((t = lane.poll()) != null) {
                Lanes.Ticket<Work> ticket = t;
                process(ticket.item()).onComplete(x -> {
                    lane.done(ticket);
                    finished(ticket.item());
                    drainLanes();
                });
            }
        }
    }

    private void finished(Work w) {
        inFlight--;
        Pending p = pendingByIndex.get(w.index());
        if (p != null && --p.left <= 0) {
            pendingByIndex.remove(w.index());
            updateOldestPending();
            if (reader != null) {
                reader.commit(w.index());
            }
        }
        if (running && inFlight == 0) {
            schedulePump(1);
        }
    }

    // ---- applying one (event, map, direction)

    private Future<Void> process(Work w) {
        try {
            return apply(w).recover(err -> {
                about(LOG.atWarn(), w, null).setCause(err).log("apply failed unexpectedly");
                deadLetter(w, null, "apply", 0, String.valueOf(err.getMessage() == null ? err : err.getMessage()), 1,
                        clock.instant());
                return Future.succeededFuture();
            });
        } catch (RuntimeException err) {
            deadLetter(w, null, "apply", 0, String.valueOf(err.getMessage()), 1, clock.instant());
            return Future.succeededFuture();
        }
    }

    private Future<Void> apply(Work w) {
        ChangeEvent e = w.event();
        Side source = w.direction().source();
        Side target = w.direction().target();
        if (EchoFilter.isOurTag(e.tag())) {
            metrics.echoesSuppressed(source).increment();
            metrics.applyEvents(target, Metrics.ApplyResult.ECHO).increment();
            return Future.succeededFuture();
        }
        if (e.operation() == Operation.DELETE) {
            return delete(w);
        }
        // Dataverse webhooks carry the changed columns only, lookups as guids: read the record.
        boolean read = e.values() == null || source == Side.DATAVERSE;
        Future<TargetConnector.ReadResult> record = read
                ? read(w, source, e.entity(), e.key())
                : Future.succeededFuture(new TargetConnector.ReadResult(e.values(), null, e.version(), e.modifiedAt()));
        return record.compose(r -> {
            if (r == null) {
                metrics.applyEvents(target, Metrics.ApplyResult.SKIPPED).increment();
                return Future.succeededFuture();
            }
            return applyValues(w, withoutNulls(r.values()), r);
        });
    }

    /**
     * The record without its empty columns (null or empty text): a create must not send nulls for
     * columns the target requires (F&O rejects null strings), nor look up a related record by an empty
     * key (F&O gives "" for an unset InvoiceAccount). Columns emptied since the last sync are put back
     * by {@link #withClears}.
     */
    private static Map<String, Object> withoutNulls(Map<String, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (v != null && !"".equals(v)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * {@code values} plus, as null, the columns of {@code raw} that are empty now (null or "") and had a
     * value when the pair was last synced: a field cleared at the source, to be cleared at the target
     * (Dataverse: null, a lookup disassociated; F&O: "" for text). Returns {@code values} itself when
     * there is none, or the pair was never synced (a create sends no empty columns).
     */
    private Map<String, Object> withClears(CompiledMap map, Side source, Map<String, Object> raw,
                                           Map<String, Object> values, SyncState state) {
        if (state == null || raw == null) {
            return values;
        }
        SideState base = state.side(source);
        Map<String, List<String>> paths = pathsByColumn(map, source);
        Map<String, Object> out = values;
        for (Map.Entry<String, Object> column : raw.entrySet()) {
            Object v = column.getValue();
            if (v != null && !"".equals(v)) {
                continue;
            }
            for (String path : paths.getOrDefault(column.getKey(), List.of())) {
                if (base.fields().contains(path) && base.changed(path, null)) {
                    if (out == values) {
                        out = new LinkedHashMap<>(values);
                    }
                    out.put(column.getKey(), null);
                    break;
                }
            }
        }
        return out;
    }

    /** The map's field paths on {@code side} by their first column (a lookup path's column), computed once. */
    private Map<String, List<String>> pathsByColumn(CompiledMap map, Side side) {
        return columnPaths.computeIfAbsent(map.name() + "/" + side.word(), k -> {
            Map<String, List<String>> out = new HashMap<>();
            List<FieldMapping> all = new ArrayList<>(map.fields());
            if (map.company() != null) {
                all.add(map.company());
            }
            for (FieldMapping f : all) {
                String path = side == Side.FO ? f.foField() : f.dataverseField();
                if (path != null) {
                    int dot = path.indexOf('.');
                    out.computeIfAbsent(dot < 0 ? path : path.substring(0, dot), c -> new ArrayList<>()).add(path);
                }
            }
            return out;
        });
    }

    /**
     * @param values the source record's values without empty columns
     * @param source the record as the event gave it or as read from the source (ETag, modified time)
     */
    private Future<Void> applyValues(Work w, Map<String, Object> nonEmpty, TargetConnector.ReadResult asRead) {
        CompiledMap map = w.map();
        Direction d = w.direction();
        Side source = d.source();
        Side target = d.target();
        ChangeEvent e = w.event();
        Payload first;
        try {
            first = map.evaluate(d, nonEmpty);
        } catch (RuntimeException ex) {
            deadLetter(w, null, "evaluate", 0, ex.getMessage(), 1, clock.instant());
            return Future.succeededFuture();
        }
        if (!first.accepted()) {
            metrics.applyEvents(target, Metrics.ApplyResult.SKIPPED).increment();
            return Future.succeededFuture();
        }
        Map<String, Object> targetKey = targetKey(map, d, first);
        if (targetKey == null) {
            deadLetter(w, null, "evaluate", 0, "the record gives no value for a key field of " + map.targetKey(d), 1,
                    clock.instant());
            return Future.succeededFuture();
        }
        String key = integrationKey(targetKey);
        SyncState state = states.get(map.name(), key);
        Map<String, Object> values = withClears(map, source, asRead.values(), nonEmpty, state);
        Payload payload;
        try {
            payload = values == nonEmpty ? first : map.evaluate(d, values);
        } catch (RuntimeException ex) {
            deadLetter(w, key, "evaluate", 0, ex.getMessage(), 1, clock.instant());
            return Future.succeededFuture();
        }
        Instant modifiedAt = e.modifiedAt() != null ? e.modifiedAt() : asRead.modifiedAt();
        MappedRecord incoming = MappedRecord.of(map, source, values, e.version(), modifiedAt, asRead.etag());
        DedupDecision decision = dedup.check(e, map.name(), key, incoming.values(), state);
        if (!decision.process()) {
            countSkip(source, target, decision);
            if (decision.kind() == DedupDecision.Kind.ECHO) {
                states.put((state == null ? SyncState.empty(map.name(), key) : state).seenInSync(incoming)
                        .identified(source, e.recordId(), e.key()));
            }
            return Future.succeededFuture();
        }
        if (manual.heldFor(map.name(), key) != null) {
            manual.refresh(map.name(), key, incoming);
            metrics.applyEvents(target, Metrics.ApplyResult.CONFLICT).increment();
            return Future.succeededFuture();
        }
        if (state == null) {
            return write(w, key, targetKey, payload, incoming, null, null, false).mapEmpty();
        }
        String knownEtag = state.side(target).etag();
        if (knownEtag == null) {
            return readAndWrite(w, key, targetKey, payload, values, incoming, state, 1);
        }
        if (dedup.isNoOp(state, target, payload.toMap())) {
            return skipNoOp(w, key, incoming, state);
        }
        // Synced before, the target's ETag known: write with If-Match. A 412 (or 404) says the target
        // changed since our last sync: only then read it and look for a conflict.
        return write(w, key, targetKey, payload, incoming, state, knownEtag, false)
                .compose(r -> r == Written.PRECONDITION_FAILED
                        ? readAndWrite(w, key, targetKey, payload, values, incoming, states.get(map.name(), key), 1)
                        : Future.succeededFuture());
    }

    /**
     * The record without its key and company fields: they name the pair, so they cannot have changed;
     * compared as values they differ only in ways the systems ignore (company "usmf" written, "USMF" read).
     */
    private static MappedRecord withoutKey(CompiledMap map, MappedRecord r) {
        List<String> key = r.side() == Side.FO ? map.foKey() : map.dataverseKey();
        FieldMapping company = map.company();
        String companyPath = company == null ? null : r.side() == Side.FO ? company.foField() : company.dataverseField();
        Map<String, Object> values = new LinkedHashMap<>(r.values());
        values.keySet().removeAll(key);
        if (companyPath != null) {
            values.remove(companyPath);
        }
        return new MappedRecord(r.side(), r.version(), r.modifiedAt(), values, r.etag());
    }

    private Future<Void> skipNoOp(Work w, String key, MappedRecord incoming, SyncState state) {
        ChangeEvent e = w.event();
        states.put(state.seenInSync(incoming).identified(w.direction().source(), e.recordId(), e.key()));
        metrics.applyEvents(w.direction().target(), Metrics.ApplyResult.SKIPPED).increment();
        return Future.succeededFuture();
    }

    /**
     * Reads the target, decides whether it changed since the last sync (a conflict), and writes with
     * the ETag just read; a 412 means it changed again in between: read again, at most
     * {@value #MAX_READ_ROUNDS} times, then dead-letter.
     */
    private Future<Void> readAndWrite(Work w, String key, Map<String, Object> targetKey, Payload payload,
                                      Map<String, Object> values, MappedRecord incoming, SyncState state, int round) {
        CompiledMap map = w.map();
        Side target = w.direction().target();
        if (round > MAX_READ_ROUNDS) {
            deadLetter(w, key, "write", 412, "the target changed between every read and write (" + MAX_READ_ROUNDS
                    + " rounds); retry when it is quiet", MAX_READ_ROUNDS, clock.instant());
            return Future.succeededFuture();
        }
        return read(w, target, entitySet(map, target), targetKey)
                .compose(current -> {
                    if (current == null) {
                        return write(w, key, targetKey, payload, incoming, state, null, false).mapEmpty();
                    }
                    // as read, the target has empty columns (F&O: "" for an unset InvoiceAccount): like the
                    // incoming side's, they are unknown, not changes, and a resolution written back from
                    // them must not look related records up by an empty key
                    Map<String, Object> currentValues = withClears(map, target, current.values(), withoutNulls(current.values()),
                            state);
                    MappedRecord other = MappedRecord.of(map, target, currentValues, current.version(), current.modifiedAt(),
                            current.etag());
                    Detection detection = detector.detect(withoutKey(map, incoming), state, withoutKey(map, other));
                    if (detection.conflict()) {
                        return resolveConflict(w, key, targetKey, values, currentValues, incoming, other, state, detection);
                    }
                    if (dedup.isNoOp(state, target, payload.toMap())) {
                        return skipNoOp(w, key, incoming, state);
                    }
                    return write(w, key, targetKey, payload, incoming, state, current.etag(), false)
                            .compose(r -> r == Written.PRECONDITION_FAILED
                                    ? readAndWrite(w, key, targetKey, payload, values, incoming,
                                    states.get(map.name(), key), round + 1)
                                    : Future.succeededFuture());
                });
    }

    private Future<Void> resolveConflict(Work w, String key, Map<String, Object> targetKey, Map<String, Object> sourceValues,
                                         Map<String, Object> targetValues, MappedRecord incoming, MappedRecord other,
                                         SyncState state, Detection detection) {
        CompiledMap map = w.map();
        Side source = w.direction().source();
        Side target = w.direction().target();
        MappedRecord fo = source == Side.FO ? incoming : other;
        MappedRecord dv = source == Side.FO ? other : incoming;
        Resolution r = resolver.resolve(map, key, fo, dv, state, detection.reason());
        metrics.conflicts(map.conflict().kind(), outcome(r.record().outcome())).increment();
        metrics.applyEvents(target, Metrics.ApplyResult.CONFLICT).increment();
        about(LOG.atInfo(), w, key).log("{}", r.record());
        if (r.held()) {
            manual.hold(r.record(), state);
            return Future.succeededFuture();
        }
        return writeResolution(w, key, r, sourceValues, targetValues, state);
    }

    /** Writes what a resolution says to each side that needs it; the target's values overlay the side's full record. */
    private Future<Void> writeResolution(Work w, String key, Resolution r, Map<String, Object> sourceValues,
                                         Map<String, Object> targetValues, SyncState state) {
        CompiledMap map = w.map();
        Side source = w.direction().source();
        Future<Void> chain = Future.succeededFuture();
        for (Side side : Side.values()) {
            Map<String, Object> decided = r.to(side);
            if (decided.isEmpty()) {
                continue;
            }
            // decided values are in the other side's vocabulary: overlay them on that side's full record,
            // so the key and lookups can be mapped, then write only the decided fields (and the key):
            // the fields this side won must keep its own values
            Map<String, Object> from = new LinkedHashMap<>(side == source ? targetValues : sourceValues);
            from.putAll(decided);
            Direction d = Direction.towards(side);
            Payload full = map.evaluate(d, from);
            Map<String, Object> tk = targetKey(map, d, full);
            if (!full.accepted() || tk == null) {
                about(LOG.atWarn(), w, key).log("the resolution of conflict {} cannot be written to {}: {}", r.record().id(),
                        side.word(), full.accepted() ? "no value for a key field of " + map.targetKey(d)
                                : "the map's filter rejects the record");
                continue;
            }
            Set<String> written = targetPaths(map, d, decided.keySet());
            written.addAll(tk.keySet());
            Payload p = full.only(written::contains);
            MappedRecord fromRecord = MappedRecord.of(map, side.other(), from, 0, clock.instant(), null);
            Work sideWork = new Work(w.index(), w.event(), map, d);
            chain = chain.compose(v -> write(sideWork, key, tk, p, fromRecord, states.get(map.name(), key), null, true)
                    .mapEmpty());
        }
        return chain;
    }

    /** The target paths, in direction {@code d}, of the fields whose source paths are {@code sourcePaths}; plus the company. */
    private static Set<String> targetPaths(CompiledMap map, Direction d, Set<String> sourcePaths) {
        Set<String> out = new HashSet<>();
        if (map.company() != null) {
            out.add(map.company().targetField(d));
        }
        for (FieldMapping f : map.fields()) {
            if (f.flows(d) && f.sourceField(d) != null && sourcePaths.contains(f.sourceField(d))) {
                out.add(f.targetField(d));
            }
        }
        return out;
    }

    private Future<Void> delete(Work w) {
        CompiledMap map = w.map();
        Direction d = w.direction();
        Map<String, Object> known = new LinkedHashMap<>();
        if (w.event().key() != null) {
            known.putAll(w.event().key());
        }
        if (w.event().values() != null) {
            known.putAll(w.event().values());
        }
        Map<String, Object> targetKey = new LinkedHashMap<>();
        String missing = null;
        for (String path : map.targetKey(d)) {
            Object v = sourceValueFor(map, d, path, known);
            if (v == null) {
                missing = path;
                break;
            }
            targetKey.put(path, v);
        }
        String key;
        if (missing == null) {
            key = integrationKey(targetKey);
        } else {
            // the event does not name the target record (a Dataverse delete gives the id only):
            // the pair synced last time remembers the source record id and the target's key
            SyncState pair = states.byRecordId(map.name(), d.source(), w.event().recordId());
            Map<String, Object> remembered = pair == null ? null : pair.side(d.target()).key();
            targetKey = new LinkedHashMap<>();
            for (String path : map.targetKey(d)) {
                Object v = remembered == null ? null : remembered.get(path);
                if (v == null) {
                    metrics.applyEvents(d.target(), Metrics.ApplyResult.SKIPPED).increment();
                    about(LOG.atWarn(), w, null).log("delete skipped: no value for target key field {}{}",
                            missing, pair == null ? " and no synced record has id " + w.event().recordId() : "");
                    return Future.succeededFuture();
                }
                targetKey.put(path, v);
            }
            key = pair.key();
        }
        Map<String, Object> deleteKey = targetKey;
        String entity = entitySet(map, d.target());
        return withRetries(w, key, d.target(), () -> connectors.get(d.target()).delete(entity, deleteKey,
                EchoFilter.tagFor(w.event().eventId())), clock.instant())
                .map(outcome -> {
                    if (outcome == Written.OK) {
                        states.remove(map.name(), key);
                        metrics.applyEvents(d.target(), Metrics.ApplyResult.APPLIED).increment();
                    }
                    return null;
                });
    }

    private static Object sourceValueFor(CompiledMap map, Direction d, String targetPath, Map<String, Object> known) {
        List<FieldMapping> all = new ArrayList<>(map.fields());
        if (map.company() != null) {
            all.add(0, map.company());
        }
        for (FieldMapping f : all) {
            String t = d.target() == Side.FO ? f.foField() : f.dataverseField();
            String s = d.source() == Side.FO ? f.foField() : f.dataverseField();
            if (targetPath.equals(t) && s != null && known.get(s) != null) {
                return known.get(s);
            }
        }
        return null;
    }

    /**
     * Writes the payload (with {@code If-Match: ifMatch} when given) and, once written, records the
     * pair's new sync state and the echo to expect. Completes with what became of it.
     */
    private Future<Written> write(Work w, String key, Map<String, Object> targetKey, Payload payload,
                                  MappedRecord sourceRecord, SyncState state, String ifMatch, boolean resolution) {
        CompiledMap map = w.map();
        Side target = w.direction().target();
        String entity = entitySet(map, target);
        String tag = EchoFilter.tagFor(w.event().eventId());
        Holder<WriteResult> last = new Holder<>();
        return withRetries(w, key, target, () -> connectors.get(target).upsert(entity, targetKey, payload, ifMatch, tag)
                .onSuccess(r -> last.value = r), clock.instant())
                .map(outcome -> {
                    if (outcome != Written.OK) {
                        return outcome;
                    }
                    WriteResult r = last.value;
                    Map<String, Object> written = payload.toMap();
                    MappedRecord writtenRecord = new MappedRecord(target, versionOf(r.etag()), clock.instant(), written, r.etag());
                    SyncState base = state == null ? SyncState.empty(map.name(), key) : state;
                    SyncState next = base.synced(sourceRecord, writtenRecord).identified(target, r.recordId(), targetKey);
                    ChangeEvent e = w.event();
                    if (e.source() == w.direction().source()) {
                        next = next.identified(e.source(), e.recordId(), e.key());
                    }
                    states.put(next);
                    echoes.wrote(target, map.name(), key, written);
                    metrics.applyEvents(target, Metrics.ApplyResult.APPLIED).increment();
                    if (!resolution && w.event().modifiedAt() != null) {
                        metrics.recordSyncLatency(target, w.event().modifiedAt(), clock.instant());
                    }
                    return Written.OK;
                });
    }

    private static final class Holder<T> {
        T value;
    }

    /**
     * Reads a record within the side's concurrency limit (so a 429's Retry-After holds reads too),
     * retrying throttling, 5xx and connection failures like writes do; fails with the target's answer
     * when it is permanent or the retry deadline passed (the event is then dead-lettered).
     */
    private Future<TargetConnector.ReadResult> read(Work w, Side side, String entitySet, Map<String, Object> key) {
        Promise<TargetConnector.ReadResult> done = Promise.promise();
        readAttempt(w, side, entitySet, key, clock.instant(), 0, done);
        return done.future();
    }

    private void readAttempt(Work w, Side side, String entitySet, Map<String, Object> key, Instant first, int failures,
                             Promise<TargetConnector.ReadResult> done) {
        whenPermitted(side, () -> sendRead(w, side, entitySet, key, first, failures, done));
    }

    /** One attempt of a read, holding a permit of the side's limit. */
    private void sendRead(Work w, Side side, String entitySet, Map<String, Object> key, Instant first, int failures,
                          Promise<TargetConnector.ReadResult> done) {
        connectors.get(side).read(entitySet, key).onComplete(ar -> {
            WriteResult r = ar.succeeded() ? null
                    : ar.cause() instanceof TargetReadException ? ((TargetReadException) ar.cause()).result()
                    : new WriteResult(WriteResult.Outcome.RETRYABLE, 0, null, null, null, String.valueOf(ar.cause()));
            released(side, r == null ? WriteResult.Outcome.OK : r.outcome(), r == null ? null : r.retryAfter());
            if (r == null) {
                done.complete(ar.result());
                return;
            }
            if (r.outcome() == WriteResult.Outcome.THROTTLED) {
                metrics.applyRetries(side, Metrics.RetryReason.THROTTLED).increment();
                Duration wait = Backoff.afterThrottle(r.retryAfter(), Duration.ofSeconds(1));
                vertx.setTimer(Math.max(1, wait.toMillis()), t -> readAttempt(w, side, entitySet, key, first, failures, done));
                return;
            }
            if (r.outcome() == WriteResult.Outcome.RETRYABLE || r.outcome() == WriteResult.Outcome.UNAUTHORIZED) {
                Backoff.Step step = backoff.next(failures + 1, first);
                if (step.retry()) {
                    metrics.applyRetries(side, r.status() == 0 ? Metrics.RetryReason.CONNECTION
                            : Metrics.RetryReason.SERVER_ERROR).increment();
                    vertx.setTimer(Math.max(1, step.delay().toMillis()),
                            t -> readAttempt(w, side, entitySet, key, first, failures + 1, done));
                    return;
                }
            }
            done.fail(new IllegalStateException("reading " + side.word() + " " + entitySet + " " + key + " failed: "
                    + r.status() + " " + r.message()));
        });
    }

    /**
     * Runs {@code go} holding a permit of the side's {@link AdaptiveLimit}: now when one is free and
     * nobody is waiting, else in turn (first come, first served) when a request ends or a 429's hold
     * runs out. Waiting costs nothing: no polling.
     */
    private void whenPermitted(Side side, Runnable go) {
        ArrayDeque<Runnable> queue = waiting.get(side);
        if (queue.isEmpty() && limits.get(side).tryAcquire()) {
            go.run();
            return;
        }
        queue.add(go);
        wake(side);
    }

    /** Gives a permit back and lets the next waiter of that side go. */
    private void released(Side side, WriteResult.Outcome outcome, Duration retryAfter) {
        limits.get(side).release(outcome, retryAfter);
        wake(side);
    }

    private void wake(Side side) {
        ArrayDeque<Runnable> queue = waiting.get(side);
        AdaptiveLimit limit = limits.get(side);
        while (!queue.isEmpty()) {
            Duration hold = limit.holdRemaining();
            if (!hold.isZero()) {
                if (!holdTimers.contains(side)) {
                    holdTimers.add(side);
                    vertx.setTimer(Math.max(1, hold.toMillis()), t -> {
                        holdTimers.remove(side);
                        wake(side);
                    });
                }
                return;
            }
            if (!limit.tryAcquire()) {
                return; // every permit is out: the next release wakes the queue
            }
            Runnable go = queue.poll();
            // on the next turn of the event loop: a release inside a response handler must not run the
            // next request's whole chain on its stack
            (context != null ? context : vertx.getOrCreateContext()).runOnContext(v -> go.run());
        }
    }

    /** What became of a write. */
    private enum Written {
        OK,
        DEAD_LETTERED,
        /** Sent with If-Match and answered 412, or 404: the target is not as we last saw it. */
        PRECONDITION_FAILED
    }

    /**
     * Runs a write until it succeeds, is refused by its If-Match (412, or 404: the caller decides), or
     * is dead-lettered: permanent answers and retries past the deadline become dead letters; 429 waits
     * the target's Retry-After; a 401 is retried once.
     */
    private Future<Written> withRetries(Work w, String key, Side target, Supplier<Future<WriteResult>> call, Instant first) {
        Promise<Written> done = Promise.promise();
        attempt(w, key, target, call, 1, first, 0, false, done);
        return done.future();
    }

    private void attempt(Work w, String key, Side target, Supplier<Future<WriteResult>> call, int attempt,
                         Instant first, int failures, boolean hadUnauthorized, Promise<Written> done) {
        whenPermitted(target, () -> send(w, key, target, call, attempt, first, failures, hadUnauthorized, done));
    }

    /** One attempt of a write, holding a permit of the target's limit. */
    private void send(Work w, String key, Side target, Supplier<Future<WriteResult>> call, int attempt,
                      Instant first, int failures, boolean hadUnauthorized, Promise<Written> done) {
        call.get().onComplete(ar -> {
            WriteResult r = ar.succeeded() ? ar.result()
                    : new WriteResult(WriteResult.Outcome.RETRYABLE, 0, null, null, null, String.valueOf(ar.cause()));
            released(target, r.outcome(), r.retryAfter());
            switch (r.outcome()) {
                case OK:
                    done.complete(Written.OK);
                    return;
                case THROTTLED: {
                    metrics.applyRetries(target, Metrics.RetryReason.THROTTLED).increment();
                    Duration wait = Backoff.afterThrottle(r.retryAfter(), Duration.ofSeconds(1));
                    vertx.setTimer(Math.max(1, wait.toMillis()), t -> attempt(w, key, target, call, attempt + 1, first,
                            failures, hadUnauthorized, done));
                    return;
                }
                case UNAUTHORIZED:
                    if (!hadUnauthorized) {
                        metrics.applyRetries(target, Metrics.RetryReason.UNAUTHORIZED).increment();
                        vertx.setTimer(1, t -> attempt(w, key, target, call, attempt + 1, first, failures, true, done));
                        return;
                    }
                    deadLetter(w, key, "write", r.status(), r.message(), attempt, first);
                    done.complete(Written.DEAD_LETTERED);
                    return;
                case PRECONDITION_FAILED:
                case NOT_FOUND:
                    // only a write with If-Match answers these (without it an upsert creates)
                    done.complete(Written.PRECONDITION_FAILED);
                    return;
                case RETRYABLE: {
                    Backoff.Step step = backoff.next(failures + 1, first);
                    if (step.retry()) {
                        metrics.applyRetries(target, r.status() == 0 ? Metrics.RetryReason.CONNECTION
                                : Metrics.RetryReason.SERVER_ERROR).increment();
                        vertx.setTimer(Math.max(1, step.delay().toMillis()), t -> attempt(w, key, target, call,
                                attempt + 1, first, failures + 1, hadUnauthorized, done));
                        return;
                    }
                    deadLetter(w, key, "write", r.status(), r.message() + " (" + step.reason() + ")", attempt, first);
                    done.complete(Written.DEAD_LETTERED);
                    return;
                }
                default:
                    deadLetter(w, key, "write", r.status(), r.message(), attempt, first);
                    done.complete(Written.DEAD_LETTERED);
            }
        });
    }

    private void deadLetter(Work w, String key, String stage, int status, String error, int attempts, Instant first) {
        Side target = w.direction().target();
        deadLetters.add(DeadLetter.of(w.event(), w.index(), w.map().name(), key, target, stage, status,
                error == null ? "" : error, attempts, first, clock.instant()));
        metrics.applyEvents(target, Metrics.ApplyResult.DEAD_LETTERED).increment();
        about(LOG.atWarn(), w, key).log("dead-lettered (to {}, stage {}): {} {}", target.word(), stage, status, error);
    }

    /** A log line about one event: its id, map and record key (or source record id) as key-value pairs. */
    private static LoggingEventBuilder about(LoggingEventBuilder line, Work w, String key) {
        return line.addKeyValue("event", w.event().eventId()).addKeyValue("map", w.map().name())
                .addKeyValue("record", key != null ? key : w.event().source().word() + ":" + w.event().recordId());
    }

    private void countSkip(Side source, Side target, DedupDecision decision) {
        switch (decision.kind()) {
            case ECHO:
                metrics.echoesSuppressed(source).increment();
                metrics.applyEvents(target, Metrics.ApplyResult.ECHO).increment();
                break;
            case DUPLICATE:
                metrics.dedupDrops(source, Metrics.DedupReason.REDELIVERY).increment();
                metrics.applyEvents(target, Metrics.ApplyResult.DUPLICATE).increment();
                break;
            case STALE:
                metrics.dedupDrops(source, Metrics.DedupReason.STALE).increment();
                metrics.applyEvents(target, Metrics.ApplyResult.STALE).increment();
                break;
            default:
                metrics.applyEvents(target, Metrics.ApplyResult.SKIPPED).increment();
        }
    }

    private static Metrics.ConflictOutcome outcome(ConflictRecord.Outcome o) {
        switch (o) {
            case FO_WON:
                return Metrics.ConflictOutcome.FO_WON;
            case DATAVERSE_WON:
                return Metrics.ConflictOutcome.DATAVERSE_WON;
            case HELD:
                return Metrics.ConflictOutcome.HELD;
            default:
                return Metrics.ConflictOutcome.MERGED;
        }
    }

    // ---- keys

    private static String entitySet(CompiledMap map, Side side) {
        return side == Side.FO ? map.foEntity() : map.dataverseTable();
    }

    /** The target key field paths and values, or null when the payload lacks one. */
    private static Map<String, Object> targetKey(CompiledMap map, Direction d, Payload payload) {
        Map<String, Object> key = new LinkedHashMap<>();
        for (String path : map.targetKey(d)) {
            Object v = payload.get(path);
            if (v == null) {
                return null;
            }
            key.put(path, v);
        }
        return key;
    }

    /** The pair's integration key: key values in map order, the same text from either side. */
    static String integrationKey(Map<String, Object> targetKey) {
        StringBuilder b = new StringBuilder();
        for (Object v : targetKey.values()) {
            if (b.length() > 0) {
                b.append('|');
            }
            b.append(String.valueOf(v).toLowerCase(Locale.ROOT));
        }
        return b.toString();
    }

    private static long versionOf(String etag) {
        if (etag == null) {
            return 0;
        }
        String digits = etag.replaceAll("[^0-9]", "");
        try {
            return digits.isEmpty() || digits.length() > 18 ? 0 : Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // ---- admin adapters

    /**
     * Runs {@code work} on the pipeline's context (the admin API is served on another event loop, and the
     * pipeline is not thread-safe); completes on the caller's context.
     */
    private <T> Future<T> onPipelineContext(Supplier<Future<T>> work) {
        if (context == null || Vertx.currentContext() == context) {
            return work.get();
        }
        Promise<T> done = Promise.promise();
        context.runOnContext(v -> {
            try {
                work.get().onComplete(done);
            } catch (RuntimeException e) {
                done.fail(e);
            }
        });
        Context caller = Vertx.currentContext();
        return caller == null ? done.future() : done.future().transform(ar -> {
            Promise<T> back = Promise.promise();
            caller.runOnContext(x -> back.handle(ar));
            return back.future();
        });
    }

    /** The dead-letter queue for the admin API; a retry re-journals the original event. */
    public DeadLetterAdmin deadLetterAdmin() {
        return new DeadLetterAdmin() {
            @Override
            public Future<JsonArray> list(int limit) {
                JsonArray out = new JsonArray();
                for (DeadLetter d : deadLetters.list()) {
                    if (out.size() >= limit) {
                        break;
                    }
                    out.add(toJson(d));
                }
                return Future.succeededFuture(out);
            }

            @Override
            public Future<Boolean> retry(String id) {
                return onPipelineContext(() -> retryOnContext(id));
            }

            private Future<Boolean> retryOnContext(String id) {
                DeadLetterStore.Retry r;
                try {
                    r = deadLetters.retry(id, states);
                } catch (NoSuchElementException e) {
                    return Future.succeededFuture(false);
                }
                if (!r.retry()) {
                    LOG.info("dead letter {} not retried: {}", id, r.reason());
                    return Future.succeededFuture(true);
                }
                dedup.forget(r.letter().event(), r.letter().map());
                return journal.append(r.letter().event()).map(i -> true);
            }

            @Override
            public Future<Boolean> delete(String id) {
                return Future.succeededFuture(deadLetters.delete(id));
            }
        };
    }

    private static JsonObject toJson(DeadLetter d) {
        ChangeEvent e = d.event();
        JsonObject event = new JsonObject().put("eventId", e.eventId()).put("source", e.source().word())
                .put("entity", e.entity()).put("operation", e.operation().name().toLowerCase(Locale.ROOT))
                .put("recordId", e.recordId())
                .put("key", e.key() == null ? null : new JsonObject(new LinkedHashMap<>(e.key())))
                .put("values", e.values() == null ? null : new JsonObject(new LinkedHashMap<>(e.values())))
                .put("modifiedAt", e.modifiedAt() == null ? null : e.modifiedAt().toString());
        return new JsonObject().put("id", d.id()).put("event", event).put("journalIndex", d.journalIndex())
                .put("map", d.map()).put("key", d.key()).put("target", d.target().word()).put("stage", d.stage())
                .put("status", d.status()).put("error", d.error()).put("attempts", d.attempts())
                .put("firstAttempt", String.valueOf(d.firstAttempt())).put("lastAttempt", String.valueOf(d.lastAttempt()));
    }

    /** Held conflicts for the admin API; resolving writes the chosen values to both sides as needed. */
    public ConflictAdmin conflictAdmin() {
        return new ConflictAdmin() {
            @Override
            public Future<JsonArray> list(int limit) {
                JsonArray out = new JsonArray();
                for (ConflictRecord c : manual.list()) {
                    if (out.size() >= limit) {
                        break;
                    }
                    out.add(new JsonObject().put("id", c.id()).put("map", c.map()).put("key", c.key())
                            .put("policy", c.policy()).put("outcome", c.outcome().name().toLowerCase(Locale.ROOT))
                            .put("fo", side(c.fo())).put("dataverse", side(c.dataverse()))
                            .put("detail", c.detail()).put("detectedAt", String.valueOf(c.at())));
                }
                return Future.succeededFuture(out);
            }

            @Override
            public Future<Boolean> resolve(String id, ConflictResolution resolution) {
                return onPipelineContext(() -> resolveOnContext(id, resolution));
            }

            private Future<Boolean> resolveOnContext(String id, ConflictResolution resolution) {
                if (resolution.winner() == null) {
                    return Future.failedFuture(new IllegalArgumentException(
                            "resolving with values is not supported yet: give {\"winner\": \"fo\" | \"dataverse\"}"));
                }
                ManualConflicts.Held held = manual.get(id);
                if (held == null) {
                    return Future.succeededFuture(false);
                }
                Resolution r;
                try {
                    r = manual.resolve(id, resolution.winner() == Side.FO ? Choice.fo() : Choice.dataverse());
                } catch (IllegalArgumentException e) {
                    return Future.failedFuture(e);
                }
                CompiledMap map = maps.stream().filter(m -> m.name().equals(held.record().map())).findFirst().orElse(null);
                if (map == null || r == null) {
                    return Future.succeededFuture(r != null);
                }
                ChangeEvent synthetic = new ChangeEvent("conflict:" + id, resolution.winner(),
                        entitySet(map, resolution.winner()), Operation.UPDATE, held.record().key(), Map.of(), Map.of(), 0,
                        clock.instant(), null, null, id, clock.instant());
                Work w = new Work(-1, synthetic, map, Direction.towards(resolution.winner().other()));
                // the held sides' mapped records give the keys and lookups the decided values lack
                Side winner = resolution.winner();
                Map<String, Object> winnerValues = (winner == Side.FO ? held.record().fo() : held.record().dataverse()).values();
                Map<String, Object> otherValues = (winner == Side.FO ? held.record().dataverse() : held.record().fo()).values();
                return writeResolution(w, held.record().key(), r, winnerValues, otherValues, held.state())
                        .map(v -> true);
            }
        };
    }

    private static JsonObject side(Object sideRecord) {
        return new JsonObject().put("record", String.valueOf(sideRecord));
    }
}
