package io.dualsync.conflict;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Field path to {@link Fingerprint#ofValue} hash, for one side of a record pair: the base that
 * "changed since the last sync" is judged against. Kept as two sorted arrays (about 16 bytes per
 * field, names shared), and stored as one compact text {@code name:hex,name:hex} so a sync state
 * is cheap to write on every event. Immutable and thread-safe.
 */
public final class FieldHashes {
    public static final FieldHashes EMPTY = new FieldHashes(new String[0], new long[0]);

    private final String[] names;
    private final long[] hashes;

    private FieldHashes(String[] names, long[] hashes) {
        this.names = names;
        this.hashes = hashes;
    }

    /** The hashes of {@code values} (field path to value). */
    public static FieldHashes of(Map<String, ?> values) {
        return EMPTY.with(values);
    }

    /** These hashes with {@code values}' fields replaced or added. */
    public FieldHashes with(Map<String, ?> values) {
        if (values.isEmpty()) {
            return this;
        }
        // Usual case: every field is already known (the same map, full or partial record): the
        // names array is shared and only the hashes are copied.
        long[] h = hashes.clone();
        boolean allKnown = true;
        for (Map.Entry<String, ?> e : values.entrySet()) {
            int i = Arrays.binarySearch(names, e.getKey());
            if (i < 0) {
                allKnown = false;
                break;
            }
            h[i] = Fingerprint.ofValue(e.getValue());
        }
        if (allKnown) {
            return new FieldHashes(names, h);
        }
        TreeMap<String, Long> merged = new TreeMap<>();
        for (int i = 0; i < names.length; i++) {
            merged.put(names[i], hashes[i]);
        }
        values.forEach((k, v) -> merged.put(k, Fingerprint.ofValue(v)));
        return fromSorted(merged);
    }

    private static FieldHashes fromSorted(TreeMap<String, Long> sorted) {
        String[] n = new String[sorted.size()];
        long[] h = new long[sorted.size()];
        int i = 0;
        for (Map.Entry<String, Long> e : sorted.entrySet()) {
            // Shared with every other state of the same map: a field name is stored once.
            n[i] = e.getKey().intern();
            h[i++] = e.getValue();
        }
        return new FieldHashes(n, h);
    }

    /** True when {@code value} differs from the hash kept for {@code path}, or none is kept. */
    public boolean changed(String path, Object value) {
        int i = Arrays.binarySearch(names, path);
        return i < 0 || hashes[i] != Fingerprint.ofValue(value);
    }

    public boolean contains(String path) {
        return Arrays.binarySearch(names, path) >= 0;
    }

    public int size() {
        return names.length;
    }

    /** {@link Fingerprint#of} of the values these hashes came from. */
    public long fingerprint() {
        return Fingerprint.ofSorted(names, hashes);
    }

    /** As a map, sorted by path. */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], hashes[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** The stored form: {@code name:hex,name:hex}, sorted by name (paths hold neither ':' nor ','). */
    @JsonValue
    public String encode() {
        StringBuilder b = new StringBuilder(names.length * 28);
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(names[i]).append(':').append(Long.toHexString(hashes[i]));
        }
        return b.toString();
    }

    /** Reads {@link #encode()}'s form. */
    @JsonCreator
    public static FieldHashes decode(String text) {
        if (text == null || text.isEmpty()) {
            return EMPTY;
        }
        String[] parts = text.split(",");
        TreeMap<String, Long> sorted = new TreeMap<>();
        for (String p : parts) {
            int colon = p.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("not a field hash: `" + p + "`");
            }
            sorted.put(p.substring(0, colon), Long.parseUnsignedLong(p.substring(colon + 1), 16));
        }
        return fromSorted(sorted);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldHashes f && Arrays.equals(names, f.names) && Arrays.equals(hashes, f.hashes);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(names) + Arrays.hashCode(hashes);
    }

    @Override
    public String toString() {
        return encode();
    }
}
