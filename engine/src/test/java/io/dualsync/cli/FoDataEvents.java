package io.dualsync.cli;

import io.dualsync.mapping.Side;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.FieldDef;
import io.dualsync.mapping.schema.FieldType;
import io.dualsync.mapping.schema.SchemaLoader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * F&O data events for {@code POST /webhooks/fo}, built the way the F&O emulator delivers them
 * (emulator {@code fo/events/DataEventPayload}; business-events/data-events.md): a
 * RemoteExecutionContext whose {@code PrimaryEntityName} is the virtual table
 * {@code mserp_custcustomerv3entity}, the record after the write as {@code Target} with columns
 * {@code mserp_<field>}, enums as option sets ({@code 200000000} + position) with the symbol in
 * {@code FormattedValues}, {@code mserp_primaryfield} the key joined by {@code |}, and
 * {@code OperationCreatedOn} the time of the change. Tests send them themselves so they control
 * retries and timing. Stateless.
 */
final class FoDataEvents {
    static final String CUSTOMERS = "CustomersV3";
    private static final String ENTITY_TYPE = "Entity:http://schemas.microsoft.com/xrm/2011/Contracts";
    private static final String OPTION_SET_TYPE = "OptionSetValue:http://schemas.microsoft.com/xrm/2011/Contracts";
    private static final int OPTION_BASE = 200_000_000;
    private static final EntitySchema SCHEMA = SchemaLoader.builtIn().get(Side.FO, CUSTOMERS);

    private FoDataEvents() {
    }

    /** The virtual table F&O data events of Customers V3 are about. */
    static String virtualTable() {
        return "mserp_" + SCHEMA.logicalName().toLowerCase(Locale.ROOT);
    }

    /**
     * A Customers V3 data event.
     *
     * @param message  {@code OnExternalCreated}, {@code OnExternalUpdated} or {@code OnExternalDeleted}
     * @param row      the F&O record after the write (field name to value, enums as symbols)
     * @param user     who made the change (InitiatingUserId)
     * @param changed  when the change was made (OperationCreatedOn, milliseconds)
     */
    static JsonObject customer(String message, Map<String, Object> row, String user, Instant changed) {
        String table = virtualTable();
        String id = UUID.nameUUIDFromBytes((table + ":" + row.get("dataAreaId") + "|" + row.get("CustomerAccount"))
                .getBytes(StandardCharsets.UTF_8)).toString();
        JsonArray input = new JsonArray().add(pair("Target", entity(table, id, row)));
        return new JsonObject()
                .put("BusinessUnitId", UUID.nameUUIDFromBytes("test:businessunit".getBytes(StandardCharsets.UTF_8)).toString())
                .put("CorrelationId", UUID.randomUUID().toString())
                .put("Depth", 1)
                .put("InitiatingUserAzureActiveDirectoryObjectId", user)
                .put("InitiatingUserId", user)
                .put("InputParameters", input)
                .put("IsExecutingOffline", false)
                .put("IsInTransaction", false)
                .put("IsOfflinePlayback", false)
                .put("IsolationMode", 1)
                .put("MessageName", message)
                .put("Mode", 1)
                .put("OperationCreatedOn", "/Date(" + changed.toEpochMilli() + "+0000)/")
                .put("OperationId", UUID.randomUUID().toString())
                .put("OrganizationId", UUID.nameUUIDFromBytes("test:organization".getBytes(StandardCharsets.UTF_8)).toString())
                .put("OrganizationName", "usmf")
                .put("OutputParameters", new JsonArray())
                .put("ParentContext", null)
                .put("PostEntityImages", new JsonArray())
                .put("PreEntityImages", new JsonArray())
                .put("PrimaryEntityId", id)
                .put("PrimaryEntityName", table)
                .put("RequestId", null)
                .put("SecondaryEntityName", "none")
                .put("SharedVariables", new JsonArray())
                .put("Stage", 40)
                .put("UserId", user);
    }

    private static JsonObject entity(String table, String id, Map<String, Object> row) {
        JsonArray attributes = new JsonArray().add(pair(table + "id", id));
        JsonArray formatted = new JsonArray();
        for (Map.Entry<String, Object> col : row.entrySet()) {
            FieldDef f = SCHEMA.field(col.getKey());
            String name = "mserp_" + col.getKey().toLowerCase(Locale.ROOT);
            if (f != null && f.type() == FieldType.ENUM && col.getValue() instanceof String symbol) {
                attributes.add(pair(name, new JsonObject().put("__type", OPTION_SET_TYPE)
                        .put("Value", OPTION_BASE + f.symbols().indexOf(symbol))));
                formatted.add(pair(name, symbol));
            } else {
                attributes.add(pair(name, col.getValue()));
            }
        }
        List<String> key = new ArrayList<>();
        for (String k : SCHEMA.keys().get(0)) {
            key.add(String.valueOf(row.getOrDefault(k, "")));
        }
        attributes.add(pair("mserp_primaryfield", String.join("|", key)));
        return new JsonObject().put("__type", ENTITY_TYPE).put("Attributes", attributes).put("EntityState", null)
                .put("FormattedValues", formatted).put("Id", id).put("KeyAttributes", new JsonArray())
                .put("LogicalName", table).put("RelatedEntities", new JsonArray()).put("RowVersion", null);
    }

    private static JsonObject pair(String key, Object value) {
        return new JsonObject().put("key", key).put("value", value);
    }
}
