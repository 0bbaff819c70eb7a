package io.dualsync.emulator.fo.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A business event the emulator can raise: its id, the entity whose committed writes raise it, the
 * writes that do, and the contract fields it carries.
 *
 * <p>Real business events are X++ classes raised by business logic (business-events/
 * business-events-dev-doc.md); the emulator has no business logic, so it raises them on writes to
 * one entity, carrying the record's identifiers as contract fields (the dev doc: the payload should
 * carry alternate keys, not RecIds, and enums as symbols). No out-of-box event fires on customer or
 * vendor changes (business-events/app-business-events.md lists none), so the built-in ones are
 * custom events named by the documented pattern {@code <noun><past tense action>BusinessEvent}.
 *
 * @param contractFields entity fields copied into the payload under the same names
 */
record BusinessEventDefinition(String businessEventId, String entitySet, List<String> contractFields, Set<DataEvent> on) {

    /** The built-in catalog, by business event id. */
    static final Map<String, BusinessEventDefinition> CATALOG = catalog();

    private static Map<String, BusinessEventDefinition> catalog() {
        Map<String, BusinessEventDefinition> m = new LinkedHashMap<>();
        add(m, new BusinessEventDefinition("CustomerChangedBusinessEvent", "CustomersV3",
                List.of("dataAreaId", "CustomerAccount"), EnumSet.allOf(DataEvent.class)));
        add(m, new BusinessEventDefinition("VendorChangedBusinessEvent", "VendorsV2",
                List.of("dataAreaId", "VendorAccountNumber"), EnumSet.allOf(DataEvent.class)));
        return Map.copyOf(m);
    }

    private static void add(Map<String, BusinessEventDefinition> m, BusinessEventDefinition d) {
        m.put(d.businessEventId(), d);
    }

    /**
     * A definition from registration JSON: either a catalog id as text, or an object
     * {@code {businessEventId, entitySet, fields, events}} defining a custom event.
     */
    static BusinessEventDefinition parse(Object spec) {
        if (spec instanceof String id) {
            BusinessEventDefinition d = CATALOG.get(id);
            if (d == null) {
                throw new IllegalArgumentException("business event '" + id + "' is not in the catalog " + CATALOG.keySet()
                        + "; define it with {businessEventId, entitySet, fields}");
            }
            return d;
        }
        if (!(spec instanceof JsonObject o)) {
            throw new IllegalArgumentException("a business event is a catalog id or an object {businessEventId, entitySet, fields}");
        }
        String id = Endpoint.requiredText(o, "businessEventId");
        BusinessEventDefinition known = CATALOG.get(id);
        String entitySet = o.getString("entitySet", known == null ? null : known.entitySet());
        if (entitySet == null || entitySet.isBlank()) {
            throw new IllegalArgumentException("business event '" + id + "' needs an entitySet");
        }
        List<String> fields = known == null ? List.of() : known.contractFields();
        if (o.containsKey("fields")) {
            fields = Endpoint.texts(o.getValue("fields"), "fields");
        }
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("business event '" + id + "' needs fields (its contract: the record's identifiers)");
        }
        Set<DataEvent> on = o.containsKey("events") ? Endpoint.events(o.getValue("events")) : EnumSet.allOf(DataEvent.class);
        return new BusinessEventDefinition(id, entitySet, List.copyOf(fields), on);
    }

    boolean matches(String changedEntitySet, DataEvent event) {
        return entitySet.toLowerCase(Locale.ROOT).equals(changedEntitySet.toLowerCase(Locale.ROOT)) && on.contains(event);
    }

    JsonObject toJson() {
        JsonArray events = new JsonArray();
        on.forEach(e -> events.add(e.name()));
        return new JsonObject().put("businessEventId", businessEventId).put("entitySet", entitySet)
                .put("fields", new JsonArray(List.copyOf(contractFields))).put("events", events);
    }
}
