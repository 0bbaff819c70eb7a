package io.dualsync.mapping.schema;

import io.dualsync.mapping.Side;

import java.util.List;
import java.util.Map;

/**
 * What one F&O data entity or Dataverse table looks like, read from a {@code .schema.json} file:
 * its fields, keys and the column that carries the company. Immutable.
 *
 * @param keys    F&O: the entity key first; Dataverse: its alternate keys
 * @param company the company column ({@code dataAreaId}, or {@code msdyn_company.cdm_companycode}), or null
 */
public record EntitySchema(Side system, String entitySet, String logicalName, String primaryId,
                           List<List<String>> keys, String company, Map<String, FieldDef> fields, String source) {

    public FieldDef field(String name) {
        return fields.get(name);
    }

    /** A field by name ignoring case, for the importer (Microsoft's tables spell F&O fields in upper case). */
    public FieldDef fieldIgnoreCase(String name) {
        FieldDef exact = fields.get(name);
        if (exact != null) {
            return exact;
        }
        for (FieldDef f : fields.values()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        return null;
    }
}
