package io.dualsync.ingest;

import io.vertx.core.MultiMap;

import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a sender proves it may post to an ingest route, checked on the request's headers and query
 * parameters before the body is read. The forms are those Dataverse webhook registrations offer
 * (register-web-hook.md): {@link #httpHeader HttpHeader} (header name/value pairs),
 * {@link #webhookKey WebhookKey} (sent as {@code ?code=}), {@link #httpQueryString HttpQueryString}
 * (query name/value pairs); plus {@link #bearer} for other producers. Secrets are compared in
 * constant time (SHA-256 of both sides, then {@link MessageDigest#isEqual}), so neither the value nor
 * its length leaks through timing. Immutable; any thread. {@link #toString()} never shows a secret.
 */
public interface IngestAuth {

    /** True when the request carries the expected credentials. */
    boolean accepts(MultiMap headers, MultiMap queryParams);

    /** Accepts every request. For local development and tests only. */
    static IngestAuth none() {
        return new IngestAuth() {
            @Override
            public boolean accepts(MultiMap headers, MultiMap queryParams) {
                return true;
            }

            @Override
            public String toString() {
                return "none";
            }
        };
    }

    /** Dataverse HttpHeader: every header must be present with its value (names ignore case). */
    static IngestAuth httpHeader(Map<String, String> headers) {
        Map<String, String> expected = Map.copyOf(requireEntries(headers, "httpHeader"));
        return new IngestAuth() {
            @Override
            public boolean accepts(MultiMap h, MultiMap q) {
                return allMatch(expected, h);
            }

            @Override
            public String toString() {
                return "HttpHeader" + expected.keySet();
            }
        };
    }

    /** One header with its value. */
    static IngestAuth httpHeader(String name, String value) {
        return httpHeader(Map.of(name, value));
    }

    /** Dataverse WebhookKey: the key arrives as the query parameter {@code code}. */
    static IngestAuth webhookKey(String key) {
        Map<String, String> expected = Map.of("code", Objects.requireNonNull(key, "key"));
        return new IngestAuth() {
            @Override
            public boolean accepts(MultiMap h, MultiMap q) {
                return allMatch(expected, q);
            }

            @Override
            public String toString() {
                return "WebhookKey";
            }
        };
    }

    /** Dataverse HttpQueryString: every query parameter must be present with its value. */
    static IngestAuth httpQueryString(Map<String, String> params) {
        Map<String, String> expected = Map.copyOf(requireEntries(params, "httpQueryString"));
        return new IngestAuth() {
            @Override
            public boolean accepts(MultiMap h, MultiMap q) {
                return allMatch(expected, q);
            }

            @Override
            public String toString() {
                return "HttpQueryString" + expected.keySet();
            }
        };
    }

    /** {@code Authorization: Bearer <token>} (scheme name ignoring case). */
    static IngestAuth bearer(String token) {
        byte[] expected = Secrets.digest(Objects.requireNonNull(token, "token"));
        return new IngestAuth() {
            @Override
            public boolean accepts(MultiMap h, MultiMap q) {
                String a = h.get("Authorization");
                if (a == null || a.length() < 7 || !a.regionMatches(true, 0, "Bearer ", 0, 7)) {
                    return false;
                }
                return MessageDigest.isEqual(expected, Secrets.digest(a.substring(7).trim()));
            }

            @Override
            public String toString() {
                return "Bearer";
            }
        };
    }

    /** Accepts a request any of these accept (e.g. a bearer token or a header secret). */
    static IngestAuth anyOf(IngestAuth... options) {
        List<IngestAuth> list = List.of(options);
        return new IngestAuth() {
            @Override
            public boolean accepts(MultiMap h, MultiMap q) {
                boolean ok = false;
                for (IngestAuth a : list) {
                    ok |= a.accepts(h, q); // no short cut: the time does not say which one matched
                }
                return ok;
            }

            @Override
            public String toString() {
                return "anyOf" + list;
            }
        };
    }

    private static Map<String, String> requireEntries(Map<String, String> m, String what) {
        if (m == null || m.isEmpty()) {
            throw new IllegalArgumentException(what + " needs at least one name/value pair");
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(Objects.requireNonNull(k, "name"), Objects.requireNonNull(v, "value of " + k)));
        return out;
    }

    private static boolean allMatch(Map<String, String> expected, MultiMap actual) {
        boolean ok = true;
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String given = actual.get(e.getKey());
            ok &= given != null && Secrets.equal(e.getValue(), given);
        }
        return ok;
    }
}
