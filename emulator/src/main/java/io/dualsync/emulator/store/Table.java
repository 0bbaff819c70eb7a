package io.dualsync.emulator.store;

import io.dualsync.mapping.schema.EntitySchema;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rows of one entity set, in insertion order, with hash indexes on its keys and a change log
 * for change tracking. Owned by the emulator's event loop: not thread-safe.
 */
public final class Table {
    private final EntitySchema schema;
    private final Store store;
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final Map<List<String>, Map<String, String>> indexes = new HashMap<>();
    private final List<Change> log = new ArrayList<>();

    Table(EntitySchema schema, Store store) {
        this.schema = schema;
        this.store = store;
        for (List<String> key : schema.keys()) {
            indexes.put(key, new HashMap<>());
        }
    }

    public EntitySchema schema() {
        return schema;
    }

    public String entitySet() {
        return schema.entitySet();
    }

    public Row get(String id) {
        return rows.get(normalizeId(id));
    }

    public Collection<Row> rows() {
        return Collections.unmodifiableCollection(rows.values());
    }

    public int size() {
        return rows.size();
    }

    /**
     * The row whose key columns hold these values (compared as the services do: text ignoring case,
     * numbers by value), or null. {@code columns} must be one of the schema's keys.
     */
    public Row findByKey(List<String> columns, Map<String, Object> values) {
        Map<String, String> index = indexes.get(columns);
        if (index == null) {
            // Not a declared key: scan (callers validate keys; this keeps direct access working).
            for (Row r : rows.values()) {
                if (keyOf(columns, r.values()).equals(keyOf(columns, values))) {
                    return r;
                }
            }
            return null;
        }
        String id = index.get(keyOf(columns, values));
        return id == null ? null : rows.get(id);
    }

    /** Inserts a new row under {@code id} (normalized); the caller checked that it is new. */
    public Row insert(String id, Map<String, Object> values) {
        String key = normalizeId(id);
        Row row = new Row(key, values, store.nextVersion());
        rows.put(key, row);
        index(null, row);
        log.add(new Change(row.version(), key, false));
        return row;
    }

    /** Replaces a row's values (the whole map: merge before calling) and bumps its version. */
    public Row replace(Row old, Map<String, Object> values) {
        Row row = new Row(old.id(), values, store.nextVersion());
        rows.put(old.id(), row);
        index(old, row);
        log.add(new Change(row.version(), old.id(), false));
        return row;
    }

    public Row delete(Row old) {
        rows.remove(old.id());
        index(old, null);
        log.add(new Change(store.nextVersion(), old.id(), true));
        return old;
    }

    /** Changes with a version above {@code since}, oldest first. */
    public List<Change> changesSince(long since) {
        List<Change> out = new ArrayList<>();
        for (int i = log.size() - 1; i >= 0 && log.get(i).version() > since; i--) {
            out.add(log.get(i));
        }
        Collections.reverse(out);
        return out;
    }

    /** The key of {@code values} on {@code columns}, normalized for comparison. */
    public static String keyOf(List<String> columns, Map<String, ?> values) {
        StringBuilder b = new StringBuilder();
        for (String c : columns) {
            b.append(normalizeValue(values.get(c))).append('\u0001');
        }
        return b.toString();
    }

    private void index(Row old, Row now) {
        for (Map.Entry<List<String>, Map<String, String>> e : indexes.entrySet()) {
            if (old != null) {
                e.getValue().remove(keyOf(e.getKey(), old.values()), old.id());
            }
            if (now != null && hasAll(e.getKey(), now.values())) {
                e.getValue().put(keyOf(e.getKey(), now.values()), now.id());
            }
        }
    }

    private static boolean hasAll(List<String> columns, Map<String, Object> values) {
        for (String c : columns) {
            if (values.get(c) == null) {
                return false;
            }
        }
        return true;
    }

    static String normalizeId(String id) {
        return id.toLowerCase(Locale.ROOT);
    }

    static String normalizeValue(Object v) {
        if (v == null) {
            return "\u0000";
        }
        if (v instanceof Number n) {
            BigDecimal d = new BigDecimal(n.toString());
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
        return v.toString().toLowerCase(Locale.ROOT);
    }
}
