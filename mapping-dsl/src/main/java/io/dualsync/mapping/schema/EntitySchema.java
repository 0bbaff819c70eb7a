package io.dualsync.mapping.schema;

import io.dualsync.mapping.Side;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one F&O data entity or Dataverse table looks like, read from a {@code .schema.json} file:
 * its fields, keys and the column that carries the company. Immutable.
 *
 * @param keys    F&O: the entity key first; Dataverse: its alternate keys
 * @param company the company column ({@code dataAreaId}, or {@code msdyn_company.cdm_companycode}), or null
 */
public record EntitySchema(Side system, String entitySet, String logicalName, String primaryId,
                           List<List<String>> keys, String company, Map<String, FieldDef> fields, String source) {

    public EntitySchema {
        fields = fields instanceof Fields ? fields : new Fields(fields);
    }

    public FieldDef field(String name) {
        return fields.get(name);
    }

    /**
     * A field by name ignoring case, for the importer (Microsoft's tables spell F&O fields in upper case)
     * and for F&O data events (their virtual table's columns are in lower case). One hash look-up.
     */
    public FieldDef fieldIgnoreCase(String name) {
        FieldDef exact = fields.get(name);
        return exact != null || name == null ? exact : ((Fields) fields).byLowerCase.get(name.toLowerCase(Locale.ROOT));
    }

    /** The fields in their declared order, unmodifiable, with an index by lower-case name. */
    private static final class Fields extends AbstractMap<String, FieldDef> {
        private final Map<String, FieldDef> byName;
        final Map<String, FieldDef> byLowerCase = new HashMap<>();

        Fields(Map<String, FieldDef> fields) {
            this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
            fields.forEach((name, f) -> byLowerCase.putIfAbsent(name.toLowerCase(Locale.ROOT), f));
        }

        @Override
        public FieldDef get(Object key) {
            return byName.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return byName.containsKey(key);
        }

        @Override
        public Set<Entry<String, FieldDef>> entrySet() {
            return byName.entrySet();
        }
    }
}
