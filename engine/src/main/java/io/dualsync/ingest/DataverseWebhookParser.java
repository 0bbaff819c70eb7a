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
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Turns the body of a Dataverse webhook (a RemoteExecutionContext of a Create, Update or Delete
 * step) into a {@link ChangeEvent}, with values named as the Web API names them:
 * <ul>
 *   <li>EntityReference {@code x} becomes {@code _x_value} = the referenced guid (a null lookup the
 *       schema declares also becomes {@code _x_value} = null);</li>
 *   <li>OptionSetValue becomes its {@code Value} (Long); Money its {@code Value} (BigDecimal);
 *       {@code \/Date(ms)\/} ISO-8601 instant text; other numbers Long or BigDecimal.</li>
 * </ul>
 * Values are the Target's attributes overlaid by the post images' (the record after the write);
 * a Delete carries the pre image's values when one was registered, else none. A body whose
 * InputParameters were removed for size ({@code x-ms-dynamics-msg-size-exceeded}) becomes an event
 * with null values: the record must be read from Dataverse. Pure and stateless apart from the catalog.
 */
final class DataverseWebhookParser {
    private final EntityCatalog catalog;

    DataverseWebhookParser(EntityCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * @throws IngestException 400 when the body is not a RemoteExecutionContext, 422 when it is about
     *                         a table not synced, a message not handled, or has no record id
     */
    ChangeEvent parse(JsonNode root, Instant receivedAt) {
        ExecutionContext c = ExecutionContext.read(root);
        Operation operation = operation(c.messageName);
        EntitySchema table = catalog.dataverseTable(c.primaryEntityName);
        if (table == null) {
            throw IngestException.unknownEntity("unknown entity '" + c.primaryEntityName + "' (PrimaryEntityName): dualsync syncs the Dataverse tables "
                    + catalog.names(Side.DATAVERSE) + "; remove this table from the webhook registration or add a map for it");
        }
        String id = Jsons.guid(c.recordId());
        if (id == null || id.isEmpty()) {
            throw IngestException.missingKey("the record id is missing: neither PrimaryEntityId nor InputParameters.Target carries an Id");
        }
        if (c.correlationId == null || c.correlationId.isBlank()) {
            throw IngestException.malformed("'CorrelationId' is missing: it identifies the delivery (webhook retries carry the same)");
        }

        Map<String, Object> values;
        long version = 0;
        if (operation == Operation.DELETE) {
            values = c.preImage == null ? new LinkedHashMap<>() : values(c.preImage, table);
        } else if (c.target == null && c.postImage == null) {
            values = null; // the payload was cut for size: the record must be read from Dataverse
        } else {
            values = new LinkedHashMap<>();
            if (c.target != null) {
                values.putAll(values(c.target, table));
            }
            if (c.postImage != null) {
                values.putAll(values(c.postImage, table));
            }
            version = version(c.postImage, c.target);
        }

        Map<String, Object> key = new LinkedHashMap<>();
        key.put(primaryId(table), id);
        addAlternateKey(key, table, values);
        Instant modifiedAt = modifiedAt(values, c, receivedAt);
        String eventId = version > 0
                ? c.correlationId + ":" + version
                : c.correlationId + ":" + id + ":" + c.messageName + ":" + deliveryDiscriminator(c);
        return new ChangeEvent(eventId, Side.DATAVERSE, table.entitySet(), operation, id,
                Collections.unmodifiableMap(key), values == null ? null : Collections.unmodifiableMap(values), version,
                modifiedAt, c.initiatingUser, c.tag, c.correlationId, receivedAt);
    }

    private static Operation operation(String message) {
        switch (message) {
            case "Create":
                return Operation.CREATE;
            case "Update":
            case "Upsert":
                return Operation.UPDATE;
            case "Delete":
                return Operation.DELETE;
            default:
                throw IngestException.unprocessable("message '" + message + "' (MessageName) is not handled: register the webhook step for Create, Update and Delete only");
        }
    }

    static String primaryId(EntitySchema table) {
        return table.primaryId() != null ? table.primaryId() : table.logicalName() + "id";
    }

    /** What tells two deliveries of one change apart when the version is unknown. */
    static String deliveryDiscriminator(ExecutionContext c) {
        if (c.requestId != null && !c.requestId.isBlank()) {
            return c.requestId;
        }
        if (c.operationId != null && !c.operationId.isBlank()) {
            return c.operationId;
        }
        return c.operationCreatedOn == null ? "" : Long.toString(c.operationCreatedOn.toEpochMilli());
    }

    /** Adds every alternate key of the table whose columns all have values. */
    private static void addAlternateKey(Map<String, Object> key, EntitySchema table, Map<String, Object> values) {
        if (values == null) {
            return;
        }
        for (List<String> alternate : table.keys()) {
            Map<String, Object> found = new LinkedHashMap<>();
            for (String column : alternate) {
                FieldDef f = table.field(column);
                String name = f != null && f.type() == FieldType.LOOKUP ? "_" + column + "_value" : column;
                Object v = values.get(name);
                if (v == null) {
                    found = null;
                    break;
                }
                found.put(name, v);
            }
            if (found != null) {
                key.putAll(found);
            }
        }
    }

    private static long version(ExecutionContext.SdkEntity post, ExecutionContext.SdkEntity target) {
        for (ExecutionContext.SdkEntity e : new ExecutionContext.SdkEntity[] {post, target}) {
            if (e == null) {
                continue;
            }
            JsonNode v = e.attributes().get("versionnumber");
            if (v != null && v.canConvertToLong()) {
                return v.longValue();
            }
            if (v != null && v.isTextual()) {
                try {
                    return Long.parseLong(v.textValue().trim());
                } catch (NumberFormatException ignored) {
                    // not a version: look further
                }
            }
        }
        return 0;
    }

    private static Instant modifiedAt(Map<String, Object> values, ExecutionContext c, Instant receivedAt) {
        Object m = values == null ? null : values.get("modifiedon");
        if (m instanceof String s) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException ignored) {
                // not an instant: fall back to the operation's time
            }
        }
        return c.operationCreatedOn != null ? c.operationCreatedOn : receivedAt;
    }

    /** An Entity's attributes as Web API values. */
    static Map<String, Object> values(ExecutionContext.SdkEntity entity, EntitySchema table) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> a : entity.attributes().entrySet()) {
            put(out, a.getKey(), a.getValue(), table);
        }
        return out;
    }

    private static void put(Map<String, Object> out, String name, JsonNode v, EntitySchema table) {
        if (v == null || v.isNull()) {
            FieldDef f = table.field(name);
            out.put(f != null && f.type() == FieldType.LOOKUP ? "_" + name + "_value" : name, null);
            return;
        }
        if (v.isObject()) {
            String type = Jsons.text(v, "__type");
            if ((type != null && type.startsWith("EntityReference:")) || (type == null && v.has("LogicalName") && v.has("Id"))) {
                out.put("_" + name + "_value", Jsons.guid(Jsons.text(v, "Id")));
            } else if (type != null && type.startsWith("Money:")) {
                out.put(name, decimal(v.get("Value")));
            } else if (type != null && type.startsWith("OptionSetValue:")) {
                out.put(name, Jsons.scalar(v.get("Value")));
            } else if (v.has("Value")) {
                out.put(name, Jsons.scalar(v.get("Value")));
            } else {
                out.put(name, v.toString());
            }
            return;
        }
        if (v.isArray()) {
            out.put(name, multiSelect(v));
            return;
        }
        if (v.isTextual()) {
            Instant t = Jsons.msDate(v.textValue());
            out.put(name, t != null ? t.toString() : v.textValue());
            return;
        }
        out.put(name, Jsons.scalar(v));
    }

    /** A multi-select choice ({@code [{"Value": 1}, {"Value": 2}]}) as the Web API writes it, {@code "1,2"}; other lists as JSON text. */
    private static Object multiSelect(JsonNode list) {
        StringJoiner j = new StringJoiner(",");
        for (JsonNode item : list) {
            if (!item.isObject() || item.get("Value") == null || !item.get("Value").isIntegralNumber()) {
                return list.toString();
            }
            j.add(item.get("Value").asText());
        }
        return j.toString();
    }

    private static BigDecimal decimal(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        try {
            return new BigDecimal(v.asText().trim());
        } catch (NumberFormatException e) {
            throw IngestException.malformed("a Money value is not a number: " + v);
        }
    }
}
