package io.dualsync.conflict;

import io.dualsync.mapping.CompiledMap;
import io.dualsync.mapping.Side;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Conflicts held for a person ({@code manual} policy), kept across restarts, behind
 * {@code GET /admin/conflicts} ({@link #list()}) and {@code POST /admin/conflicts/{id}/resolve}
 * ({@link #resolve}). While a record pair is held, the pipeline does not apply its later changes:
 * it {@link #refresh}es the held conflict with them, so the decision is made on the latest values.
 *
 * <p>Persistence: a {@link KeyedFileLog} ({@code held-conflicts.jsonl}): hold and refresh append
 * the conflict, resolve appends a tombstone. Thread-safe; {@link #open} blocks.
 */
public final class ManualConflicts implements AutoCloseable {

    /** A held conflict: the record shown to people and the sync state its decision is judged against. */
    public record Held(ConflictRecord record, SyncState state) {
    }

    private final KeyedFileLog<Held> log;
    private final ConflictResolver resolver;
    private final Function<String, CompiledMap> maps;

    private ManualConflicts(KeyedFileLog<Held> log, ConflictResolver resolver, Function<String, CompiledMap> maps) {
        this.log = log;
        this.resolver = resolver;
        this.maps = maps;
    }

    /**
     * @param dir      folder of the file {@code held-conflicts.jsonl}
     * @param resolver decides the writes of a decision
     * @param maps     the loaded maps by name (null for a name no longer loaded)
     */
    public static ManualConflicts open(Path dir, ConflictResolver resolver, Function<String, CompiledMap> maps) {
        return new ManualConflicts(KeyedFileLog.open(dir.resolve("held-conflicts.jsonl"), Held.class), resolver, maps);
    }

    /** Holds a conflict the resolver answered {@link ConflictRecord.Outcome#HELD} for. */
    public void hold(ConflictRecord record, SyncState state) {
        if (record.outcome() != ConflictRecord.Outcome.HELD) {
            throw new IllegalArgumentException("conflict " + record.id() + " was " + record.outcome() + ", not held");
        }
        log.put(record.id(), new Held(record, state));
    }

    /** The held conflicts, oldest first. */
    public List<ConflictRecord> list() {
        return log.values().stream().map(Held::record)
                .sorted(Comparator.comparing(ConflictRecord::at).thenComparing(ConflictRecord::id)).toList();
    }

    /** A held conflict by id, or null. */
    public Held get(String id) {
        return log.get(id);
    }

    /** The conflict holding a record pair, or null when the pair is not held. */
    public Held heldFor(String map, String key) {
        for (Held h : log.values()) {
            if (h.record().map().equals(map) && h.record().key().equals(key)) {
                return h;
            }
        }
        return null;
    }

    /**
     * Replaces one side of the conflict holding the pair with a later change of that side (values
     * it does not give keep their held values). Returns false when the pair is not held.
     */
    public boolean refresh(String map, String key, MappedRecord latest) {
        Held h = heldFor(map, key);
        if (h == null) {
            return false;
        }
        ConflictRecord r = h.record();
        MappedRecord before = latest.side() == Side.FO ? r.fo() : r.dataverse();
        Map<String, Object> values = new LinkedHashMap<>(before.values());
        values.putAll(latest.values());
        MappedRecord merged = new MappedRecord(latest.side(), Math.max(before.version(), latest.version()),
                latest.modifiedAt() != null ? latest.modifiedAt() : before.modifiedAt(), values,
                latest.etag() != null ? latest.etag() : before.etag());
        ConflictRecord updated = new ConflictRecord(r.id(), r.map(), r.key(), r.policy(), r.outcome(), r.winners(),
                latest.side() == Side.FO ? merged : r.fo(), latest.side() == Side.DATAVERSE ? merged : r.dataverse(),
                r.detail(), r.at());
        log.put(r.id(), new Held(updated, h.state()));
        return true;
    }

    /**
     * Decides a held conflict: returns what to write so both sides converge and releases the pair
     * (the pipeline applies the writes in the pair's lane, then stores the new sync state).
     *
     * @throws NoSuchElementException   when no conflict has that id (already resolved, or never held)
     * @throws IllegalArgumentException when the choice leaves a field undecided
     * @throws IllegalStateException    when the conflict's map is no longer loaded
     */
    public Resolution resolve(String id, Choice choice) {
        Held h = log.get(id);
        if (h == null) {
            throw new NoSuchElementException("no held conflict " + id + " (already resolved?)");
        }
        ConflictRecord r = h.record();
        CompiledMap map = maps.apply(r.map());
        if (map == null) {
            throw new IllegalStateException("conflict " + id + " belongs to map " + r.map() + ", which is not loaded");
        }
        Resolution decided = resolver.decideManually(map, r.key(), r.fo(), r.dataverse(), h.state(), choice,
                r.detail());
        ConflictRecord same = decided.record();
        ConflictRecord record = new ConflictRecord(r.id(), same.map(), same.key(), same.policy(), same.outcome(),
                same.winners(), same.fo(), same.dataverse(), same.detail(), same.at());
        log.remove(id);
        return new Resolution(record, decided.toFo(), decided.toDataverse());
    }

    public int size() {
        return log.size();
    }

    /** Forces what was held or resolved to disk (power-mode durability); not for an event loop. */
    public void sync() {
        log.sync();
    }

    @Override
    public void close() {
        log.close();
    }
}
