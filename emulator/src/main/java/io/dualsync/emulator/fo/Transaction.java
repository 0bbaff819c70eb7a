package io.dualsync.emulator.fo;

import io.dualsync.emulator.Caller;
import io.dualsync.emulator.ChangeEvent;
import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.store.Row;
import io.dualsync.emulator.store.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes of one request or one {@code $batch} change set, held back until {@link #commit()} so
 * a change set is all or nothing (odata.md, "Run multiple requests in a single transaction"):
 * requests validate against the store as the earlier writes of the same transaction left it, and
 * nothing reaches the store, nor is any event published, unless every request succeeded.
 * Event loop only.
 */
final class Transaction {
    /** One write, in request order. */
    private record Op(ChangeEvent.Message message, FoEntity entity, String id, Map<String, Object> values,
                      Map<String, Object> target) {
    }

    /** What a committed write left in the store: the row (null after a delete) and its version. */
    record Result(Row row, long version) {
    }

    private final EmulatorContext ctx;
    private final Caller caller;
    private final String correlationId;
    private final List<Op> ops = new ArrayList<>();
    /** Pending state per table and row id: the values, or null for a pending delete. */
    private final Map<Table, Map<String, Map<String, Object>>> pending = new HashMap<>();
    private final List<Result> results = new ArrayList<>();

    Transaction(EmulatorContext ctx, Caller caller, String correlationId) {
        this.ctx = ctx;
        this.caller = caller;
        this.correlationId = correlationId;
    }

    /** The record's values as this transaction sees them, or null when it does not exist (any more). */
    Map<String, Object> current(FoEntity e, String id) {
        Map<String, Map<String, Object>> p = pending.get(e.table());
        if (p != null && p.containsKey(id)) {
            return p.get(id);
        }
        Row r = e.table().get(id);
        return r == null ? null : r.values();
    }

    /** The stored row behind an id (its etag), ignoring this transaction's pending writes. */
    Row stored(FoEntity e, String id) {
        return e.table().get(id);
    }

    /** True when the record has a write pending in this transaction (its etag is not known yet). */
    boolean touched(FoEntity e, String id) {
        Map<String, Map<String, Object>> p = pending.get(e.table());
        return p != null && p.containsKey(id);
    }

    /** The id of the record whose {@code columns} hold {@code values}, as this transaction sees the table. */
    String find(FoEntity e, List<String> columns, Map<String, Object> values) {
        String wanted = Table.keyOf(columns, values);
        Map<String, Map<String, Object>> p = pending.getOrDefault(e.table(), Map.of());
        for (Map.Entry<String, Map<String, Object>> en : p.entrySet()) {
            if (en.getValue() != null && Table.keyOf(columns, en.getValue()).equals(wanted)) {
                return en.getKey();
            }
        }
        Row r = e.table().findByKey(columns, values);
        if (r == null || p.containsKey(r.id())) {
            return null; // a pending write changed or removed it; checked above
        }
        return r.id();
    }

    /** Queues a write; returns its index, which {@link #result(int)} answers after the commit. */
    int write(ChangeEvent.Message message, FoEntity e, String id, Map<String, Object> values, Map<String, Object> target) {
        pending.computeIfAbsent(e.table(), t -> new LinkedHashMap<>()).put(id, values);
        ops.add(new Op(message, e, id, values, target));
        return ops.size() - 1;
    }

    Result result(int index) {
        return results.get(index);
    }

    /** Applies every queued write to the store in order, then tells the listeners, one event per write. */
    void commit() {
        List<ChangeEvent> events = new ArrayList<>();
        for (Op op : ops) {
            Table t = op.entity().table();
            Row before = t.get(op.id());
            Row after;
            long version;
            switch (op.message()) {
                case Create:
                    after = t.insert(op.id(), op.values());
                    version = after.version();
                    break;
                case Update:
                    after = t.replace(before, op.values());
                    version = after.version();
                    break;
                default:
                    t.delete(before);
                    after = null;
                    version = ctx.store().currentVersion();
                    break;
            }
            results.add(new Result(after, version));
            events.add(new ChangeEvent(t.entitySet(), op.message(), op.entity().keyPredicate(before != null ? before.values() : op.values()),
                    op.target(), before == null ? null : before.values(), after == null ? null : after.values(),
                    caller, correlationId, Map.of(), version, Instant.now()));
        }
        ops.clear();
        pending.clear();
        for (ChangeEvent ev : events) {
            ctx.publish(ev);
        }
    }
}
