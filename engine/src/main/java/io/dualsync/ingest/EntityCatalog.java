package io.dualsync.ingest;

import io.dualsync.mapping.Side;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.SchemaSet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The entities ingest accepts events for, with what it needs to name them: Dataverse tables by
 * logical name ({@code account}, as webhooks say) and entity set ({@code accounts}), F&O entities by
 * entity set ({@code CustomersV3}) and by the virtual table name of their data events
 * ({@code mserp_custcustomerv3entity}: {@code mserp_} + the entity's physical name in lower case,
 * power-platform/entity-modeling.md). Build it from the schemas of the tables the loaded maps use:
 * an event about any other table is answered 422. Immutable; any thread.
 */
public final class EntityCatalog {
    private static final String VIRTUAL_PREFIX = "mserp_";

    private final Map<String, EntitySchema> dataverse = new LinkedHashMap<>();
    private final Map<String, EntitySchema> fo = new LinkedHashMap<>();
    private final Map<String, EntitySchema> foVirtual = new LinkedHashMap<>();
    private final List<String> dataverseNames = new ArrayList<>();
    private final List<String> foNames = new ArrayList<>();

    private EntityCatalog(Collection<EntitySchema> schemas) {
        for (EntitySchema s : schemas) {
            if (s.system() == Side.DATAVERSE) {
                dataverse.put(lower(s.entitySet()), s);
                if (s.logicalName() != null) {
                    dataverse.putIfAbsent(lower(s.logicalName()), s);
                }
                dataverseNames.add(s.entitySet());
            } else {
                fo.put(lower(s.entitySet()), s);
                foVirtual.put(VIRTUAL_PREFIX + lower(s.entitySet()), s);
                if (s.logicalName() != null) {
                    foVirtual.put(VIRTUAL_PREFIX + lower(s.logicalName()), s);
                }
                foNames.add(s.entitySet());
            }
        }
    }

    /** A catalog of these schemas (usually those of the tables the loaded maps use). */
    public static EntityCatalog of(Collection<EntitySchema> schemas) {
        return new EntityCatalog(List.copyOf(schemas));
    }

    /** A catalog of every schema in the set. */
    public static EntityCatalog of(SchemaSet schemas) {
        return of(schemas.all());
    }

    /** A Dataverse table by logical name or entity set name, ignoring case; null when unknown. */
    EntitySchema dataverseTable(String name) {
        return name == null ? null : dataverse.get(lower(name));
    }

    /** An F&O entity by entity set name, ignoring case; null when unknown. */
    EntitySchema foEntity(String entitySet) {
        return entitySet == null ? null : fo.get(lower(entitySet));
    }

    /** An F&O entity by the virtual table name of its data events; null when unknown. */
    EntitySchema foVirtualTable(String name) {
        return name == null ? null : foVirtual.get(lower(name));
    }

    EntitySchema entity(Side side, String name) {
        return side == Side.FO ? foEntity(name) : dataverseTable(name);
    }

    /** The entity sets known on one side, for messages. */
    List<String> names(Side side) {
        return List.copyOf(side == Side.FO ? foNames : dataverseNames);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
