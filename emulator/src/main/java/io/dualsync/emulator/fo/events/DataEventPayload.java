package io.dualsync.emulator.fo.events;

import io.dualsync.emulator.ChangeEvent;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.FieldDef;
import io.dualsync.mapping.schema.FieldType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The JSON an F&O data event is delivered as: a Dataverse {@code RemoteExecutionContext}, since data
 * events run through the linked Dataverse environment and an HTTPS endpoint is a Dataverse webhook
 * there (business-events/managing-business-event-endpoints.md, mapping table).
 *
 * <p>business-events/data-events.md, "Data event schema": the RemoteExecutionContext class "defines
 * the contextual information sent to the configured service endpoint at run-time. The entity fields
 * will be included in the schema in the Target and PreImage properties of the InputParameters", the
 * fields being those of the virtual table; datetime fields that are null are left out. The shape of
 * the context (keys, Entity objects, {@code /Date(...)/} values) follows the webhook sample in
 * powerapps-docs use-webhooks.md (/work/shared/reference/dataverse-webhook-RemoteExecutionContext-
 * contact-update.json). Names: the virtual table is {@code mserp_} + the entity's physical name in
 * lower case ({@code mserp_custcustomerv3entity}), its columns {@code mserp_} + the field name in
 * lower case, its id column {@code mserp_<table>id}, and {@code mserp_primaryfield} is the entity key
 * joined by {@code |} (power-platform/entity-modeling.md). The message is {@code OnExternalCreated},
 * {@code OnExternalUpdated} or {@code OnExternalDeleted} (how-to-dataverse-events.md), registered
 * PostOperation (40), asynchronous (Mode 1).
 *
 * <p>Target: Created and Updated carry the whole record after the write ("the payload of the event
 * contains the corresponding entity record", data-events.md); Deleted carries the record's key
 * columns. PreImage (Updated, Deleted): the whole record before the write. Enums are option-set
 * values ({@code 200000000} + the symbol's position; the docs warn those numbers aren't stable) with
 * the symbol in {@code FormattedValues}. Stateless.
 */
final class DataEventPayload {
    static final String ENTITY_TYPE = "Entity:http://schemas.microsoft.com/xrm/2011/Contracts";
    static final String OPTION_SET_TYPE = "OptionSetValue:http://schemas.microsoft.com/xrm/2011/Contracts";
    /** First value of a custom option set; the virtual tables' enum option sets start there. */
    static final int OPTION_BASE = 200_000_000;

    /** Identity of the emulated organization, stable across runs. */
    static final UUID ORGANIZATION_ID = UUID.nameUUIDFromBytes("dualsync-fo-emulator:organization".getBytes(StandardCharsets.UTF_8));
    static final UUID BUSINESS_UNIT_ID = UUID.nameUUIDFromBytes("dualsync-fo-emulator:businessunit".getBytes(StandardCharsets.UTF_8));

    private DataEventPayload() {
    }

    /** {@code mserp_custcustomerv3entity} for {@code CustCustomerV3Entity}; the entity set name when no schema is known. */
    static String virtualTable(String entitySet, EntitySchema schema) {
        String physical = schema != null && schema.logicalName() != null ? schema.logicalName() : entitySet;
        return "mserp_" + physical.toLowerCase(Locale.ROOT);
    }

    static JsonObject build(ChangeEvent e, DataEvent event, EntitySchema schema, long recId, Endpoint endpoint,
                            String organizationName) {
        String table = virtualTable(e.entitySet(), schema);
        UUID id = RecIds.virtualEntityId(table, recId);
        Map<String, Object> after = e.postImage();
        Map<String, Object> before = e.preImage();

        JsonArray input = new JsonArray();
        Map<String, Object> targetRow = event == DataEvent.Deleted ? keyOnly(before, schema) : after;
        input.add(pair("Target", entity(table, id, targetRow, schema)));
        if (event != DataEvent.Created && before != null) {
            input.add(pair("PreImage", entity(table, id, before, schema)));
        }

        String user = e.caller().userId().toString();
        JsonObject o = new JsonObject();
        o.put("BusinessUnitId", BUSINESS_UNIT_ID.toString());
        o.put("CorrelationId", e.correlationId());
        o.put("Depth", 1);
        o.put("InitiatingUserAzureActiveDirectoryObjectId", user);
        o.put("InitiatingUserId", user);
        o.put("InputParameters", input);
        o.put("IsExecutingOffline", false);
        o.put("IsInTransaction", false);
        o.put("IsOfflinePlayback", false);
        o.put("IsolationMode", 1);
        o.put("MessageName", event.messageName());
        o.put("Mode", 1);
        o.put("OperationCreatedOn", Formats.dotNetDateUtc(e.time()));
        o.put("OperationId", UUID.randomUUID().toString());
        o.put("OrganizationId", ORGANIZATION_ID.toString());
        o.put("OrganizationName", organizationName);
        o.put("OutputParameters", new JsonArray());
        o.put("OwningExtension", new JsonObject()
                .put("Id", UUID.nameUUIDFromBytes(("step:" + endpoint.id()).getBytes(StandardCharsets.UTF_8)).toString())
                .put("KeyAttributes", new JsonArray()).put("LogicalName", "sdkmessageprocessingstep")
                .put("Name", null).put("RowVersion", null));
        o.put("ParentContext", null);
        o.put("PostEntityImages", new JsonArray());
        o.put("PreEntityImages", new JsonArray());
        o.put("PrimaryEntityId", id.toString());
        o.put("PrimaryEntityName", table);
        o.put("RequestId", null);
        o.put("SecondaryEntityName", "none");
        o.put("SharedVariables", new JsonArray());
        o.put("Stage", 40);
        o.put("UserId", user);
        return o;
    }

    private static Map<String, Object> keyOnly(Map<String, Object> row, EntitySchema schema) {
        if (row == null) {
            return Map.of();
        }
        if (schema == null || schema.keys().isEmpty()) {
            return row;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : schema.keys().get(0)) {
            out.put(k, row.get(k));
        }
        return out;
    }

    private static JsonObject entity(String table, UUID id, Map<String, Object> row, EntitySchema schema) {
        JsonArray attributes = new JsonArray();
        JsonArray formatted = new JsonArray();
        attributes.add(pair(table + "id", id.toString()));
        for (Map.Entry<String, Object> col : row.entrySet()) {
            FieldDef f = schema == null ? null : schema.field(col.getKey());
            String name = "mserp_" + col.getKey().toLowerCase(Locale.ROOT);
            FieldType type = f == null ? null : f.type();
            Object v = col.getValue();
            if (type == FieldType.DATE || type == FieldType.DATETIME) {
                Long ms = Formats.epochMillis(v);
                if (ms != null) { // null datetimes are removed (data-events.md, note)
                    attributes.add(pair(name, Formats.dotNetDate(ms)));
                }
            } else if (type == FieldType.ENUM && v instanceof String symbol) {
                int index = f.symbols().indexOf(symbol);
                attributes.add(pair(name, index < 0 ? null
                        : new JsonObject().put("__type", OPTION_SET_TYPE).put("Value", OPTION_BASE + index)));
                formatted.add(pair(name, symbol));
            } else {
                attributes.add(pair(name, plain(v)));
            }
        }
        String primary = primaryField(row, schema);
        if (primary != null) {
            attributes.add(pair("mserp_primaryfield", primary));
        }
        return new JsonObject().put("__type", ENTITY_TYPE).put("Attributes", attributes).put("EntityState", null)
                .put("FormattedValues", formatted).put("Id", id.toString()).put("KeyAttributes", new JsonArray())
                .put("LogicalName", table).put("RelatedEntities", new JsonArray()).put("RowVersion", null);
    }

    /** The entity key's values as text joined by {@code |}, at most 255 characters. */
    private static String primaryField(Map<String, Object> row, EntitySchema schema) {
        if (schema == null || schema.keys().isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (String k : schema.keys().get(0)) {
            Object v = row.get(k);
            parts.add(v == null ? "" : v.toString());
        }
        String s = String.join("|", parts);
        return s.length() > 255 ? s.substring(0, 255) : s;
    }

    private static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Integer
                || v instanceof BigDecimal) {
            return v;
        }
        if (v instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        return v.toString();
    }

    private static JsonObject pair(String key, Object value) {
        return new JsonObject().put("key", key).put("value", value);
    }
}
