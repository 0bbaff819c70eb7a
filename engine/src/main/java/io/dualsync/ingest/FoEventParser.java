package io.dualsync.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.dualsync.mapping.Side;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.FieldDef;
import io.dualsync.mapping.schema.FieldType;
import io.dualsync.model.ChangeEvent;
import io.dualsync.model.Operation;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns what F&O posts to an endpoint into a {@link ChangeEvent}. Two shapes arrive on one route:
 * <ul>
 *   <li><b>Data events</b> (business-events/data-events.md): a RemoteExecutionContext whose
 *       MessageName is {@code OnExternalCreated}, {@code OnExternalUpdated} or {@code OnExternalDeleted},
 *       about the virtual table {@code mserp_<entity>} with columns {@code mserp_<field>}. Column names
 *       are given back their entity field names through the schema (case-insensitively); columns the
 *       schema does not know (the virtual table's id and {@code mserp_primaryfield}) are dropped.
 *       Enums arrive as option sets with the symbol in FormattedValues: the value is the symbol.
 *       Created/Updated: the Target is the record after the write; Deleted: the key from the Target,
 *       the values from the PreImage when present.</li>
 *   <li><b>Business events</b> (business-events/home-page.md): the envelope {@code BusinessEventId},
 *       {@code BusinessEventLegalEntity}, {@code ControlNumber}, {@code EventId}, {@code EventTime},
 *       ... plus contract fields. The binding of the event id says the entity and which contract fields
 *       are its key; the event has null values (read the record from F&O) and operation UPDATE
 *       (whether the record still exists is known only when it is read).</li>
 * </ul>
 * Pure and stateless apart from the catalog and bindings.
 */
final class FoEventParser {
    private static final String PREFIX = "mserp_";
    /** Enum option sets of the virtual tables start at the first custom option value. */
    private static final long OPTION_BASE = 200_000_000L;

    private final EntityCatalog catalog;
    private final Map<String, BusinessEventBinding> bindings;

    FoEventParser(EntityCatalog catalog, Map<String, BusinessEventBinding> bindings) {
        this.catalog = catalog;
        TreeMap<String, BusinessEventBinding> byId = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byId.putAll(bindings);
        this.bindings = byId;
    }

    /**
     * @throws IngestException 400 when the body is neither shape, 422 when it is about an entity or a
     *                         business event not bound, or lacks a key field
     */
    ChangeEvent parse(JsonNode root, Instant receivedAt) {
        if (!root.isObject()) {
            throw IngestException.malformed("expected an F&O data event (RemoteExecutionContext) or business event JSON object, got "
                    + root.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        if (root.has("BusinessEventId")) {
            return businessEvent(root, receivedAt);
        }
        if (root.has("MessageName")) {
            return dataEvent(root, receivedAt);
        }
        throw IngestException.malformed("neither an F&O business event (no 'BusinessEventId') nor a data event (no 'MessageName')");
    }

    /**
     * True when the body is a data event of an F&O entity dualsync syncs: such events may also come
     * through a Dataverse webhook registration (in Dataverse they are messages on virtual tables).
     */
    boolean isDataEventOfKnownEntity(JsonNode root) {
        return root.isObject() && root.has("MessageName") && catalog.foVirtualTable(Jsons.text(root, "PrimaryEntityName")) != null;
    }

    // ---- data events ----------------------------------------------------------------------------

    private ChangeEvent dataEvent(JsonNode root, Instant receivedAt) {
        ExecutionContext c = ExecutionContext.read(root);
        Operation operation = dataOperation(c.messageName);
        EntitySchema entity = catalog.foVirtualTable(c.primaryEntityName);
        if (entity == null) {
            entity = catalog.foEntity(c.primaryEntityName);
        }
        if (entity == null) {
            throw IngestException.unknownEntity("unknown entity '" + c.primaryEntityName + "' (PrimaryEntityName): dualsync syncs the F&O entities "
                    + catalog.names(Side.FO) + " (data events name them mserp_<physical entity name>); deactivate this data event or add a map for it");
        }
        if (c.correlationId == null || c.correlationId.isBlank()) {
            throw IngestException.malformed("'CorrelationId' is missing: it identifies the delivery (retries carry the same)");
        }
        String virtualTable = c.primaryEntityName.toLowerCase(Locale.ROOT);
        Map<String, Object> targetValues = c.target == null ? Map.of() : values(c.target, entity, virtualTable);
        Map<String, Object> preValues = c.preImage == null ? null : values(c.preImage, entity, virtualTable);

        Map<String, Object> key = key(entity, targetValues, preValues, c.target);
        Map<String, Object> values;
        if (operation == Operation.DELETE) {
            values = preValues != null ? preValues : new LinkedHashMap<>(targetValues);
        } else if (c.target == null) {
            values = null; // cut for size: read the record from F&O
        } else {
            values = new LinkedHashMap<>(targetValues);
        }
        String recordId = KeyPredicate.of(key);
        String virtualId = c.recordId() == null ? recordId : Jsons.guid(c.recordId());
        String eventId = c.correlationId + ":" + virtualId + ":" + c.messageName + ":" + DataverseWebhookParser.deliveryDiscriminator(c);
        Instant modifiedAt = c.operationCreatedOn != null ? c.operationCreatedOn : receivedAt;
        return new ChangeEvent(eventId, Side.FO, entity.entitySet(), operation, recordId, Collections.unmodifiableMap(key),
                values == null ? null : Collections.unmodifiableMap(values), 0, modifiedAt, c.initiatingUser, c.tag,
                c.correlationId, receivedAt);
    }

    private static Operation dataOperation(String message) {
        String m = message.regionMatches(true, 0, "OnExternal", 0, 10) ? message.substring(10) : message;
        switch (m.toLowerCase(Locale.ROOT)) {
            case "created":
            case "create":
                return Operation.CREATE;
            case "updated":
            case "update":
                return Operation.UPDATE;
            case "deleted":
            case "delete":
                return Operation.DELETE;
            default:
                throw IngestException.unprocessable("message '" + message + "' (MessageName) is not a data event: expected OnExternalCreated, OnExternalUpdated or OnExternalDeleted");
        }
    }

    /** The entity key: from the Target, else the pre image, else {@code mserp_primaryfield} (the key values joined by {@code |}). */
    private static Map<String, Object> key(EntitySchema entity, Map<String, Object> target, Map<String, Object> pre,
                                           ExecutionContext.SdkEntity rawTarget) {
        List<String> fields = entity.keys().isEmpty() ? List.of() : entity.keys().get(0);
        if (fields.isEmpty()) {
            throw IngestException.missingKey("the schema of " + entity.entitySet() + " declares no key: add \"keys\" to its schema file");
        }
        String[] primary = null;
        if (rawTarget != null) {
            JsonNode p = rawTarget.attributes().get(PREFIX + "primaryfield");
            if (p != null && p.isTextual()) {
                primary = p.textValue().split("\\|", -1);
            }
        }
        Map<String, Object> key = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            String field = fields.get(i);
            Object v = target.get(field);
            if (v == null && pre != null) {
                v = pre.get(field);
            }
            if (v == null && primary != null && primary.length == fields.size() && !primary[i].isEmpty()) {
                v = primary[i];
            }
            if (v == null) {
                missing.add(PREFIX + field.toLowerCase(Locale.ROOT));
            }
            key.put(field, v);
        }
        if (!missing.isEmpty()) {
            throw IngestException.missingKey("the key of " + entity.entitySet() + " is incomplete: " + String.join(", ", missing)
                    + " missing from InputParameters.Target");
        }
        return key;
    }

    /** A virtual table's Entity as entity field names and F&O values. */
    private static Map<String, Object> values(ExecutionContext.SdkEntity e, EntitySchema entity, String virtualTable) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> a : e.attributes().entrySet()) {
            String column = a.getKey();
            if (!column.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) || column.equalsIgnoreCase(virtualTable + "id")) {
                continue;
            }
            FieldDef field = entity.fieldIgnoreCase(column.substring(PREFIX.length()));
            if (field == null) {
                continue; // mserp_primaryfield, or a column no map can name
            }
            out.put(field.name(), value(a.getValue(), field, e.formatted().get(column)));
        }
        return out;
    }

    private static Object value(JsonNode v, FieldDef field, String formatted) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isObject()) {
            JsonNode inner = v.get("Value");
            if (field.type() == FieldType.ENUM) {
                return symbol(inner, field, formatted);
            }
            if (inner != null) {
                return number(inner, field);
            }
            String id = Jsons.text(v, "Id");
            return id != null ? id : v.toString();
        }
        if (v.isTextual()) {
            Instant t = Jsons.msDate(v.textValue());
            return t != null ? t.toString() : v.textValue();
        }
        if (v.isNumber()) {
            return number(v, field);
        }
        return Jsons.scalar(v);
    }

    /** An enum option's symbol: its formatted value, else the symbol at its position past the option base. */
    private static Object symbol(JsonNode value, FieldDef field, String formatted) {
        if (formatted != null && (field.symbols().isEmpty() || field.symbols().contains(formatted))) {
            return formatted;
        }
        if (value != null && value.canConvertToLong()) {
            long index = value.longValue() - OPTION_BASE;
            if (index >= 0 && index < field.symbols().size()) {
                return field.symbols().get((int) index);
            }
            return value.longValue();
        }
        return formatted;
    }

    private static Object number(JsonNode v, FieldDef field) {
        if (field.type() == FieldType.DECIMAL && v.isNumber()) {
            return v.decimalValue();
        }
        Object s = Jsons.scalar(v);
        return s instanceof BigDecimal d && field.type() == FieldType.INTEGER && d.scale() <= 0 ? (Object) d.longValue() : s;
    }

    // ---- business events ------------------------------------------------------------------------

    private ChangeEvent businessEvent(JsonNode root, Instant receivedAt) {
        String businessEventId = Jsons.text(root, "BusinessEventId");
        if (businessEventId == null || businessEventId.isBlank()) {
            throw IngestException.malformed("'BusinessEventId' must be a non-empty text");
        }
        BusinessEventBinding binding = bindings.get(businessEventId);
        if (binding == null) {
            throw IngestException.unprocessable("business event '" + businessEventId + "' is not bound to an entity: bound events are "
                    + bindings.keySet() + "; bind it with an `event` line in the map of its entity (docs/mapping-language.md, Business events) or deactivate it for this endpoint");
        }
        String eventId = Jsons.text(root, "EventId");
        if (eventId == null || eventId.isBlank()) {
            throw IngestException.malformed("'EventId' is missing from business event '" + businessEventId + "': it identifies the event (retries carry the same)");
        }
        EntitySchema entity = catalog.foEntity(binding.entitySet());
        if (entity == null) {
            throw IngestException.unknownEntity("business event '" + businessEventId + "' is bound to unknown entity '" + binding.entitySet()
                    + "': dualsync syncs the F&O entities " + catalog.names(Side.FO));
        }

        Map<String, Object> found = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> b : binding.keyFields().entrySet()) {
            JsonNode v = Jsons.getIgnoreCase(root, b.getKey());
            Object value = Jsons.scalar(v);
            if (value == null || (value instanceof String s && s.isBlank())) {
                missing.add(b.getKey());
            } else {
                FieldDef f = entity.fieldIgnoreCase(b.getValue());
                found.put(f != null ? f.name() : b.getValue(), value);
            }
        }
        if (!missing.isEmpty()) {
            throw IngestException.missingKey("business event '" + businessEventId + "' lacks the contract field(s) " + missing
                    + " that identify the " + entity.entitySet() + " record");
        }
        String legalEntity = Jsons.text(root, "BusinessEventLegalEntity");
        if (entity.company() != null && !found.containsKey(entity.company()) && legalEntity != null && !legalEntity.isBlank()) {
            found.put(entity.company(), legalEntity);
        }
        List<String> keyFields = entity.keys().isEmpty() ? List.of() : entity.keys().get(0);
        List<String> unbound = new ArrayList<>();
        Map<String, Object> key = new LinkedHashMap<>();
        for (String k : keyFields) {
            if (found.get(k) == null) {
                unbound.add(k);
            }
            key.put(k, found.get(k));
        }
        if (!unbound.isEmpty()) {
            throw IngestException.missingKey("business event '" + businessEventId + "' does not identify a " + entity.entitySet()
                    + " record: its key field(s) " + unbound + " have no value (bind them to contract fields"
                    + (entity.company() != null ? ", or send BusinessEventLegalEntity" : "") + ")");
        }
        found.forEach(key::putIfAbsent);

        String user = Jsons.text(root, "InitiatingUserAADObjectId");
        if (user != null) {
            user = Jsons.guid(user.replace("{", "").replace("}", ""));
        } else {
            user = Jsons.text(root, "UserId");
        }
        return new ChangeEvent(eventId, Side.FO, entity.entitySet(), Operation.UPDATE, KeyPredicate.of(key),
                Collections.unmodifiableMap(key), null, 0, eventTime(root, receivedAt), user, null, eventId, receivedAt);
    }

    /** EventTimeIso8601 (full precision) when present, else EventTime ({@code /Date(ms)/}, whole seconds). */
    private static Instant eventTime(JsonNode root, Instant receivedAt) {
        String iso = Jsons.text(root, "EventTimeIso8601");
        if (iso != null) {
            try {
                return OffsetDateTime.parse(iso).toInstant();
            } catch (DateTimeParseException ignored) {
                // fall back to EventTime
            }
        }
        Instant t = Jsons.msDate(Jsons.text(root, "EventTime"));
        return t != null ? t : receivedAt;
    }
}
