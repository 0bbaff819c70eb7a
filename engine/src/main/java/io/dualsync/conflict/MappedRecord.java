package io.dualsync.conflict;

import io.dualsync.mapping.CompiledMap;
import io.dualsync.mapping.FieldMapping;
import io.dualsync.mapping.Side;
import io.dualsync.mapping.expr.Values;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One side of a record pair as the conflict rules see it: the values of the map's fields on that
 * side, keyed by the field paths the map writes for that side ({@code CreditLimit},
 * {@code msdyn_customergroupid.msdyn_groupid}), plus the side's version, modified time and ETag.
 * A field absent from {@code values} is unknown (a partial change), not null.
 *
 * @param side       which system
 * @param version    the system's row version (Dataverse {@code versionnumber}); 0 when unknown
 * @param modifiedAt the system's modified time; null when unknown
 * @param values     field path to value (never null; may be partial)
 * @param etag       the record's ETag when known, else null
 */
public record MappedRecord(Side side, long version, Instant modifiedAt, Map<String, Object> values, String etag) {

    public MappedRecord {
        values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * The map's fields read from a record of {@code side} as the source API or an event gives it: for
     * each field line with a path on that side, the value at that path when the record has it (a
     * dotted path follows an expanded lookup, or a flattened {@code "lookup.key"} column). The company
     * line is included.
     */
    public static MappedRecord of(CompiledMap map, Side side, Map<String, ?> record, long version, Instant modifiedAt,
                                  String etag) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (record != null) {
            if (map.company() != null) {
                read(record, path(map.company(), side), out);
            }
            for (FieldMapping f : map.fields()) {
                read(record, path(f, side), out);
            }
        }
        return new MappedRecord(side, version, modifiedAt, out, etag);
    }

    static String path(FieldMapping f, Side side) {
        return side == Side.FO ? f.foField() : f.dataverseField();
    }

    private static void read(Map<String, ?> record, String path, Map<String, Object> out) {
        if (path == null) {
            return;
        }
        int dot = path.indexOf('.');
        String head = dot < 0 ? path : path.substring(0, dot);
        if (!record.containsKey(head) && !record.containsKey(path)) {
            return;
        }
        out.put(path, dot < 0 ? record.get(path) : Values.read(record, path.split("\\.")));
    }
}
