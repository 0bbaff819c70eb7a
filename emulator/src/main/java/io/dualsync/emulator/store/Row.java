package io.dualsync.emulator.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One stored record: its id, its column values (JSON-like: String, Number, Boolean, null) and the
 * row version of its last write, which is what ETags are made of. Replaced, never mutated, on write,
 * so a reader holding a Row sees one consistent version.
 */
public final class Row {
    private final String id;
    private final Map<String, Object> values;
    private final long version;

    Row(String id, Map<String, Object> values, long version) {
        this.id = id;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.version = version;
    }

    public String id() {
        return id;
    }

    public Map<String, Object> values() {
        return values;
    }

    public Object get(String column) {
        return values.get(column);
    }

    public long version() {
        return version;
    }

    /** The weak ETag both services use: {@code W/"<rowversion>"}. */
    public String etag() {
        return "W/\"" + version + "\"";
    }
}
