package io.dualsync.config;

import java.util.Map;

/**
 * Which F&O entity a business event is about and how to find the record: a business event carries
 * identifiers, not the record, so ingest reads the record from F&O OData by the key built from the
 * event's contract fields.
 *
 * @param id        the business event id ({@code CustomerChangedBusinessEvent})
 * @param entitySet the F&O data entity to read ({@code CustomersV3})
 * @param fields    contract field (or envelope field such as {@code BusinessEventLegalEntity}) to entity
 *                  key field, in declaration order ({@code CustomerAccount: CustomerAccount})
 */
public record BusinessEventBinding(String id, String entitySet, Map<String, String> fields) {
    public BusinessEventBinding {
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }
}
