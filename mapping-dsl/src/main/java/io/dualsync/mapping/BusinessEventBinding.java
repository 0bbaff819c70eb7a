package io.dualsync.mapping;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map's {@code event} line, checked: an F&O business event that announces changes to the map's
 * F&O entity, and which field of the event fills each key field of that entity. A business event
 * carries identifiers, not the record, so the engine builds the key from these fields and reads the
 * record from F&O OData before mapping it. Immutable.
 *
 * @param id        the business event id, as F&O sends it in {@code BusinessEventId}
 *                  ({@code CustomerChangedBusinessEvent})
 * @param keyFields every F&O key field of the map, in the order the line names them, to the event
 *                  field that fills it: a contract field ({@code CustomerAccount}) or an envelope
 *                  field ({@code BusinessEventLegalEntity}); never empty
 * @param span      where the line is, for messages that point at it
 */
public record BusinessEventBinding(String id, Map<String, String> keyFields, Span span) {
    public BusinessEventBinding {
        keyFields = Collections.unmodifiableMap(new LinkedHashMap<>(keyFields));
    }

    /**
     * The same binding read the other way: event field to the key field it fills, as ingest reads an
     * incoming event. One-to-one, because the checker refuses one event field filling two key fields.
     */
    public Map<String, String> byEventField() {
        Map<String, String> inverse = new LinkedHashMap<>();
        keyFields.forEach((key, field) -> inverse.put(field, key));
        return Collections.unmodifiableMap(inverse);
    }
}
