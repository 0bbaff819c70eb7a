package io.dualsync.emulator.fo;

import io.dualsync.emulator.Caller;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One OData request as the F&O service sees it, whether it came as its own HTTP request or as a
 * part of a {@code $batch}: method, the path below {@code /data/} (percent-decoded), the decoded
 * query options, headers (case-insensitive), body, and who sent it.
 */
record FoRequest(String method, String path, Map<String, List<String>> query, TreeMap<String, String> headers,
                 String body, Caller caller, String correlationId) {

    String header(String name) {
        return headers.get(name);
    }

    /** The first value of a query option, or null. */
    String option(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** {@code ?cross-company=true} (odata.md, "Cross-company behavior"). */
    boolean crossCompany() {
        return "true".equalsIgnoreCase(option("cross-company"));
    }

    static TreeMap<String, String> newHeaders() {
        return new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    }
}
