package io.dualsync.emulator.control;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses an OData key predicate as F&O URLs write it (without the parentheses):
 * {@code dataAreaId='usmf',CustomerAccount='US-001'}, or a bare {@code 'US-001'} for a single-field key.
 * Quoted values are text ({@code ''} is a quote); bare ones are numbers. Stateless.
 */
final class KeyPredicate {
    private KeyPredicate() {
    }

    static Map<String, Object> parse(String text, List<String> key) {
        Map<String, Object> out = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            int eq = -1;
            int j = i;
            // A name ends at '='; a bare value (single-field key) has none before its end.
            if (text.charAt(i) != '\'') {
                while (j < n && text.charAt(j) != '=' && text.charAt(j) != ',') {
                    j++;
                }
                if (j < n && text.charAt(j) == '=') {
                    eq = j;
                }
            }
            String name;
            int valueStart;
            if (eq >= 0) {
                name = text.substring(i, eq).trim();
                valueStart = eq + 1;
            } else {
                if (key.size() != 1 || !out.isEmpty()) {
                    throw new DirectRows.BadRowException("name each key field: " + String.join("='...',", key) + "='...'");
                }
                name = key.get(0);
                valueStart = i;
            }
            Object value;
            int end;
            if (valueStart < n && text.charAt(valueStart) == '\'') {
                StringBuilder b = new StringBuilder();
                int k = valueStart + 1;
                while (true) {
                    if (k >= n) {
                        throw new DirectRows.BadRowException("unterminated quote in key " + text);
                    }
                    char c = text.charAt(k);
                    if (c == '\'') {
                        if (k + 1 < n && text.charAt(k + 1) == '\'') {
                            b.append('\'');
                            k += 2;
                            continue;
                        }
                        break;
                    }
                    b.append(c);
                    k++;
                }
                value = b.toString();
                end = k + 1;
            } else {
                int k = valueStart;
                while (k < n && text.charAt(k) != ',') {
                    k++;
                }
                String bare = text.substring(valueStart, k).trim();
                try {
                    value = new BigDecimal(bare);
                } catch (NumberFormatException e) {
                    throw new DirectRows.BadRowException("key value " + bare + " must be quoted text or a number");
                }
                end = k;
            }
            String canonical = null;
            for (String k : key) {
                if (k.equalsIgnoreCase(name)) {
                    canonical = k;
                }
            }
            if (canonical == null) {
                throw new DirectRows.BadRowException(name + " is not part of the key " + key);
            }
            out.put(canonical, value);
            if (end < n && text.charAt(end) != ',') {
                throw new DirectRows.BadRowException("expected ',' after a key value in " + text);
            }
            i = end + 1;
        }
        return out;
    }
}
