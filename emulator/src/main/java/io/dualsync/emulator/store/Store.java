package io.dualsync.emulator.store;

import io.dualsync.mapping.schema.EntitySchema;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * All tables of one emulator and its row-version counter (like SQL Server's rowversion: one
 * sequence for the whole database, so versions order every write). Owned by the emulator's event
 * loop: not thread-safe.
 */
public final class Store {
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private long version = 1000;

    public Table add(EntitySchema schema) {
        Table t = new Table(schema, this);
        tables.put(schema.entitySet().toLowerCase(Locale.ROOT), t);
        return t;
    }

    /** By entity set name; F&O and Dataverse URLs are matched case-insensitively here, callers decide. */
    public Table table(String entitySet) {
        return tables.get(entitySet.toLowerCase(Locale.ROOT));
    }

    public Collection<Table> tables() {
        return tables.values();
    }

    /** The latest row version handed out. */
    public long currentVersion() {
        return version;
    }

    long nextVersion() {
        return ++version;
    }
}
