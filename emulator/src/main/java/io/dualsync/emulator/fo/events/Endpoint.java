package io.dualsync.emulator.fo.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One HTTPS endpoint with the events activated for it, as the Business events page keeps them
 * (business-events/managing-business-event-endpoints.md: an HTTPS endpoint; home-page.md,
 * "Activating business events" and data-events.md "Activating data events": in all legal entities,
 * or in one when {@code legalEntity} is set).
 *
 * <p>Registration JSON ({@code POST /_emulator/events/endpoints} or a config file):
 * <pre>
 * { "url": "http://127.0.0.1:9000/hook", "kind": "data",
 *   "entitySets": ["CustomersV3"], "events": ["Created", "Updated", "Deleted"],
 *   "legalEntity": "usmf", "headers": { "Authorization": "Bearer x" } }
 * { "url": "...", "kind": "business", "businessEvents": ["CustomerChangedBusinessEvent",
 *   { "businessEventId": "ContosoGroupChangedBusinessEvent", "entitySet": "CustomerGroups",
 *     "fields": ["dataAreaId", "CustomerGroupId"], "events": ["Updated"] }] }
 * </pre>
 * {@code entitySet}/{@code businessEventId} (one) work as well as the plural lists. Immutable.
 */
record Endpoint(String id, String name, String url, Kind kind, List<String> entitySets, Set<DataEvent> events,
                List<BusinessEventDefinition> businessEvents, String legalEntity, Map<String, String> headers) {

    enum Kind { data, business }

    static Endpoint parse(JsonObject o) {
        if (o == null) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        String url = requiredText(o, "url");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("url is not a URL: " + url);
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
            throw new IllegalArgumentException("url must be an absolute http or https URL: " + url);
        }
        Kind kind;
        try {
            kind = Kind.valueOf(requiredText(o, "kind").toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kind must be \"data\" or \"business\"");
        }
        String id = o.getString("id");
        if (id == null || id.isBlank()) {
            id = UUID.randomUUID().toString();
        }
        Set<String> entitySets = new LinkedHashSet<>();
        Set<DataEvent> events = EnumSet.allOf(DataEvent.class);
        List<BusinessEventDefinition> business = new ArrayList<>();
        if (kind == Kind.data) {
            entitySets.addAll(texts(o.getValue("entitySets", o.getValue("entitySet")), "entitySets"));
            if (entitySets.isEmpty()) {
                throw new IllegalArgumentException("a data endpoint needs entitySets (the entities whose data events it receives)");
            }
            if (o.containsKey("events")) {
                events = events(o.getValue("events"));
            }
        } else {
            Object specs = o.getValue("businessEvents", o.getValue("businessEventIds", o.getValue("businessEventId")));
            if (specs instanceof String || specs instanceof JsonObject) {
                specs = new JsonArray().add(specs);
            }
            if (!(specs instanceof JsonArray list) || list.isEmpty()) {
                throw new IllegalArgumentException("a business endpoint needs businessEvents: catalog ids "
                        + BusinessEventDefinition.CATALOG.keySet() + " or {businessEventId, entitySet, fields}");
            }
            for (Object spec : list) {
                business.add(BusinessEventDefinition.parse(spec));
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        JsonObject h = o.getJsonObject("headers");
        if (h != null) {
            for (Map.Entry<String, Object> e : h) {
                if (!(e.getValue() instanceof String v)) {
                    throw new IllegalArgumentException("header '" + e.getKey() + "' must be text");
                }
                headers.put(e.getKey(), v);
            }
        }
        String legalEntity = o.getString("legalEntity");
        if (legalEntity != null && legalEntity.isBlank()) {
            legalEntity = null;
        }
        return new Endpoint(id, o.getString("name", id), url, kind, List.copyOf(entitySets), Set.copyOf(events),
                List.copyOf(business), legalEntity, Map.copyOf(headers));
    }

    boolean wantsData(String entitySet, DataEvent event) {
        if (kind != Kind.data || !events.contains(event)) {
            return false;
        }
        for (String s : entitySets) {
            if (s.equalsIgnoreCase(entitySet)) {
                return true;
            }
        }
        return false;
    }

    /** Company-specific activation: a row of another company is not sent; rows without a company always are. */
    boolean acceptsCompany(String company) {
        return legalEntity == null || company == null || legalEntity.equalsIgnoreCase(company);
    }

    JsonObject toJson() {
        JsonObject o = new JsonObject().put("id", id).put("name", name).put("url", url).put("kind", kind.name());
        if (kind == Kind.data) {
            o.put("entitySets", new JsonArray(entitySets));
            JsonArray ev = new JsonArray();
            for (DataEvent e : DataEvent.values()) {
                if (events.contains(e)) {
                    ev.add(e.name());
                }
            }
            o.put("events", ev);
        } else {
            JsonArray b = new JsonArray();
            businessEvents.forEach(d -> b.add(d.toJson()));
            o.put("businessEvents", b);
        }
        o.put("legalEntity", legalEntity);
        // Header values may be secrets: show only which headers are sent.
        o.put("headers", new JsonArray(List.copyOf(headers.keySet())));
        return o;
    }

    static String requiredText(JsonObject o, String key) {
        Object v = o.getValue(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(key + " is required (text)");
        }
        return s;
    }

    /** A text or a list of texts. */
    static List<String> texts(Object v, String what) {
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v instanceof String s) {
            out.add(s);
            return out;
        }
        if (!(v instanceof JsonArray a)) {
            throw new IllegalArgumentException(what + " must be a text or a list of texts");
        }
        for (Object x : a) {
            if (!(x instanceof String s) || s.isBlank()) {
                throw new IllegalArgumentException(what + " must be a list of texts");
            }
            out.add(s);
        }
        return out;
    }

    static Set<DataEvent> events(Object v) {
        List<String> names = texts(v, "events");
        if (names.isEmpty()) {
            throw new IllegalArgumentException("events must name at least one of Created, Updated, Deleted");
        }
        Set<DataEvent> out = EnumSet.noneOf(DataEvent.class);
        for (String n : names) {
            out.add(DataEvent.parse(n));
        }
        return out;
    }
}
