package io.dualsync.connector.dataverse;

import io.dualsync.connector.http.ODataText;
import io.dualsync.mapping.CompiledMap;
import io.dualsync.mapping.FieldMapping;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.FieldDef;
import io.dualsync.mapping.schema.FieldType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How Dataverse rows are named in Web API URLs (use-alternate-key-reference-record.md): by primary id
 * {@code accounts(<guid>)}, by alternate key {@code accounts(accountnumber='A-1')}, multi-part
 * {@code accounts(_msdyn_company_value=<guid>,accountnumber='A-1')}: a lookup column in a key is
 * written as its lookup property {@code _<navigation property>_value} with the related row's guid.
 * Pure functions; the guids are resolved by the caller.
 *
 * <p>Assumption, stated once: the single-valued navigation property of a lookup column (what
 * {@code x@odata.bind} and {@code _x_value} are named after) has the lookup column's logical name.
 * That holds for the lookups of the out-of-box dual-write tables (msdyn_company, transactioncurrencyid,
 * msdyn_customergroupid, ...); polymorphic lookups (customerid_account) are not supported.
 */
final class DataverseUrls {
    private DataverseUrls() {
    }

    /** A key or reference could not be built from what the map and the schemas say. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code _x_value}: the lookup property of navigation property {@code x}. */
    static String lookupProperty(String column) {
        return "_" + column + "_value";
    }

    /** The navigation property of a lookup property ({@code _x_value} gives {@code x}), or null. */
    static String navigationOf(String property) {
        if (property.length() > "__value".length() && property.startsWith("_") && property.endsWith("_value")) {
            return property.substring(1, property.length() - "_value".length());
        }
        return null;
    }

    /** {@code name=literal,...} from parts already written as literals, in the given order. */
    static String predicate(Map<String, String> literals) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : literals.entrySet()) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(e.getKey()).append('=').append(e.getValue());
        }
        return b.toString();
    }

    /** The entity set a lookup column of {@code table} points at, from its schema. */
    static String relatedSet(EntitySchema table, String tableName, String column) {
        if (table == null) {
            throw new Invalid("no schema for Dataverse table " + tableName + ": cannot tell which table its lookup "
                    + column + " points at; add " + tableName + ".schema.json");
        }
        FieldDef f = table.field(column);
        if (f == null || f.type() != FieldType.LOOKUP || f.target() == null) {
            throw new Invalid(tableName + "." + column + " is not a lookup column with a target table in "
                    + tableName + ".schema.json");
        }
        return f.target();
    }

    /**
     * The key predicate naming a related row by one of its columns: {@code isocurrencycode='EUR'}, or,
     * when the related table's alternate key has more columns (customer groups are keyed by company and
     * group id), those columns taken from the record being written: a lookup column of the same name
     * with the guid already resolved for that record ({@code _msdyn_company_value=<guid>,msdyn_groupid='10'}).
     *
     * @param related     the related table's schema, or null (then the column alone is the key)
     * @param resolved    lookup column of the record being written to the related guid
     */
    static String reference(EntitySchema related, String relatedSet, String relatedKey, Object value,
                            Map<String, String> resolved) {
        List<String> key = List.of(relatedKey);
        if (related != null) {
            for (List<String> k : related.keys()) {
                if (k.contains(relatedKey)) {
                    key = k;
                    break;
                }
            }
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String column : key) {
            if (column.equals(relatedKey)) {
                parts.put(column, ODataText.literal(value));
                continue;
            }
            FieldDef f = related.field(column);
            String guid = resolved.get(column);
            if (f == null || f.type() != FieldType.LOOKUP || guid == null) {
                throw new Invalid(relatedSet + " rows are identified by (" + String.join(", ", key) + "), but the record "
                        + "being written has no " + column + " in its key to take it from");
            }
            parts.put(lookupProperty(column), ODataText.guid(guid));
        }
        return predicate(parts);
    }

    /**
     * Per table and lookup column, the related columns the maps read through that lookup
     * ({@code accounts -> msdyn_company -> [cdm_companycode]}), from field paths, company lines and keys.
     */
    static Map<String, Map<String, Set<String>>> pathsRead(Collection<CompiledMap> maps) {
        Map<String, Map<String, Set<String>>> out = new HashMap<>();
        for (CompiledMap map : maps) {
            List<String> paths = new ArrayList<>(map.dataverseKey());
            if (map.company() != null) {
                paths.add(map.company().dataverseField());
            }
            for (FieldMapping f : map.fields()) {
                paths.add(f.dataverseField());
            }
            for (String path : paths) {
                int dot = path == null ? -1 : path.indexOf('.');
                if (dot > 0) {
                    out.computeIfAbsent(map.dataverseTable(), t -> new HashMap<>())
                            .computeIfAbsent(path.substring(0, dot), c -> new LinkedHashSet<>())
                            .add(path.substring(dot + 1));
                }
            }
        }
        return out;
    }

    /** The columns of a related table's alternate keys that are not lookups: what names a related row. */
    static Set<String> keyColumns(EntitySchema related) {
        Set<String> out = new LinkedHashSet<>();
        if (related != null) {
            for (List<String> k : related.keys()) {
                for (String column : k) {
                    FieldDef f = related.field(column);
                    if (f == null || f.type() != FieldType.LOOKUP) {
                        out.add(column);
                    }
                }
            }
        }
        return out;
    }

    /** The primary id in an {@code OData-EntityId} header ({@code .../accounts(<guid>)}), or null. */
    static String idFromEntityId(String entityId) {
        if (entityId == null) {
            return null;
        }
        int open = entityId.lastIndexOf('(');
        int close = entityId.lastIndexOf(')');
        if (open < 0 || close < open) {
            return null;
        }
        String inner = entityId.substring(open + 1, close);
        return ODataText.isGuid(inner) ? inner : null;
    }
}
