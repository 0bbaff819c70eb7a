package io.dualsync.emulator.dataverse;

import io.dualsync.emulator.Caller;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One Web API request as the operation code sees it, whether it came over HTTP or as a part of a
 * {@code $batch}: method, the path below {@code /api/data/v9.2/} (still percent-encoded), the raw
 * query string, headers (names case-insensitive; repeated headers joined with ", "), the body text,
 * who sent it, its correlation id, and the Content-ID references of the batch it belongs to.
 */
final class ApiRequest {
    final String method;
    final String path;
    final String rawQuery;
    final Map<String, String> headers;
    final String body;
    final Caller caller;
    final String correlationId;
    /** {@code ?tag=} of the request (or of its batch), passed on as the shared variable "tag". */
    final String tag;
    /** Content-ID to entity URL, shared by the requests of one batch; empty outside batches. */
    final Map<String, String> contentIds;
    final Map<String, String> query;

    ApiRequest(String method, String path, String rawQuery, Map<String, String> headers, String body, Caller caller,
               String correlationId, String tag, Map<String, String> contentIds) {
        this.method = method;
        this.path = path;
        this.rawQuery = rawQuery == null ? "" : rawQuery;
        this.headers = Collections.unmodifiableMap(caseInsensitive(headers));
        this.body = body;
        this.caller = caller;
        this.correlationId = correlationId;
        this.query = parseQuery(this.rawQuery);
        this.tag = query.containsKey("tag") ? query.get("tag") : tag;
        this.contentIds = contentIds;
    }

    /** The headers keyed ignoring case: a map that already is one is taken over as it is (its maker keeps no reference). */
    private static Map<String, String> caseInsensitive(Map<String, String> headers) {
        if (headers instanceof TreeMap<String, String> t && t.comparator() == String.CASE_INSENSITIVE_ORDER) {
            return t;
        }
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        return h;
    }

    String header(String name) {
        return headers.get(name);
    }

    String queryOption(String name) {
        return query.get(name);
    }

    /** The {@code Prefer} preferences, name to value (value "" when the preference has none). */
    Map<String, String> prefer() {
        Map<String, String> out = new LinkedHashMap<>();
        String h = header("Prefer");
        if (h == null) {
            return out;
        }
        for (String item : splitOutsideQuotes(h, ',')) {
            String t = item.trim();
            if (t.isEmpty()) {
                continue;
            }
            int eq = t.indexOf('=');
            if (eq < 0) {
                out.put(t.toLowerCase(java.util.Locale.ROOT), "");
            } else {
                String v = t.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                out.put(t.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT), v);
            }
        }
        return out;
    }

    /** Query options name to decoded value ('+' is a space, as form encoding has it). */
    static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
            out.put(name, value);
        }
        return out;
    }

    /** Percent-decoding as UTF-8; {@code plusIsSpace} for query strings only (a path keeps '+'). */
    static String decode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    /** Splits on {@code sep} where it is not inside double or single quotes. */
    static List<String> splitOutsideQuotes(String s, char sep) {
        List<String> out = new ArrayList<>();
        int start = 0;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == sep) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }
}
