package io.dualsync.mapping.schema;

import java.util.List;
import java.util.Map;

/**
 * One field of an entity schema.
 *
 * @param enumName   F&O enum type name, or null
 * @param symbols    F&O enum symbols in order (empty unless {@code ENUM})
 * @param options    Dataverse choice labels to values (empty unless {@code CHOICE})
 * @param target     entity set a lookup points at, or null
 */
public record FieldDef(String name, FieldType type, boolean mandatory, boolean readOnly, Integer maxLength,
                       String enumName, List<String> symbols, Map<String, Integer> options, String target) {
}
