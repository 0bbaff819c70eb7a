package io.dualsync.dedup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.dualsync.conflict.SideState;
import io.dualsync.conflict.SyncState;
import io.dualsync.mapping.Side;
import io.dualsync.model.ChangeEvent;

import java.time.Duration;
import java.util.Map;

/**
 * Drops what must not be applied, before conflict detection. For an event, in this order:
 * <ol>
 *   <li>{@link DedupDecision.Kind#DUPLICATE}: its {@link ChangeEvent#eventId()} was seen before for the
 *       same map (Dataverse CorrelationId plus version, business-event EventId/ControlNumber, envelope
 *       id). Ids are remembered in a bounded Caffeine cache (size and age): a redelivery later than
 *       that is caught by the next rule instead;</li>
 *   <li>{@link DedupDecision.Kind#ECHO}: our own write coming back ({@link EchoFilter});</li>
 *   <li>{@link DedupDecision.Kind#STALE}: not newer than the version of that side already dealt with
 *       ({@link SideState#version()}); for a side without versions (0, F&O) modified before the time
 *       already dealt with;</li>
 *   <li>otherwise {@link DedupDecision.Kind#PROCESS}.</li>
 * </ol>
 * For a write, {@link #checkWrite} answers {@link DedupDecision.Kind#NO_OP} when the target already
 * has every value from us.
 *
 * <p>Call {@link #check} once per journal entry and map: it records the event id. A dead letter
 * retried by a person goes through {@link #forget} first. Thread-safe; time comes from the
 * injected {@link Ticker}; no Vert.x types; never returns null.
 */
public final class Deduplicator {
    private final EchoFilter echoes;
    private final Cache<String, Boolean> seen;

    /**
     * @param maxEventIds how many event ids to remember
     * @param idTtl       how long to remember one (the senders' redelivery window)
     */
    public Deduplicator(EchoFilter echoes, long maxEventIds, Duration idTtl, Ticker ticker) {
        this.echoes = echoes;
        this.seen = Caffeine.newBuilder().maximumSize(maxEventIds).expireAfterWrite(idTtl).ticker(ticker)
                .executor(Runnable::run).build();
    }

    /**
     * Decides an event for one map.
     *
     * @param key          the pair's integration key
     * @param mappedValues the event's values of the map's fields on its side, or null when not known
     * @param state        what was last synced for the pair, or null when never
     */
    public DedupDecision check(ChangeEvent event, String map, String key, Map<String, ?> mappedValues,
                               SyncState state) {
        if (seen.asMap().putIfAbsent(idKey(event, map), Boolean.TRUE) != null) {
            return DedupDecision.of(DedupDecision.Kind.DUPLICATE, "event " + event.eventId() + " already received");
        }
        String echo = echoes.match(event, map, key, mappedValues);
        if (echo != null) {
            return DedupDecision.of(DedupDecision.Kind.ECHO, "our own write coming back: " + echo);
        }
        String stale = state == null ? null : stale(event, state.side(event.source()));
        if (stale != null) {
            return DedupDecision.of(DedupDecision.Kind.STALE, stale);
        }
        return DedupDecision.PROCESS;
    }

    /**
     * Whether a write is needed: {@link DedupDecision.Kind#NO_OP} when every value of {@code payload}
     * equals what was last synced to {@code target} (or the payload is empty), else PROCESS.
     *
     * @param payload target field path to value
     */
    public DedupDecision checkWrite(SyncState state, Side target, Map<String, ?> payload) {
        if (payload.isEmpty()) {
            return DedupDecision.of(DedupDecision.Kind.NO_OP, "no mapped value to write");
        }
        if (state == null) {
            return DedupDecision.PROCESS;
        }
        SideState s = state.side(target);
        for (Map.Entry<String, ?> e : payload.entrySet()) {
            if (s.changed(e.getKey(), e.getValue())) {
                return DedupDecision.PROCESS;
            }
        }
        return DedupDecision.of(DedupDecision.Kind.NO_OP, target.word() + " already has these " + payload.size()
                + " values from us");
    }

    /** True when {@link #checkWrite} would answer NO_OP. */
    public boolean isNoOp(SyncState state, Side target, Map<String, ?> payload) {
        return checkWrite(state, target, payload).kind() == DedupDecision.Kind.NO_OP;
    }

    /** Forgets an event id, so the event is decided afresh (a dead letter retried by a person). */
    public void forget(ChangeEvent event, String map) {
        seen.invalidate(idKey(event, map));
    }

    private static String stale(ChangeEvent event, SideState side) {
        if (event.version() != 0 && side.version() != 0) {
            if (event.version() <= side.version()) {
                return event.source().word() + " version " + event.version() + " is not newer than version "
                        + side.version() + " already dealt with";
            }
            return null;
        }
        if (event.version() == 0 && side.version() == 0 && event.modifiedAt() != null && side.modifiedAt() != null
                && event.modifiedAt().isBefore(side.modifiedAt())) {
            return event.source().word() + " change of " + event.modifiedAt() + " is older than the one of "
                    + side.modifiedAt() + " already dealt with";
        }
        return null;
    }

    private static String idKey(ChangeEvent event, String map) {
        return map + "/" + event.source().word() + "/" + event.eventId();
    }
}
