package io.dualsync.emulator.dataverse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.FieldDef;
import io.dualsync.mapping.schema.FieldType;

import java.util.ArrayList;
import java.util.List;

/**
 * How a stored row looks in the Web API: {@code @odata.etag} first, then the properties; a lookup
 * column appears as its lookup property {@code _<name>_value} holding the related row's guid; the
 * primary id is always included (web-api-properties.md; query/select-columns.md).
 */
final class RecordJson {
    private RecordJson() {
    }

    /** The property name a column has in the API. */
    static String propertyOf(FieldDef f) {
        return f.type() == FieldType.LOOKUP ? "_" + f.name() + "_value" : f.name();
    }

    /**
     * The column a property name reads, or null when the table has no such property: a lookup is read
     * through {@code _x_value}, never by the column's own name.
     */
    static FieldDef columnOf(EntitySchema schema, String property) {
        if (property.startsWith("_") && property.endsWith("_value") && property.length() > 7) {
            FieldDef f = schema.field(property.substring(1, property.length() - 6));
            return f != null && f.type() == FieldType.LOOKUP ? f : null;
        }
        FieldDef f = schema.field(property);
        return f != null && f.type() != FieldType.LOOKUP ? f : null;
    }

    /** Validates a {@code $select} list into columns; null or empty means every column. */
    static List<FieldDef> select(EntitySchema schema, String select) {
        List<FieldDef> out = new ArrayList<>();
        if (select == null || select.isBlank()) {
            out.addAll(schema.fields().values());
            return out;
        }
        for (String p : select.split(",")) {
            String name = p.trim();
            FieldDef f = columnOf(schema, name);
            if (f == null) {
                throw DataverseError.unknownProperty(schema, name);
            }
            if (!out.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }

    static ObjectNode write(EntitySchema schema, UnitOfWork.Rec rec, List<FieldDef> columns) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("@odata.etag", rec.etag());
        boolean idWritten = false;
        for (FieldDef f : columns) {
            Json.put(o, propertyOf(f), rec.values().get(f.name()));
            idWritten |= f.name().equals(schema.primaryId());
        }
        if (!idWritten && schema.primaryId() != null) {
            o.put(schema.primaryId(), rec.id());
        }
        return o;
    }

    /** The {@code (a,b)} part of {@code @odata.context} for a {@code $select}, or "" without one. */
    static String contextSelect(String select) {
        if (select == null || select.isBlank()) {
            return "";
        }
        return "(" + String.join(",", select.replace(" ", "").split(",")) + ")";
    }
}
