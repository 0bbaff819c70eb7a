package io.dualsync.conflict;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What dualsync last knew of one side of a record pair.
 *
 * @param version    the newest version of this side the engine has dealt with (applied from it,
 *                   written by us, or seen as an echo); 0 when unknown. Events at or below it are stale.
 * @param modifiedAt that version's modified time, or null
 * @param etag       that side's ETag after the last write or read, or null (sent as {@code If-Match})
 * @param fields     the base of the next three-way comparison: the hashes of the values last synced on
 *                   this side, by field path (in this side's vocabulary)
 * @param recordId   this side's record id as its events name it (Dataverse: the primary id; F&O: the
 *                   key predicate text), or null when not known yet
 * @param key        this side's key fields and values as last written or received, or null when not
 *                   known: a delete whose event names the record by its id only is sent with it
 */
public record SideState(long version, Instant modifiedAt, String etag, FieldHashes fields, String recordId,
                        Map<String, Object> key) {

    public static final SideState UNKNOWN = new SideState(0, null, null, FieldHashes.EMPTY, null, null);

    public SideState {
        fields = fields == null ? FieldHashes.EMPTY : fields;
        key = key == null || key.isEmpty() ? null : Collections.unmodifiableMap(new LinkedHashMap<>(key));
    }

    /** The fingerprint of the mapped values last synced on this side. */
    public long fingerprint() {
        return fields.fingerprint();
    }

    /** True when {@code value} differs from what was last synced for {@code path} (or nothing was). */
    public boolean changed(String path, Object value) {
        return fields.changed(path, value);
    }

    /** This state after seeing {@code version}: versions, times and ETags only move forward. */
    SideState seen(long newVersion, Instant newModifiedAt, String newEtag) {
        Instant time;
        if (newVersion > version) {
            time = newModifiedAt != null ? newModifiedAt : modifiedAt;
        } else if (newVersion == 0 && version == 0) {
            // No versions on this side (F&O): the modified time is the only order there is.
            time = later(modifiedAt, newModifiedAt);
        } else {
            time = modifiedAt != null ? modifiedAt : newModifiedAt;
        }
        return new SideState(Math.max(version, newVersion), time, newEtag != null ? newEtag : etag, fields, recordId, key);
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b != null && b.isAfter(a) ? b : a;
    }

    /** This state with {@code values} as the synced base of their fields (other fields keep theirs). */
    SideState withBase(Map<String, ?> values) {
        return new SideState(version, modifiedAt, etag, fields.with(values), recordId, key);
    }

    /** This state with the record's id and key as now known (a null argument keeps what was known). */
    SideState identified(String newRecordId, Map<String, ?> newKey) {
        return new SideState(version, modifiedAt, etag, fields, newRecordId != null ? newRecordId : recordId,
                newKey != null && !newKey.isEmpty() ? new LinkedHashMap<>(newKey) : key);
    }
}
