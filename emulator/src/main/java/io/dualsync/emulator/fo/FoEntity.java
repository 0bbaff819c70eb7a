package io.dualsync.emulator.fo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dualsync.emulator.store.Table;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.FieldDef;
import io.dualsync.mapping.schema.FieldType;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One F&O data entity as the OData service exposes it: its public type name, key, company column,
 * the values F&O gives fields nobody set, how JSON payload values are read and how rows are
 * written as JSON. Wraps the store's {@link Table}; used on the event loop only.
 */
final class FoEntity {
    /** Enums and entity types live in this namespace (odata.md, "Using Enums"). */
    static final String NAMESPACE = "Microsoft.Dynamics.DataEntities";
    private static final Pattern PLURAL = Pattern.compile("^(.*?)(ies|s)(V\\d+)?$");

    private final Table table;
    private final EntitySchema schema;
    private final String typeName;

    FoEntity(Table table) {
        this.table = table;
        this.schema = table.schema();
        this.typeName = singular(schema.entitySet());
    }

    Table table() {
        return table;
    }

    EntitySchema schema() {
        return schema;
    }

    String entitySet() {
        return schema.entitySet();
    }

    /** The entity key (the first key of the schema): every part is required in URLs (odata.md). */
    List<String> key() {
        return schema.keys().get(0);
    }

    /** The company column ({@code dataAreaId}), or null for a shared entity such as LegalEntities. */
    String company() {
        return schema.company();
    }

    /**
     * The public entity type name ({@code CustomersV3} → {@code CustomerV3}). The schemas carry only
     * the set name, so this is derived the way F&O names most entities (set = plural of the type).
     */
    String qualifiedType() {
        return NAMESPACE + "." + typeName;
    }

    FieldDef field(String name) {
        return schema.field(name);
    }

    /**
     * The value of a field, or the value F&O gives a field nobody set: F&O columns are not
     * nullable, so strings read "" and enums their first symbol (real payloads show
     * {@code "PaymentTermId": ""}, {@code "IsSalesTaxIncludedInPrice": "No"}).
     */
    Object value(Map<String, Object> values, String field) {
        Object v = values.get(field);
        if (v != null) {
            return v;
        }
        FieldDef f = schema.field(field);
        return f == null ? null : defaultValue(f);
    }

    static Object defaultValue(FieldDef f) {
        switch (f.type()) {
            case INTEGER: return 0L;
            case DECIMAL: return BigDecimal.ZERO;
            case BOOLEAN: return Boolean.FALSE;
            case ENUM: return f.symbols().isEmpty() ? "" : f.symbols().get(0);
            case DATE: return "1900-01-01";
            case DATETIME: return "1900-01-01T00:00:00Z";
            case GUID: return "00000000-0000-0000-0000-000000000000";
            default: return "";
        }
    }

    /** A new record's values before the request's fields are set (odata.md validate methods: Initvalue). */
    Map<String, Object> initValues() {
        Map<String, Object> v = new LinkedHashMap<>();
        for (FieldDef f : schema.fields().values()) {
            v.put(f.name(), defaultValue(f));
        }
        return v;
    }

    /** True when the record belongs to a company the request may see. Company ids match ignoring case. */
    boolean visible(Map<String, Object> values, String defaultCompany, boolean crossCompany) {
        if (crossCompany || company() == null) {
            return true;
        }
        Object c = values.get(company());
        return c != null && c.toString().equalsIgnoreCase(defaultCompany);
    }

    static String edmType(FieldDef f) {
        switch (f.type()) {
            case INTEGER: return "Edm.Int32";
            case DECIMAL: return "Edm.Decimal";
            case BOOLEAN: return "Edm.Boolean";
            case DATE: return "Edm.Date";
            case DATETIME: return "Edm.DateTimeOffset";
            case GUID: return "Edm.Guid";
            case ENUM: return NAMESPACE + "." + f.enumName();
            default: return "Edm.String";
        }
    }

