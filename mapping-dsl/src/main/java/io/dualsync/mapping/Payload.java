package io.dualsync.mapping;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The result of applying a map to one source record in one direction: target field paths and
 * their values, in map order. Fields whose source was absent from the record are not set (a
 * partial change stays partial); fields present but null are set to null. A value whose
 * {@link #lookup(int)} is not null is the related row's key value, for the engine to resolve.
 * Not thread-safe; one per evaluation.
 */
public final class Payload {
    private final boolean accepted;
    private final String[] names;
    private final LookupRef[] lookups;
    private final Object[] values;
    private final boolean[] set;

    Payload(boolean accepted, String[] names, LookupRef[] lookups) {
        this.accepted = accepted;
        this.names = names;
        this.lookups = lookups;
        this.values = new Object[names.length];
        this.set = new boolean[names.length];
    }

    /** False when the map's source filter rejected the record; the payload is then empty. */
    public boolean accepted() {
        return accepted;
    }

    /** Number of slots (set or not). */
    public int slots() {
        return names.length;
    }

    public String name(int slot) {
        return names[slot];
    }

    public boolean isSet(int slot) {
        return set[slot];
    }

    public Object value(int slot) {
        return values[slot];
    }

    public LookupRef lookup(int slot) {
        return lookups[slot];
    }

    void put(int slot, Object value) {
        values[slot] = value;
        set[slot] = true;
    }

    /** The value of a target path, or null when not set. */
    public Object get(String path) {
        for (int i = 0; i < names.length; i++) {
            if (set[i] && names[i].equals(path)) {
                return values[i];
            }
        }
        return null;
    }

    public boolean has(String path) {
        for (int i = 0; i < names.length; i++) {
            if (set[i] && names[i].equals(path)) {
                return true;
            }
        }
        return false;
    }

    /** A copy with only the set values whose target path {@code keep} accepts (a partial write). */
    public Payload only(Predicate<String> keep) {
        Payload out = new Payload(accepted, names, lookups);
        for (int i = 0; i < names.length; i++) {
            if (set[i] && keep.test(names[i])) {
                out.put(i, values[i]);
            }
        }
        return out;
    }

    /** The set values by target path, in map order. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            if (set[i]) {
                m.put(names[i], values[i]);
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return accepted ? toMap().toString() : "(filtered out)";
    }
}
