package io.dualsync.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.dualsync.mapping.Side;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.FieldDef;
import io.dualsync.mapping.schema.FieldType;
import io.dualsync.model.ChangeEvent;
import io.dualsync.model.Operation;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the canonical envelope of {@code POST /events} (documented on {@link IngestRoutes}): one
 * object, or a list of them. Every event of a body is checked before any is journaled, so a 4xx
 * means none was. Pure and stateless apart from the catalog.
 */
final class EnvelopeParser {
    private static final Set<String> MEMBERS = Set.of("eventId", "source", "entity", "operation", "recordId", "key",
            "values", "version", "modifiedAt", "initiatingUser", "tag", "correlationId");

    private final EntityCatalog catalog;

    EnvelopeParser(EntityCatalog catalog) {
        this.catalog = catalog;
    }

    /** @throws IngestException 400 for a wrong shape or value, 422 for an unknown entity or an incomplete key */
    List<ChangeEvent> parse(JsonNode root, Instant receivedAt) {
        List<ChangeEvent> out = new ArrayList<>();
        if (root.isArray()) {
            if (root.isEmpty()) {
                throw IngestException.malformed("the list of events is empty");
            }
            int i = 0;
            for (JsonNode e : root) {
                out.add(event(e, "[" + i++ + "]", receivedAt));
            }
        } else {
            out.add(event(root, "", receivedAt));
        }
        return out;
    }

    private ChangeEvent event(JsonNode o, String at, Instant receivedAt) {
        if (!o.isObject()) {
            throw IngestException.malformed(where(at) + "an event must be a JSON object");
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!MEMBERS.contains(name)) {
                throw IngestException.malformed(where(at) + "unknown member '" + name + "': an event has " + new java.util.TreeSet<>(MEMBERS));
            }
        }
        String eventId = requiredText(o, "eventId", at);
        Side source = side(requiredText(o, "source", at), at);
        String entityName = requiredText(o, "entity", at);
        EntitySchema entity = catalog.entity(source, entityName);
        if (entity == null) {
            throw IngestException.unknownEntity(where(at) + "unknown " + source.word() + " entity '" + entityName + "': dualsync syncs "
                    + catalog.names(source));
        }
        Operation operation = operation(requiredText(o, "operation", at), at);
        Map<String, Object> key = scalars(o.get("key"), "key", at, entity, source);
        if (key == null || key.isEmpty()) {
            throw IngestException.missingKey(where(at) + "'key' is missing or empty: give the record's key fields and values");
        }
        Map<String, Object> values = scalars(o.get("values"), "values", at, entity, source);
        String recordId = optionalText(o, "recordId", at);
        if (recordId == null) {
            recordId = recordId(source, entity, key, at);
        } else if (source == Side.FO) {
            checkFoKey(entity, key, at);
        }
        long version = 0;
        JsonNode v = o.get("version");
        if (v != null && !v.isNull()) {
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw IngestException.malformed(where(at) + "'version' must be a whole number >= 0, got " + v);
            }
            version = v.longValue();
        }
        Instant modifiedAt = receivedAt;
        String m = optionalText(o, "modifiedAt", at);
        if (m != null) {
            try {
                modifiedAt = OffsetDateTime.parse(m).toInstant();
            } catch (DateTimeParseException e) {
                throw IngestException.malformed(where(at) + "'modifiedAt' must be an ISO-8601 date-time with offset (2024-05-01T10:15:30Z), got '" + m + "'");
            }
        }
        return new ChangeEvent(eventId, source, entity.entitySet(), operation, recordId, Collections.unmodifiableMap(key),
                values == null ? null : Collections.unmodifiableMap(values), version, modifiedAt,
                optionalText(o, "initiatingUser", at), optionalText(o, "tag", at), optionalText(o, "correlationId", at), receivedAt);
    }

    private static String recordId(Side source, EntitySchema entity, Map<String, Object> key, String at) {
        if (source == Side.FO) {
            checkFoKey(entity, key, at);
            Map<String, Object> ordered = new LinkedHashMap<>();
            entity.keys().get(0).forEach(k -> ordered.put(k, key.get(k)));
            return KeyPredicate.of(ordered);
        }
        Object id = key.get(DataverseWebhookParser.primaryId(entity));
        if (id != null) {
            return Jsons.guid(id.toString());
        }
        for (List<String> alternate : entity.keys()) {
            Map<String, Object> found = new LinkedHashMap<>();
            for (String column : alternate) {
                FieldDef f = entity.field(column);
                String name = f != null && f.type() == FieldType.LOOKUP ? "_" + column + "_value" : column;
                Object value = key.containsKey(name) ? key.get(name) : key.get(column);
                if (value == null) {
                    found = null;
                    break;
                }
                found.put(column, value);
            }
            if (found != null) {
                return KeyPredicate.of(found);
            }
        }
        throw IngestException.missingKey(where(at) + "'key' of " + entity.entitySet() + " has neither the primary id '"
                + DataverseWebhookParser.primaryId(entity) + "' nor a complete alternate key " + entity.keys() + ", and no 'recordId' is given");
    }

    private static void checkFoKey(EntitySchema entity, Map<String, Object> key, String at) {
        if (entity.keys().isEmpty()) {
            throw IngestException.missingKey(where(at) + "the schema of " + entity.entitySet() + " declares no key");
        }
        List<String> missing = new ArrayList<>();
        for (String k : entity.keys().get(0)) {
            if (key.get(k) == null) {
                missing.add(k);
            }
        }
        if (!missing.isEmpty()) {
            throw IngestException.missingKey(where(at) + "'key' of " + entity.entitySet() + " lacks " + missing);
        }
    }

    /** An object of scalars; F&O field names take the schema's spelling. Null when absent or null. */
    private static Map<String, Object> scalars(JsonNode node, String name, String at, EntitySchema entity, Side source) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw IngestException.malformed(where(at) + "'" + name + "' must be an object of field names to values");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isContainerNode()) {
                throw IngestException.malformed(where(at) + "'" + name + "." + e.getKey() + "' must be text, a number, true/false or null");
            }
            String field = e.getKey();
            if (source == Side.FO) {
                FieldDef f = entity.fieldIgnoreCase(field);
                field = f != null ? f.name() : field;
            }
            out.put(field, Jsons.scalar(e.getValue()));
        }
        return out;
    }

    private static Side side(String s, String at) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "fo":
                return Side.FO;
            case "dataverse":
                return Side.DATAVERSE;
            default:
                throw IngestException.malformed(where(at) + "'source' must be \"fo\" or \"dataverse\", got '" + s + "'");
        }
    }

    private static Operation operation(String s, String at) {
        try {
            return Operation.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw IngestException.malformed(where(at) + "'operation' must be \"create\", \"update\" or \"delete\", got '" + s + "'");
        }
    }

    private static String requiredText(JsonNode o, String name, String at) {
        String v = optionalText(o, name, at);
        if (v == null || v.isBlank()) {
            throw IngestException.malformed(where(at) + "'" + name + "' is required (non-empty text)");
        }
        return v;
    }

    private static String optionalText(JsonNode o, String name, String at) {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw IngestException.malformed(where(at) + "'" + name + "' must be text, got " + v.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return v.textValue();
    }

    private static String where(String at) {
        return at.isEmpty() ? "" : "event " + at + ": ";
    }
}
