package io.dualsync.emulator.dataverse.webhooks;

import io.dualsync.emulator.store.Store;
import io.dualsync.mapping.schema.FieldDef;
import io.dualsync.mapping.schema.FieldType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes SDK values the way the RemoteExecutionContext JSON carries them (the data-contract JSON of
 * Microsoft.Xrm.Sdk; sample in powerapps-docs developer/data-platform/use-webhooks.md): collections
 * as {@code [{"key":..,"value":..}]}, {@code Entity} and {@code EntityReference} objects with their
 * {@code __type}, choices as {@code OptionSetValue}, money as {@code Money}, dates as
 * {@code \/Date(ms)\/}. Stateless; any thread.
 */
final class SdkValues {
    static final String CONTRACTS = "http://schemas.microsoft.com/xrm/2011/Contracts";
    static final String ENTITY_TYPE = "Entity:" + CONTRACTS;
    static final String REFERENCE_TYPE = "EntityReference:" + CONTRACTS;
    static final String OPTION_SET_TYPE = "OptionSetValue:" + CONTRACTS;
    static final String MONEY_TYPE = "Money:" + CONTRACTS;
    static final String STRING_PAIR_TYPE = "KeyValuePairOfstringstring:#System.Collections.Generic";

    /** Lookups to users the platform sets on every write; they point at {@code systemuser}. */
    static final Set<String> USER_LOOKUPS = Set.of("createdby", "modifiedby", "createdonbehalfby",
            "modifiedonbehalfby", "ownerid", "owninguser");

    /**
     * Columns that are Money in Dataverse although the entity schema format only says "decimal":
     * account and contact {@code creditlimit} are {@code Type: Money} (reference/entities/account.md,
     * contact.md). Other decimals are sent as plain numbers, as Decimal columns are.
     */
    private static final Map<String, Set<String>> MONEY = Map.of(
            "account", Set.of("creditlimit"),
            "contact", Set.of("creditlimit"));

    private SdkValues() {
    }

    static JsonObject pair(String key, Object value) {
        return new JsonObject().put("key", key).put("value", value);
    }

    static JsonObject entityReference(String logicalName, String id) {
        return new JsonObject()
                .put("__type", REFERENCE_TYPE)
                .put("Id", id)
                .put("KeyAttributes", new JsonArray())
                .put("LogicalName", logicalName)
                .put("Name", null)
                .put("RowVersion", null);
    }

    /** {@code OwningExtension}: an EntityReference whose declared type needs no {@code __type}. */
    static JsonObject untypedReference(String logicalName, String id) {
        JsonObject r = entityReference(logicalName, id);
        r.remove("__type");
        return r;
    }

    /**
     * An {@code Entity}: {@code typed} adds {@code __type} as for a value in a ParameterCollection
     * (the Target); entity images are declared as Entity and have none (see the documented sample).
     */
    static JsonObject entity(String logicalName, String id, JsonArray attributes, JsonArray formatted, boolean typed) {
        JsonObject e = new JsonObject();
        if (typed) {
            e.put("__type", ENTITY_TYPE);
        }
        return e.put("Attributes", attributes)
                .put("EntityState", null)
                .put("FormattedValues", formatted)
                .put("Id", id)
                .put("KeyAttributes", new JsonArray())
                .put("LogicalName", logicalName)
                .put("RelatedEntities", new JsonArray())
                .put("RowVersion", null);
    }

    /** {@code \/Date(1506384247000)\/}: attribute date-times, UTC milliseconds. */
    static String date(Instant t) {
        return "/Date(" + t.toEpochMilli() + ")/";
    }

    /** {@code \/Date(1506409448000+0000)\/}: {@code OperationCreatedOn} carries an offset. */
    static String dateWithOffset(Instant t) {
        return "/Date(" + t.toEpochMilli() + "+0000)/";
    }

    /**
     * The attribute name a stored column stands for: Web API lookup properties
     * ({@code _modifiedby_value}) become the lookup's logical name; annotations are not attributes (null).
     */
    static String attributeName(String column) {
        if (column.indexOf('@') >= 0) {
            return null;
        }
        if (column.length() > 7 && column.startsWith("_") && column.endsWith("_value")) {
            return column.substring(1, column.length() - 6);
        }
        return column;
    }

    /** Adds one attribute (and its formatted value, for choices) in SDK form. */
    static void addAttribute(Store store, TableInfo table, String attribute, Object value, JsonArray attributes,
                             JsonArray formatted) {
        FieldDef field = table.field(attribute);
        attributes.add(pair(attribute, wire(store, table, attribute, field, value)));
        if (field != null && field.type() == FieldType.CHOICE && value != null) {
            String label = labelOf(field, value);
            if (label != null) {
                formatted.add(pair(attribute, label));
            }
        }
    }

    /** One stored value in SDK form, by the column's schema type. */
    static Object wire(Store store, TableInfo table, String attribute, FieldDef field, Object value) {
        if (value == null) {
            return null;
        }
        if (field == null) {
            if (USER_LOOKUPS.contains(attribute)) {
                return entityReference("systemuser", value.toString().toLowerCase(Locale.ROOT));
            }
            return plain(value);
        }
        try {
            return typed(store, table, attribute, field, value);
        } catch (RuntimeException e) {
            // A value the schema type does not fit (the store is not strict): send it as it is.
            return plain(value);
        }
    }

    private static Object typed(Store store, TableInfo table, String attribute, FieldDef field, Object value) {
        switch (field.type()) {
            case LOOKUP:
                String target = field.target() == null ? attribute : TableInfo.logicalNameOf(store, field.target());
                return entityReference(target, value.toString().toLowerCase(Locale.ROOT));
            case CHOICE:
                return new JsonObject().put("__type", OPTION_SET_TYPE).put("Value", asLong(value));
            case DECIMAL:
                BigDecimal d = asDecimal(value);
                if (MONEY.getOrDefault(table.logicalName(), Set.of()).contains(attribute)) {
                    return new JsonObject().put("__type", MONEY_TYPE).put("Value", d);
                }
                return d;
            case INTEGER:
                return asLong(value);
            case BOOLEAN:
                return value instanceof Boolean b ? b : Boolean.valueOf(value.toString());
            case DATE:
            case DATETIME:
                Instant t = instant(value);
                return t == null ? value.toString() : date(t);
            case GUID:
                return value.toString().toLowerCase(Locale.ROOT);
            default:
                return value.toString();
        }
    }

    /** A date-time the store holds (ISO-8601 text, or a date) as an instant; null when it is not one. */
    static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof LocalDate d) {
            return d.atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        String s = value.toString();
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            // not with an offset: try the other ISO forms
        }
        try {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // not a local date-time
        }
        try {
            return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String labelOf(FieldDef field, Object value) {
        long v;
        try {
            v = asLong(value);
        } catch (RuntimeException e) {
            return null;
        }
        for (Map.Entry<String, Integer> o : field.options().entrySet()) {
            if (o.getValue() != null && o.getValue() == v) {
                return o.getKey();
            }
        }
        return null;
    }

    private static Object plain(Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        return value.toString();
    }

    private static long asLong(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        return new BigDecimal(value.toString().trim()).longValueExact();
    }

    private static BigDecimal asDecimal(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        return new BigDecimal(value.toString().trim());
    }
}