    /**
     * Reads one payload property into the stored form (see the brief's storage conventions).
     * Wrong JSON types, null and unknown enum symbols are refused as the OData library refuses them.
     */
    Object read(FieldDef f, JsonNode node) {
        String edm = edmType(f);
        if (node == null || node.isNull()) {
            throw FoError.badRequest("A null value was found for the property named '" + f.name() + "', which has the expected type '"
                    + edm + "[Nullable=False]'. The expected type '" + edm + "[Nullable=False]' does not allow null values.");
        }
        FoError wrongType = FoError.badRequest("Cannot convert a primitive value to the expected type '" + edm
                + "'. See the inner exception for more details.");
        switch (f.type()) {
            case INTEGER:
                if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                    throw wrongType;
                }
                return node.longValue();
            case DECIMAL:
                if (!node.isNumber()) {
                    throw wrongType;
                }
                return node.decimalValue();
            case BOOLEAN:
                if (!node.isBoolean()) {
                    throw wrongType;
                }
                return node.booleanValue();
            case ENUM:
                if (!node.isTextual()) {
                    throw wrongType;
                }
                String symbol = symbol(f, node.textValue());
                if (symbol == null) {
                    throw FoError.badRequest("Cannot convert the literal '" + node.textValue() + "' to the expected type '" + edm + "'.");
                }
                return symbol;
            case DATE:
                if (!node.isTextual()) {
                    throw wrongType;
                }
                try {
                    return LocalDate.parse(node.textValue().length() > 10 ? node.textValue().substring(0, 10) : node.textValue()).toString();
                } catch (DateTimeParseException e) {
                    throw wrongType;
                }
            case DATETIME:
                if (!node.isTextual()) {
                    throw wrongType;
                }
                try {
                    return OffsetDateTime.parse(node.textValue()).toInstant().toString();
                } catch (DateTimeParseException e) {
                    throw wrongType;
                }
            case GUID:
                if (!node.isTextual()) {
                    throw wrongType;
                }
                try {
                    return UUID.fromString(node.textValue()).toString();
                } catch (IllegalArgumentException e) {
                    throw wrongType;
                }
            default:
                if (!node.isTextual()) {
                    throw wrongType;
                }
                // dataAreaId is kept in lower case, as F&O stores company ids.
                return f.name().equals(company()) ? node.textValue().toLowerCase(Locale.ROOT) : node.textValue();
        }
    }

    /** The enum's own spelling of a symbol, or null when the enum has no such symbol. */
    static String symbol(FieldDef f, String text) {
        for (String s : f.symbols()) {
            if (s.equalsIgnoreCase(text)) {
                return s;
            }
        }
        return null;
    }

    /** A record as JSON ({@code @odata.etag} first, then the fields; {@code select} null = all). */
    ObjectNode render(Map<String, Object> values, String etag, List<String> select) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("@odata.etag", etag);
        for (FieldDef f : schema.fields().values()) {
            if (select == null || select.contains(f.name())) {
                put(o, f.name(), value(values, f.name()));
            }
        }
        return o;
    }

    static void put(ObjectNode o, String name, Object v) {
        if (v == null) {
            o.putNull(name);
        } else if (v instanceof BigDecimal d) {
            o.put(name, d);
        } else if (v instanceof Long l) {
            o.put(name, l);
        } else if (v instanceof Integer i) {
            o.put(name, i.longValue());
        } else if (v instanceof Number n) {
            o.put(name, new BigDecimal(n.toString()));
        } else if (v instanceof Boolean b) {
            o.put(name, b);
        } else {
            o.put(name, v.toString());
        }
    }

    /** The key predicate of a record: {@code dataAreaId='usmf',CustomerAccount='US-001'}. */
    String keyPredicate(Map<String, Object> values) {
        StringBuilder b = new StringBuilder();
        for (String k : key()) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(k).append('=').append(literal(schema.field(k), value(values, k)));
        }
        return b.toString();
    }

    static String literal(FieldDef f, Object v) {
        if (f.type() == FieldType.INTEGER || f.type() == FieldType.DECIMAL || f.type() == FieldType.BOOLEAN
                || f.type() == FieldType.GUID || f.type() == FieldType.DATE || f.type() == FieldType.DATETIME) {
            return String.valueOf(v);
        }
        String quoted = "'" + String.valueOf(v).replace("'", "''") + "'";
        return f.type() == FieldType.ENUM ? NAMESPACE + "." + f.enumName() + quoted : quoted;
    }

    /** The row id the storage conventions give an F&O record: the normalized entity key. */
    String rowId(Map<String, Object> values) {
        return Table.keyOf(key(), values);
    }

    /** True for an F&O entity schema. */
    static boolean isFo(EntitySchema s) {
        return s.system() == io.dualsync.mapping.Side.FO;
    }

    static String singular(String set) {
        Matcher m = PLURAL.matcher(set);
        if (!m.matches()) {
            return set;
        }
        String version = m.group(3) == null ? "" : m.group(3);
        return m.group(1) + (m.group(2).equals("ies") ? "y" : "") + version;
    }
}
