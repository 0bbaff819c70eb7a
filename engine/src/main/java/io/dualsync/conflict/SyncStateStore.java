package io.dualsync.conflict;

import io.dualsync.mapping.Side;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The per-record {@link SyncState}s, kept across restarts.
 *
 * <p><b>Why a compacted file and not the journal or a Chronicle queue.</b> The state is a map from
 * record pair to its latest value; only the latest matters. Rebuilding it from the journal would
 * need the journal kept forever (retention deletes processed roll cycles), and a Chronicle queue of
 * updates has the same problem: deleting old cycles would lose the state of records not updated
 * since. So it is a {@link KeyedFileLog}: an append-only JSON-lines file of updates, replayed into a
 * map on open and rewritten with the live entries only (temporary file, fsync, atomic rename) once it
 * holds more than four times as many lines as records.
 *
 * <p><b>Durability.</b> {@link #put} returns once the update is in the page cache: it survives
 * kill -9. In the {@code power} durability mode call {@link #sync()} (off the event loop) before
 * committing the journal positions of the events whose states were put. Put the state after the
 * write it describes succeeded and before the event's journal position is committed, so a restart
 * re-delivers the event and its redelivery is recognised as stale.
 *
 * <p><b>Memory and cost.</b> Every state is held in memory: about 250 bytes plus 16 bytes per mapped
 * field and side ({@link FieldHashes}; field names are shared), so ~2 KB for a record of the
 * Customers V3 map (~60 fields): a million record pairs is ~2 GB of heap. It grows with the number
 * of distinct records ever synced and is never evicted (an evicted state would turn an old
 * redelivery into an apply). Each put appends the whole state (~3.5 KB for Customers V3) to the file.
 * Thread-safe.
 */
public final class SyncStateStore implements AutoCloseable {
    private final KeyedFileLog<SyncState> log;
    /** (map, side, record id) to the pair's integration key; rebuilt from the states on open. */
    private final Map<String, String> byRecordId = new HashMap<>();

    private SyncStateStore(KeyedFileLog<SyncState> log) {
        this.log = log;
        for (SyncState s : log.values()) {
            index(s);
        }
    }

    /** Opens the store in {@code dir} (file {@code sync-state.jsonl}), creating it when missing. Blocks. */
    public static SyncStateStore open(Path dir) {
        return new SyncStateStore(KeyedFileLog.open(dir.resolve("sync-state.jsonl"), SyncState.class));
    }

    /** The state of a pair, or null when the pair was never synced. */
    public SyncState get(String map, String key) {
        return log.get(id(map, key));
    }

    /** The state of a pair, or an {@link SyncState#empty empty} one; never null. */
    public SyncState getOrEmpty(String map, String key) {
        SyncState s = get(map, key);
        return s != null ? s : SyncState.empty(map, key);
    }

    public synchronized void put(SyncState state) {
        SyncState before = log.get(id(state.map(), state.key()));
        if (before != null) {
            unindex(before);
        }
        log.put(id(state.map(), state.key()), state);
        index(state);
    }

    /** Forgets a pair (after both sides' records were deleted). */
    public synchronized void remove(String map, String key) {
        SyncState before = log.get(id(map, key));
        if (before != null) {
            unindex(before);
        }
        log.remove(id(map, key));
    }

    /**
     * The state of the pair whose {@code side} record has {@code recordId} (as that side's events name
     * it, compared ignoring case), or null when no synced pair has it.
     */
    public synchronized SyncState byRecordId(String map, Side side, String recordId) {
        if (recordId == null) {
            return null;
        }
        String key = byRecordId.get(recordKey(map, side, recordId));
        return key == null ? null : get(map, key);
    }

    private void index(SyncState s) {
        for (Side side : Side.values()) {
            String recordId = s.side(side).recordId();
            if (recordId != null) {
                byRecordId.put(recordKey(s.map(), side, recordId), s.key());
            }
        }
    }

    private void unindex(SyncState s) {
        for (Side side : Side.values()) {
            String recordId = s.side(side).recordId();
            if (recordId != null) {
                byRecordId.remove(recordKey(s.map(), side, recordId), s.key());
            }
        }
    }

    private static String recordKey(String map, Side side, String recordId) {
        return map + "/" + side.word() + "/" + recordId.toLowerCase(Locale.ROOT);
    }

    public int size() {
        return log.size();
    }

    /** Forces the updates to disk. Blocks: not on an event loop. */
    public void sync() {
        log.sync();
    }

    @Override
    public void close() {
        log.close();
    }

    private static String id(String map, String key) {
        // Map names are identifiers (no '/'), so the first '/' always separates the two.
        return map + "/" + key;
    }
}
