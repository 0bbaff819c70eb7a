package io.dualsync.mapping.expr;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;

/**
 * How record values compare, the same for both filter languages and for value maps. Records are
 * JSON-like: {@code String}, {@code Number}, {@code Boolean}, {@code null}, and nested maps for
 * expanded lookups. String comparison ignores case, as both services' default collation does.
 */
public final class Values {
    private Values() {
    }

    /** Reads a dotted path: a top-level field, or a lookup followed into its expanded row. */
    public static Object read(Map<String, ?> record, String[] path) {
        Object v = record.get(path[0]);
        for (int i = 1; i < path.length && v != null; i++) {
            if (!(v instanceof Map<?, ?> nested)) {
                return null;
            }
            v = nested.get(path[i]);
        }
        if (v == null && path.length > 1) {
            // Producers may also flatten an expanded lookup as "lookup.key".
            return record.get(String.join(".", path));
        }
        return v;
    }

    public static boolean equal(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof String sa && b instanceof String sb) {
            return sa.equalsIgnoreCase(sb);
        }
        Integer c = compareOrNull(a, b);
        return c != null && c == 0;
    }

    /** Ordering, or null when the two cannot be ordered (null, or incomparable kinds). */
    public static Integer compareOrNull(Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        if (a instanceof Number na && b instanceof Number nb) {
            return decimal(na).compareTo(decimal(nb));
        }
        if (a instanceof Boolean ba && b instanceof Boolean bb) {
            return Boolean.compare(ba, bb);
        }
        if (a instanceof Number na && b instanceof String sb) {
            BigDecimal d = parseDecimal(sb);
            return d == null ? null : decimal(na).compareTo(d);
        }
        if (a instanceof String sa && b instanceof Number nb) {
            BigDecimal d = parseDecimal(sa);
            return d == null ? null : d.compareTo(decimal(nb));
        }
        return a.toString().compareToIgnoreCase(b.toString());
    }

    public static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
            return BigDecimal.valueOf(n.longValue());
        }
        return new BigDecimal(n.toString());
    }

    public static BigDecimal parseDecimal(String s) {
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Truthiness of a filter result: only {@code Boolean.TRUE} passes. */
    public static boolean isTrue(Object v) {
        return Boolean.TRUE.equals(v);
    }

    /**
     * A key under which equal values (in the sense of {@link #equal}) meet in a hash map: numbers by
     * their numeric value, strings ignoring case.
     */
    public static Object key(Object v) {
        if (v == null) {
            return NullKey.INSTANCE;
        }
        if (v instanceof Number n) {
            BigDecimal d = decimal(n);
            return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        }
        if (v instanceof String s) {
            return s.toLowerCase(Locale.ROOT);
        }
        return v;
    }

    /** Shows a value as it is written in a map file. */
    public static String show(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return v.toString();
    }

    private enum NullKey { INSTANCE }
}
