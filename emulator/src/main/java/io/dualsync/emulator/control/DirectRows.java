package io.dualsync.emulator.control;

import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.store.Row;
import io.dualsync.emulator.store.Table;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.FieldDef;
import io.dualsync.mapping.schema.FieldType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Writes rows straight into an emulator's store the way its API stores them (brief "Storage
 * conventions"), without publishing change events: for the control API's {@code /_emulator/rows} and for
 * seed data. Values are coerced to the stored types by the table's schema (integer and choice as Long,
 * decimal as BigDecimal, guid and lookup as lower-case text, datetime as ISO UTC text); Dataverse rows get
 * their primary id (generated when absent), {@code createdon}, {@code modifiedon} and {@code versionnumber};
 * F&O rows are stored under their entity key. Must be called on the emulator's event loop (or before its
 * server starts).
 */
public final class DirectRows {
    /** A value or row that does not fit the table (answered 400 by the control API). */
    public static final class BadRowException extends RuntimeException {
        BadRowException(String message) {
            super(message, null, false, false);
        }
    }

    /** The row, or one of its keys, is already there (answered 409 by the control API). */
    public static final class ConflictException extends RuntimeException {
        ConflictException(String message) {
            super(message, null, false, false);
        }
    }

    private final EmulatorContext ctx;
    private final Clock clock;

    public DirectRows(EmulatorContext ctx) {
        this(ctx, Clock.systemUTC());
    }

    DirectRows(EmulatorContext ctx, Clock clock) {
        this.ctx = ctx;
        this.clock = clock;
    }

    /** The table of {@code entitySet}, or a {@link BadRowException} naming the tables there are. */
    public Table table(String entitySet) {
        Table t = ctx.store().table(entitySet);
        if (t == null) {
            List<String> names = new ArrayList<>();
            ctx.store().tables().forEach(x -> names.add(x.entitySet()));
            throw new BadRowException("no table '" + entitySet + "' in this emulator; it has " + names);
        }
        return t;
    }

    /** Inserts one row; returns it as stored. */
    public Row insert(String entitySet, Map<String, ?> values) {
        return insertAll(entitySet, List.of(values)).get(0);
    }

