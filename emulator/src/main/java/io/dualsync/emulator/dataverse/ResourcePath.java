package io.dualsync.emulator.dataverse;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A resource path below {@code /api/data/v9.2/}, already percent-decoded: an entity set, an optional
 * key in parentheses and the segments after it ({@code accounts(accountnumber='A1')/name},
 * {@code accounts(…)/primarycontactid/$ref}, {@code accounts/$count}). Key values are OData literals:
 * strings in single quotes with a quote doubled, guids, numbers, true/false/null
 * (use-alternate-key-reference-record.md).
 */
record ResourcePath(String entitySet, String keyText, List<String> segments) {
    /**
     * Whether {@code s} is a guid in its 8-4-4-4-12 hex form, either case (the regular expression
     * {@code [0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}), checked without a
     * Matcher on every key and id of every request.
     */
    static boolean isGuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    static ResourcePath parse(String decoded) {
        int i = 0;
        while (i < decoded.length() && decoded.charAt(i) != '(' && decoded.charAt(i) != '/') {
            i++;
        }
        String set = decoded.substring(0, i);
        String key = null;
        if (i < decoded.length() && decoded.charAt(i) == '(') {
            int start = i + 1;
            boolean quoted = false;
            int j = start;
            for (; j < decoded.length(); j++) {
                char c = decoded.charAt(j);
                if (c == '\'') {
                    quoted = !quoted; // a doubled quote toggles twice and stays inside the literal
                } else if (c == ')' && !quoted) {
                    break;
                }
            }
            if (j >= decoded.length()) {
                throw DataverseError.badRequest("Bad Request - Error in query syntax: unbalanced parentheses in '" + decoded + "'.");
            }
            key = decoded.substring(start, j);
            i = j + 1;
        }
        List<String> segments = new ArrayList<>();
        for (String s : decoded.substring(i).split("/")) {
            if (!s.isEmpty()) {
                segments.add(s);
            }
        }
        return new ResourcePath(set, key, List.copyOf(segments));
    }

    /** Name (null for a lone unnamed value) to literal text of the key; names keep their spelling. */
    Map<String, String> keyParts() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : ApiRequest.splitOutsideQuotes(keyText, ',')) {
            int eq = indexOutsideQuotes(part, '=');
            if (eq < 0) {
                out.put(null, part.trim());
            } else {
                out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        return out;
    }

    private static int indexOutsideQuotes(String s, char c) {
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\'') {
                quoted = !quoted;
            } else if (s.charAt(i) == c && !quoted) {
                return i;
            }
        }
        return -1;
    }

    /** An OData literal as a stored value: String (quotes undoubled), lower-case guid text, number, Boolean or null. */
    static Object literal(String text) {
        String t = text.trim();
        if (t.length() >= 2 && t.startsWith("'") && t.endsWith("'")) {
            return t.substring(1, t.length() - 1).replace("''", "'");
        }
        if (isGuid(t)) {
            return t.toLowerCase(Locale.ROOT);
        }
        if (t.equals("true") || t.equals("false")) {
            return Boolean.valueOf(t);
        }
        if (t.equals("null")) {
            return null;
        }
        try {
            BigDecimal d = new BigDecimal(t);
            return d.scale() <= 0 ? (Object) d.longValueExact() : d;
        } catch (NumberFormatException | ArithmeticException e) {
            throw DataverseError.badRequest("Bad Request - Error in query syntax: unrecognized literal " + t + ".");
        }
    }
}
