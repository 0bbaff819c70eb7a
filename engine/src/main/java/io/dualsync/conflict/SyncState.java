package io.dualsync.conflict;

import io.dualsync.mapping.Side;

import java.util.Map;
import java.util.Objects;

/**
 * What dualsync last synced for one record pair: per side, the newest version dealt with, its
 * modified time, its ETag and the hashes of the mapped values as last synced. Keyed by the map's
 * name and the pair's integration key (the same text for both sides, built by the pipeline from the
 * key values in map order). Immutable: every change gives a new state to {@link SyncStateStore#put}.
 *
 * @param map       the map's name
 * @param key       the pair's integration key
 * @param fo        what is known of the F&O side
 * @param dataverse what is known of the Dataverse side
 */
public record SyncState(String map, String key, SideState fo, SideState dataverse) {

    public SyncState {
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(key, "key");
        fo = fo == null ? SideState.UNKNOWN : fo;
        dataverse = dataverse == null ? SideState.UNKNOWN : dataverse;
    }

    /** A pair never synced before. */
    public static SyncState empty(String map, String key) {
        return new SyncState(map, key, SideState.UNKNOWN, SideState.UNKNOWN);
    }

    public SideState side(Side side) {
        return side == Side.FO ? fo : dataverse;
    }

    /**
     * The state after a successful sync: {@code source}'s values were mapped and {@code written} to the
     * other side. Both sides' bases take the values involved; versions, times and ETags move forward.
     *
     * @param source  the source side as the event (or read) gave it
     * @param written the target side as written: the payload's values (target paths), and the version,
     *                modified time and ETag the target answered with when known (Dataverse: the ETag
     *                {@code W/"123"} carries version 123)
     */
    public SyncState synced(MappedRecord source, MappedRecord written) {
        if (source.side() == written.side()) {
            throw new IllegalArgumentException("source and written are both " + source.side().word());
        }
        return with(source.side(), side(source.side()).seen(source.version(), source.modifiedAt(), source.etag())
                        .withBase(source.values()))
                .with(written.side(), side(written.side()).seen(written.version(), written.modifiedAt(), written.etag())
                        .withBase(written.values()));
    }

    /**
     * The state after an event of {@code seen.side()} was dealt with without writing (an echo of our own
     * write, a no-op): its version, time and ETag are recorded so older deliveries are stale.
     */
    public SyncState seen(MappedRecord seen) {
        return with(seen.side(), side(seen.side()).seen(seen.version(), seen.modifiedAt(), seen.etag()));
    }

    /**
     * The state after an event of {@code seen.side()} that needed no write because the other side already
     * holds its values (our own write coming back, a no-op): as {@link #seen}, and its mapped values
     * become that side's base, so fields the last write did not carry (a system's initial values) are
     * not later taken for changes.
     */
    public SyncState seenInSync(MappedRecord seen) {
        return with(seen.side(), side(seen.side()).seen(seen.version(), seen.modifiedAt(), seen.etag()).withBase(seen.values()));
    }

    /** The state with {@code side}'s ETag and version as a write or read answered them. */
    public SyncState withEtag(Side side, String etag, long version) {
        return with(side, side(side).seen(version, null, etag));
    }

    /**
     * The state with {@code side}'s record id (as that side's events name it) and key fields, so a
     * delete event naming the record by its id only finds the pair and the other side's key.
     * A null argument keeps what was known.
     */
    public SyncState identified(Side side, String recordId, Map<String, ?> key) {
        return with(side, side(side).identified(recordId, key));
    }

    SyncState with(Side side, SideState s) {
        return side == Side.FO ? new SyncState(map, key, s, dataverse) : new SyncState(map, key, fo, s);
    }
}