    /** Inserts rows all or nothing: every row is checked (values, ids, keys) before the first is written. */
    public List<Row> insertAll(String entitySet, List<? extends Map<String, ?>> rows) {
        Table t = table(entitySet);
        List<Map<String, Object>> prepared = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        Set<String> seenIds = new HashSet<>();
        Set<String> seenKeys = new HashSet<>();
        for (Map<String, ?> raw : rows) {
            Map<String, Object> values = coerce(t, raw);
            String id = newId(t, values);
            if (t.get(id) != null || !seenIds.add(id)) {
                throw new ConflictException(t.entitySet() + ": a row with " + describeId(t, values, id) + " already exists");
            }
            checkKeys(t, values, null);
            for (List<String> key : t.schema().keys()) {
                if (hasAll(key, values) && !seenKeys.add(key + "=" + Table.keyOf(key, values))) {
                    throw new ConflictException(t.entitySet() + ": two rows have the same " + key);
                }
            }
            prepared.add(values);
            ids.add(id);
        }
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < prepared.size(); i++) {
            Map<String, Object> values = prepared.get(i);
            stampForWrite(t, values, null, values.containsKey("modifiedon"));
            out.add(t.insert(ids.get(i), values));
        }
        return out;
    }

    /**
     * Replaces the row {@code id} (the Dataverse guid or the F&O id from {@link #idOf}) with {@code raw}, or
     * inserts it when absent. {@code merge} keeps the columns {@code raw} does not name.
     */
    public Row put(String entitySet, String id, Map<String, ?> raw, boolean merge) {
        Table t = table(entitySet);
        Row old = t.get(id);
        Map<String, Object> values = new LinkedHashMap<>();
        if (merge && old != null) {
            values.putAll(old.values());
        }
        Map<String, Object> given = coerce(t, raw);
        values.putAll(given);
        if (dataverse()) {
            String primary = t.schema().primaryId();
            Object bodyId = values.get(primary);
            if (bodyId != null && !bodyId.toString().equalsIgnoreCase(id)) {
                throw new BadRowException(primary + " in the body (" + bodyId + ") is not the id in the URL (" + id + ")");
            }
            values.put(primary, id.toLowerCase(Locale.ROOT));
        } else {
            if (old != null) {
                for (String k : t.schema().keys().get(0)) {
                    values.putIfAbsent(k, old.get(k)); // the URL names the key: the body need not repeat it
                }
            }
            if (!id.equals(newId(t, values))) {
                throw new BadRowException("the key fields in the body do not match the key in the URL");
            }
        }
        checkKeys(t, values, old);
        boolean modifiedGiven = given.containsKey("modifiedon");
        if (old == null) {
            stampForWrite(t, values, null, modifiedGiven);
            return t.insert(id, values);
        }
        stampForWrite(t, values, old, modifiedGiven);
        return t.replace(old, values);
    }

    public Row delete(String entitySet, String id) {
        Table t = table(entitySet);
        Row old = t.get(id);
        return old == null ? null : t.delete(old);
    }

    /**
     * The stored id a URL names: a Dataverse guid (optionally in parentheses), or an F&O key predicate
     * {@code dataAreaId='usmf',CustomerAccount='US-001'} (a bare {@code 'V'} for single-field keys).
     */
    public String idOf(String entitySet, String urlId) {
        Table t = table(entitySet);
        String text = urlId.trim();
        if (text.startsWith("(") && text.endsWith(")")) {
            text = text.substring(1, text.length() - 1);
        }
        if (dataverse()) {
            return guid(t.schema().primaryId(), text);
        }
        List<String> key = t.schema().keys().get(0);
        Map<String, Object> values = KeyPredicate.parse(text, key);
        return newId(t, coerce(t, values));
    }

    // ---- ids, keys and system columns ----

    private boolean dataverse() {
        return ctx.kind() == EmulatorContext.Kind.DATAVERSE;
    }

    private String newId(Table t, Map<String, Object> values) {
        EntitySchema s = t.schema();
        if (dataverse()) {
            String primary = s.primaryId();
            Object id = values.get(primary);
            if (id == null) {
                id = UUID.randomUUID().toString();
                values.put(primary, id);
            }
            return id.toString();
        }
        if (s.keys().isEmpty()) {
            throw new BadRowException(t.entitySet() + " has no key in its schema");
        }
        defaultCompany(t, values);
        List<String> key = s.keys().get(0);
        List<String> missing = new ArrayList<>();
        for (String k : key) {
            if (values.get(k) == null) {
                missing.add(k);
            }
        }
        if (!missing.isEmpty()) {
            throw new BadRowException(t.entitySet() + " rows need " + missing + " (part of its key " + key + ")");
        }
        return Table.keyOf(key, values);
    }

    /** F&O creates rows in the caller's default company when dataAreaId is not given; it shows it in lower case. */
    private void defaultCompany(Table t, Map<String, Object> values) {
        String company = t.schema().company();
        if (dataverse() || company == null || !"dataAreaId".equals(company)) {
            return;
        }
        Object v = values.get(company);
        values.put(company, (v == null ? ctx.options().foDefaultCompany : v.toString()).toLowerCase(Locale.ROOT));
    }

    private static String describeId(Table t, Map<String, Object> values, String id) {
        if (t.schema().primaryId() != null) {
            return t.schema().primaryId() + " " + id;
        }
        List<String> key = t.schema().keys().get(0);
        return "key " + key + " = " + keyText(key, values);
    }

    private static String keyText(List<String> key, Map<String, Object> values) {
        List<String> parts = new ArrayList<>();
        for (String k : key) {
            parts.add(String.valueOf(values.get(k)));
        }
        return String.join(", ", parts);
    }

    private static void checkKeys(Table t, Map<String, Object> values, Row self) {
        for (List<String> key : t.schema().keys()) {
            if (!hasAll(key, values)) {
                continue;
            }
            Row other = t.findByKey(key, values);
            if (other != null && (self == null || !other.id().equals(self.id()))) {
                throw new ConflictException(t.entitySet() + ": another row has " + key + " = " + keyText(key, values));
            }
        }
    }

    private static boolean hasAll(List<String> key, Map<String, Object> values) {
        for (String k : key) {
            if (values.get(k) == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Dataverse system columns kept on every write, as the Web API keeps them; versionnumber is the row
     * version. {@code modifiedon} given in the body is kept (tests set it to place rows in time).
     */
    private void stampForWrite(Table t, Map<String, Object> values, Row old, boolean modifiedGiven) {
        if (!dataverse()) {
            return;
        }
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        if (values.get("createdon") == null) {
            values.put("createdon", old != null && old.get("createdon") != null ? old.get("createdon") : now);
        }
        if (!modifiedGiven || values.get("modifiedon") == null) {
            values.put("modifiedon", now);
        }
        // Table.insert/replace take the next version of the store's single sequence.
        values.put("versionnumber", ctx.store().currentVersion() + 1);
    }

    // ---- values ----

    /** {@code raw} with each value converted to the stored type of its column. */
    Map<String, Object> coerce(Table t, Map<String, ?> raw) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : raw.entrySet()) {
            String name = e.getKey();
            if (name.startsWith("@")) {
                continue; // @odata.etag and other annotations
            }
            FieldDef f = t.schema().field(name);
            if (f == null && name.startsWith("_") && name.endsWith("_value")) {
                // The Web API's name of a lookup's value: _msdyn_customergroupid_value.
                FieldDef lookup = t.schema().field(name.substring(1, name.length() - "_value".length()));
                if (lookup != null && lookup.type() == FieldType.LOOKUP) {
                    f = lookup;
                    name = lookup.name();
                }
            }
            out.put(name, value(t, name, f, e.getValue()));
        }
        return out;
    }

    private static Object value(Table t, String name, FieldDef f, Object v) {
        if (v == null) {
            return null;
        }
        String where = t.entitySet() + "." + name;
        if (f == null) {
            // Not in the schema: keep it, in the stored types.
            if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
                return ((Number) v).longValue();
            }
            if (v instanceof Double || v instanceof Float) {
                return new BigDecimal(v.toString());
            }
            return v;
        }
        switch (f.type()) {
            case STRING:
                return text(where, v);
            case ENUM: {
                String s = text(where, v);
                for (String symbol : f.symbols()) {
                    if (symbol.equalsIgnoreCase(s)) {
                        return symbol;
                    }
                }
                throw new BadRowException(where + ": '" + s + "' is not one of " + f.symbols());
            }
            case DATE:
                try {
                    return LocalDate.parse(text(where, v)).toString();
                } catch (DateTimeParseException e) {
                    throw new BadRowException(where + ": '" + v + "' is not a date (yyyy-MM-dd)");
                }
            case DATETIME:
                try {
                    return OffsetDateTime.parse(text(where, v)).toInstant().toString();
                } catch (DateTimeParseException e) {
                    throw new BadRowException(where + ": '" + v + "' is not an ISO-8601 date-time with offset");
                }
            case INTEGER:
            case CHOICE:
                return integer(where, v);
            case DECIMAL:
                if (v instanceof Number n) {
                    return new BigDecimal(n.toString());
                }
                throw new BadRowException(where + ": expected a number, got " + v);
            case BOOLEAN:
                if (v instanceof Boolean b) {
                    return b;
                }
                throw new BadRowException(where + ": expected true or false, got " + v);
            case GUID:
            case LOOKUP:
                return guid(where, text(where, v));
            default:
                return v;
        }
    }

    private static String text(String where, Object v) {
        if (v instanceof String s) {
            return s;
        }
        throw new BadRowException(where + ": expected text, got " + v);
    }

    private static Long integer(String where, Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigDecimal || v instanceof BigInteger) {
            try {
                return new BigDecimal(v.toString()).longValueExact();
            } catch (ArithmeticException e) {
                // falls through to the error
            }
        }
        throw new BadRowException(where + ": expected a whole number, got " + v);
    }

    private static String guid(String where, String s) {
        try {
            if (s.length() == 36) {
                return UUID.fromString(s).toString();
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error
        }
        throw new BadRowException(where + ": '" + s + "' is not a guid");
    }
}
