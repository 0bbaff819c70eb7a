package io.dualsync.emulator.dataverse.webhooks;

import io.dualsync.emulator.store.Store;
import io.dualsync.emulator.store.Table;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.FieldDef;

import java.util.Locale;
import java.util.Map;

/**
 * What a webhook payload needs to know about one Dataverse table: its entity set, logical name
 * ({@code PrimaryEntityName}, {@code LogicalName}), primary id column and field types. Read from the
 * store's table schemas; immutable.
 */
record TableInfo(String entitySet, String logicalName, String primaryId, Map<String, FieldDef> fields) {

    /** The table behind an entity set; a table the store does not know gets a guessed logical name and no fields. */
    static TableInfo of(Store store, String entitySet) {
        Table table = store.table(entitySet);
        if (table != null) {
            EntitySchema s = table.schema();
            return new TableInfo(s.entitySet(), s.logicalName(), s.primaryId(), s.fields());
        }
        String logical = guessLogicalName(entitySet);
        return new TableInfo(entitySet, logical, logical + "id", Map.of());
    }

    /** The logical name of an entity set ({@code accounts} to {@code account}) or of a logical name given as is. */
    static String logicalNameOf(Store store, String name) {
        Table table = store.table(name);
        if (table != null) {
            return table.schema().logicalName();
        }
        for (Table t : store.tables()) {
            if (t.schema().logicalName().equalsIgnoreCase(name)) {
                return t.schema().logicalName();
            }
        }
        return guessLogicalName(name);
    }

    FieldDef field(String attribute) {
        return fields.get(attribute);
    }

    /**
     * Entity set names are the plural of the logical name (web-api-service-documents.md: "EntitySetName
     * ... is usually the plural form"); used only for tables the store does not hold, such as a lookup's
     * target that was not loaded.
     */
    private static String guessLogicalName(String entitySet) {
        String s = entitySet.toLowerCase(Locale.ROOT);
        if (s.endsWith("ies")) {
            return s.substring(0, s.length() - 3) + "y";
        }
        if (s.endsWith("ses") || s.endsWith("xes")) {
            return s.substring(0, s.length() - 2);
        }
        if (s.endsWith("s")) {
            return s.substring(0, s.length() - 1);
        }
        return s;
    }
}
