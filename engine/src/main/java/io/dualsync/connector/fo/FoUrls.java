package io.dualsync.connector.fo;

import io.dualsync.connector.http.ODataText;

import java.util.Map;

/**
 * How F&O records are named in OData URLs (data-entities/odata.md, "Addressing"): every field of the
 * entity key, the company ({@code dataAreaId}) included, {@code CustomersV3(dataAreaId='usmf',CustomerAccount='US-001')}.
 * Pure functions.
 */
final class FoUrls {
    static final String COMPANY = "dataAreaId";
    /** Without it F&O shows only the caller's default company (odata.md, "Cross-company behavior"). */
    static final String CROSS_COMPANY = "cross-company=true";

    private FoUrls() {
    }

    /**
     * The key predicate in the key's order; every part must have a value. The company is written in
     * lower case, as F&O shows it (it matches company ids ignoring case), so record ids compare equal
     * to the ones in F&O's own events.
     */
    static String predicate(String entitySet, Map<String, Object> key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("no key given for " + entitySet);
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Object> part : key.entrySet()) {
            if (part.getValue() == null) {
                throw new IllegalArgumentException("the key of " + entitySet + " has no value for " + part.getKey()
                        + " (F&O needs every key field, dataAreaId included)");
            }
            if (part.getKey().indexOf('.') >= 0) {
                throw new IllegalArgumentException(entitySet + " key field " + part.getKey() + " is a path; F&O keys are plain fields");
            }
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(part.getKey()).append('=').append(ODataText.literal(value(part.getKey(), part.getValue())));
        }
        return b.toString();
    }

    /** A key value as sent: the company in lower case. */
    static Object value(String field, Object value) {
        return COMPANY.equals(field) && value instanceof String s ? s.toLowerCase(java.util.Locale.ROOT) : value;
    }
}
