package io.dualsync.conflict;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stable 64-bit hashes of mapped values, the same in every process and after a restart (never
 * {@code hashCode()}), so "what we last synced" can be kept as hashes instead of values.
 * Values are normalised first: numbers compare by value ({@code 5}, {@code 5L}, {@code 5.0} and
 * {@code 5.00} hash alike), strings exactly (case matters: a case change is a change to write),
 * maps by sorted key, anything else by its text. Pure and thread-safe.
 */
public final class Fingerprint {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Fingerprint() {
    }

    /** The hash of one value after normalisation. */
    public static long ofValue(Object value) {
        return new Hasher().value(value).hash;
    }

    /** The hash of a field-to-value map: independent of the map's iteration order. */
    public static long of(Map<String, ?> values) {
        return new Hasher().value(values).hash;
    }

    /** The hash of a field-to-hash map, as {@link #of} would give for the values those hashes came from. */
    public static long ofHashes(Map<String, Long> hashes) {
        TreeMap<String, Long> sorted = new TreeMap<>(hashes);
        String[] names = sorted.keySet().toArray(new String[0]);
        long[] h = new long[names.length];
        int i = 0;
        for (Long v : sorted.values()) {
            h[i++] = v;
        }
        return ofSorted(names, h);
    }

    /** {@link #ofHashes} of names already sorted, with their hashes. */
    static long ofSorted(String[] names, long[] hashes) {
        Hasher h = new Hasher().tag('m').length(names.length);
        for (int i = 0; i < names.length; i++) {
            h.text(names[i]).longValue(hashes[i]);
        }
        return h.hash;
    }

    /** FNV-1a over a self-delimiting encoding (type tag and length before each part). */
    private static final class Hasher {
        long hash = FNV_OFFSET;

        Hasher value(Object v) {
            if (v == null) {
                return tag('n');
            }
            if (v instanceof String s) {
                return tag('s').text(s);
            }
            if (v instanceof Boolean b) {
                return tag(b ? 't' : 'f');
            }
            if (v instanceof Number n) {
                return tag('d').text(number(n));
            }
            if (v instanceof Map<?, ?> m) {
                TreeMap<String, Object> sorted = new TreeMap<>();
                m.forEach((k, x) -> sorted.put(String.valueOf(k), x));
                tag('m').length(sorted.size());
                for (Map.Entry<String, Object> e : sorted.entrySet()) {
                    text(e.getKey()).longValue(ofValue(e.getValue()));
                }
                return this;
            }
            if (v instanceof List<?> l) {
                tag('l').length(l.size());
                for (Object x : l) {
                    value(x);
                }
                return this;
            }
            return tag('o').text(v.toString());
        }

        private static String number(Number n) {
            if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
                // The common case, without a BigDecimal: an integer's plain text is already canonical.
                return Long.toString(n.longValue());
            }
            if (n instanceof Double d && !d.isInfinite() && d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString(d.longValue());
            }
            if (n instanceof Double d && (d.isNaN() || d.isInfinite())) {
                return d.toString();
            }
            if (n instanceof Float f && (f.isNaN() || f.isInfinite())) {
                return f.toString();
            }
            BigDecimal d = n instanceof BigDecimal b ? b
                    : n instanceof Double || n instanceof Float ? new BigDecimal(n.toString())
                    : n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                    ? BigDecimal.valueOf(n.longValue()) : new BigDecimal(n.toString());
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }

        Hasher tag(char c) {
            return octet(c);
        }

        Hasher length(int n) {
            return longValue(n);
        }

        Hasher text(String s) {
            length(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                octet(c >>> 8);
                octet(c);
            }
            return this;
        }

        Hasher longValue(long v) {
            for (int i = 0; i < 8; i++) {
                octet((int) (v >>> (i * 8)));
            }
            return this;
        }

        private Hasher octet(int b) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
            return this;
        }
    }
}
