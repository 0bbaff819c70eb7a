package io.dualsync.ingest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which F&O entity a business event is about and how its contract identifies the record. A business
 * event carries identifiers, not the record: ingest journals an event with null values and the key
 * taken from the contract, and the pipeline reads the record from F&O OData before mapping it.
 *
 * <p>Example: {@code new BusinessEventBinding("CustomersV3", Map.of("dataAreaId", "dataAreaId",
 * "CustomerAccount", "CustomerAccount"))}. When the entity has a company column ({@code dataAreaId})
 * that no contract field binds, the envelope's {@code BusinessEventLegalEntity} fills it.
 *
 * @param entitySet the F&O entity set ({@code CustomersV3})
 * @param keyFields contract field name to the entity's key field name
 */
public record BusinessEventBinding(String entitySet, Map<String, String> keyFields) {
    public BusinessEventBinding {
        Objects.requireNonNull(entitySet, "entitySet");
        if (keyFields == null || keyFields.isEmpty()) {
            throw new IllegalArgumentException("a business event binding for " + entitySet + " needs key fields (contract field -> key field)");
        }
        keyFields = Collections.unmodifiableMap(new LinkedHashMap<>(keyFields));
    }
}
