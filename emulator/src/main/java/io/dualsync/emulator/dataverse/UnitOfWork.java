package io.dualsync.emulator.dataverse;

import io.dualsync.emulator.ChangeEvent;
import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.store.Row;
import io.dualsync.emulator.store.Store;
import io.dualsync.emulator.store.Table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes of one request, or of one {@code $batch} change set, kept aside until {@link #commit}:
 * reads see the store with these writes applied, and nothing reaches the store (or the change
 * listeners) unless the whole unit succeeds. That is what makes a change set atomic
 * (execute-batch-operations-using-web-api.md, "Change sets": "if any one of the operations fails,
 * any completed operations will be rolled back") without a store rollback that would bump row
 * versions. Row versions are predicted: the store hands out one version per write in order, and
 * nothing else writes between the start and the commit of a unit because everything runs on the
 * emulator's event loop without yielding.
 */
final class UnitOfWork {
    /** A row as the unit sees it. */
    record Rec(String id, Map<String, Object> values, long version) {
        String etag() {
            return "W/\"" + version + "\"";
        }

        static Rec of(Row r) {
            return new Rec(r.id(), r.values(), r.version());
        }
    }

    private enum Kind { INSERT, REPLACE, DELETE }

    private record Op(Table table, Kind kind, String id, Map<String, Object> values, long version) {
    }

    private final Store store;
    /** Per table: id to the row as written here, or null when deleted here. Insertion ordered. */
    private final Map<Table, LinkedHashMap<String, Rec>> overlay = new HashMap<>();
    private final List<Op> ops = new ArrayList<>();
    private final List<ChangeEvent> events = new ArrayList<>();
    private long version;

    UnitOfWork(Store store) {
        this.store = store;
        this.version = store.currentVersion();
    }

    Store store() {
        return store;
    }

    Rec get(Table t, String id) {
        String key = id.toLowerCase(java.util.Locale.ROOT);
        Map<String, Rec> o = overlay.get(t);
        if (o != null && o.containsKey(key)) {
            return o.get(key);
        }
        Row r = t.get(key);
        return r == null ? null : Rec.of(r);
    }

    /** All rows of a table in store order, then the ones inserted by this unit. */
    List<Rec> rows(Table t) {
        Map<String, Rec> o = overlay.getOrDefault(t, new LinkedHashMap<>());
        List<Rec> out = new ArrayList<>(t.size() + o.size());
        for (Row r : t.rows()) {
            if (o.containsKey(r.id())) {
                Rec mine = o.get(r.id());
                if (mine != null) {
                    out.add(mine);
                }
            } else {
                out.add(Rec.of(r));
            }
        }
        for (Map.Entry<String, Rec> e : o.entrySet()) {
            if (e.getValue() != null && t.get(e.getKey()) == null) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    /** The row whose {@code columns} hold {@code values}, or null (see {@link Table#findByKey}). */
    Rec findByKey(Table t, List<String> columns, Map<String, Object> values) {
        Map<String, Rec> o = overlay.get(t);
        if (o != null) {
            String wanted = Table.keyOf(columns, values);
            for (Rec r : o.values()) {
                if (r != null && Table.keyOf(columns, r.values()).equals(wanted)) {
                    return r;
                }
            }
        }
        Row r = t.findByKey(columns, values);
        if (r == null || (o != null && o.containsKey(r.id()))) {
            return null;
        }
        return Rec.of(r);
    }

    /** The version the next write of this unit will get. */
    long nextVersion() {
        return version + 1;
    }

    Rec insert(Table t, String id, Map<String, Object> values) {
        return insertOwned(t, id, new LinkedHashMap<>(values));
    }

    Rec replace(Table t, Rec old, Map<String, Object> values) {
        return replaceOwned(t, old, new LinkedHashMap<>(values));
    }

    /** {@link #insert} of a map made for this write and handed over: the unit keeps it (and adds versionnumber). */
    Rec insertOwned(Table t, String id, LinkedHashMap<String, Object> values) {
        return write(t, Kind.INSERT, id.toLowerCase(java.util.Locale.ROOT), values);
    }

    /** {@link #replace} with a map handed over, as for {@link #insertOwned}. */
    Rec replaceOwned(Table t, Rec old, LinkedHashMap<String, Object> values) {
        return write(t, Kind.REPLACE, old.id(), values);
    }

    long delete(Table t, Rec old) {
        long v = ++version;
        ops.add(new Op(t, Kind.DELETE, old.id(), null, v));
        overlay.computeIfAbsent(t, k -> new LinkedHashMap<>()).put(old.id(), null);
        return v;
    }

    private Rec write(Table t, Kind kind, String id, LinkedHashMap<String, Object> values) {
        long v = ++version;
        if (t.schema().field("versionnumber") != null) {
            values.put("versionnumber", v);
        }
        Rec rec = new Rec(id, Collections.unmodifiableMap(values), v);
        // The store copies the map it is given; handing it the plain map (never changed after this) copies faster.
        ops.add(new Op(t, kind, id, values, v));
        overlay.computeIfAbsent(t, k -> new LinkedHashMap<>()).put(id, rec);
        return rec;
    }

    /** Queues an event, published only if the unit commits. */
    void event(ChangeEvent e) {
        events.add(e);
    }

    boolean isEmpty() {
        return ops.isEmpty();
    }

    /** Applies the writes to the store in order, then tells the listeners. */
    void commit(EmulatorContext ctx) {
        for (Op op : ops) {
            switch (op.kind()) {
                case INSERT -> op.table().insert(op.id(), op.values());
                case REPLACE -> op.table().replace(op.table().get(op.id()), op.values());
                default -> op.table().delete(op.table().get(op.id()));
            }
        }
        ops.clear();
        overlay.clear();
        for (ChangeEvent e : events) {
            ctx.publish(e);
        }
        events.clear();
    }
}
