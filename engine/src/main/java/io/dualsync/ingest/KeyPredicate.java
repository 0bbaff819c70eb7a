package io.dualsync.ingest;

import java.math.BigDecimal;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The OData key predicate text of a record ({@code dataAreaId='usmf',CustomerAccount='US-001'}):
 * an F&O record's {@code recordId}. Text in single quotes with quotes doubled; numbers and
 * booleans bare; fields in the order of the map given. Stateless.
 */
final class KeyPredicate {
    private KeyPredicate() {
    }

    static String of(Map<String, Object> key) {
        StringJoiner j = new StringJoiner(",");
        for (Map.Entry<String, Object> e : key.entrySet()) {
            j.add(e.getKey() + "=" + literal(e.getValue()));
        }
        return j.toString();
    }

    private static String literal(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return "'" + v.toString().replace("'", "''") + "'";
    }
}
