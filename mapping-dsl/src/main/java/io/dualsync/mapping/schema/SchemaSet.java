package io.dualsync.mapping.schema;

import io.dualsync.mapping.Side;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The schemas known to a check or an import, by system and entity set name. */
public final class SchemaSet {
    private final Map<String, EntitySchema> byKey = new LinkedHashMap<>();

    public static SchemaSet empty() {
        return new SchemaSet();
    }

    public void add(EntitySchema schema) {
        byKey.put(key(schema.system(), schema.entitySet()), schema);
    }

    public EntitySchema get(Side system, String entitySet) {
        return byKey.get(key(system, entitySet));
    }

    /** By entity set name ignoring case and spaces ("Customers V3" finds CustomersV3). */
    public EntitySchema find(Side system, String name) {
        EntitySchema exact = get(system, name);
        if (exact != null) {
            return exact;
        }
        String wanted = name.replace(" ", "").toLowerCase(Locale.ROOT);
        for (EntitySchema s : byKey.values()) {
            if (s.system() == system && s.entitySet().toLowerCase(Locale.ROOT).equals(wanted)) {
                return s;
            }
        }
        return null;
    }

    public boolean isEmpty() {
        return byKey.isEmpty();
    }

    public Collection<EntitySchema> all() {
        return byKey.values();
    }

    private static String key(Side system, String entitySet) {
        return system.word() + ":" + entitySet;
    }
}
