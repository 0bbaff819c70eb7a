package io.dualsync.cli;

import io.dualsync.mapping.CompiledMap;
import io.dualsync.mapping.Direction;
import io.dualsync.mapping.FieldMapping;
import io.dualsync.mapping.MappingException;
import io.dualsync.mapping.Payload;
import io.dualsync.mapping.Side;
import io.dualsync.mapping.expr.Values;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.FieldDef;
import io.dualsync.mapping.schema.SchemaSet;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The end-of-demo check: do F&O and Dataverse hold the same data for every field the maps map?
 * Generic over the compiled maps, so a field added to a map is compared without touching this class.
 *
 * <p>For each map, records are paired by the map's Dataverse key (an F&O record's key is what the map
 * makes of it going to Dataverse, so the company line and any key transform count; text keys match
 * ignoring case, as company ids do). Only records the map syncs are paired: those its source filter
 * of that side accepts. A record on one side only is a difference. For a paired record, every field
 * line is compared in the direction it flows, both-ways fields F&O to Dataverse: the map is evaluated
 * on the source record (value maps, transforms, defaults, lookups as the related row's key) and the
 * result compared with the target record, lookups followed by their dotted path.
 *
 * <p>Equal means: null and "" alike; numbers by value (50000 = 50000.00); booleans and text exactly;
 * date-times as instants. F&O columns cannot be empty: F&O shows a field nobody set as its type's initial
 * value (0, the enum's first symbol, 1900-01-01), so such an F&O value equals an empty Dataverse column.
 *
 * <p>Pure: rows come from the {@link Rows} given to {@link #compare}, Dataverse rows as the Web API
 * returns them (a lookup as {@code _x_value} with the related row's guid, followed here through the
 * related table's rows). Holds no state between calls of {@link #compare}.
 */
final class DemoComparison {
    /** Every row of an entity set, as that side's API returns them. */
    interface Rows {
        List<Map<String, Object>> of(String entitySet);
    }

    /** One field (or record) that is not the same on both sides. */
    record Difference(String map, String key, String field, String detail) {
        @Override
        public String toString() {
            return map + " " + key + ": " + (field == null ? "" : field + ": ") + detail;
        }
    }

    /**
     * @param pairs       per map name, the records compared (pairs, plus those found on one side only)
     * @param fields      field lines compared, over every map
     * @param differences in map, key and field order
     */
    record Result(Map<String, Integer> pairs, int fields, List<Difference> differences) {
        boolean equal() {
            return differences.isEmpty();
        }

        /** {@code 111 customers, 40 vendors}. */
        String counts() {
            return pairs.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
        }
    }

    private final List<CompiledMap> maps;
    private final SchemaSet schemas;

    DemoComparison(List<CompiledMap> maps, SchemaSet schemas) {
        this.maps = List.copyOf(maps);
        this.schemas = schemas;
    }

    /** The number of field lines of the maps: what "every mapped field" counts. */
    static int fieldCount(List<CompiledMap> maps) {
        return maps.stream().mapToInt(m -> m.fields().size()).sum();
    }

    Result compare(Rows fo, Rows dataverse) {
        Related related = new Related(dataverse);
        Map<String, Integer> pairs = new LinkedHashMap<>();
        List<Difference> differences = new ArrayList<>();
        for (CompiledMap map : maps) {
            pairs.put(map.name(), compare(map, fo, dataverse, related, differences));
        }
        return new Result(pairs, fieldCount(maps), differences);
    }

    /** A record of one side: its values, what the map makes of them, its key as shown. */
    private record Mapped(Map<String, Object> values, Evaluated mapped, String shownKey) {
    }

    /** The map's output for one record; a field whose value cannot be mapped is in {@code problems}. */
    private record Evaluated(Map<String, Object> values, Map<String, String> problems) {
        static final Evaluated NONE = new Evaluated(Map.of(), Map.of());
    }

    private int compare(CompiledMap map, Rows fo, Rows dataverse, Related related, List<Difference> differences) {
        EntitySchema foSchema = schemas.get(Side.FO, map.foEntity());
        EntitySchema dvSchema = schemas.get(Side.DATAVERSE, map.dataverseTable());
        List<FieldMapping> lines = new ArrayList<>(map.fields());
        if (map.company() != null) {
            lines.add(map.company());
        }
        Map<String, Mapped> foByKey = new TreeMap<>();
        for (Map<String, Object> row : fo.of(map.foEntity())) {
            Map<String, Object> values = foRecord(row, lines);
            if (!syncs(map, Direction.FO_TO_DATAVERSE, values)) {
                continue;
            }
            Evaluated mapped = evaluate(map, Direction.FO_TO_DATAVERSE, values, lines);
            List<Object> key = new ArrayList<>();
            for (String path : map.dataverseKey()) {
                key.add(map.flows(Direction.FO_TO_DATAVERSE) ? mapped.values().get(path) : values.get(foFieldOf(lines, path)));
            }
            foByKey.put(pairKey(key), new Mapped(values, mapped, shown(key)));
        }
        Map<String, Mapped> dvByKey = new TreeMap<>();
        for (Map<String, Object> row : dataverse.of(map.dataverseTable())) {
            Map<String, Object> values = dataverseRecord(row, dvSchema, lines, related);
            if (!syncs(map, Direction.DATAVERSE_TO_FO, values)) {
                continue;
            }
            List<Object> key = new ArrayList<>();
            for (String path : map.dataverseKey()) {
                key.add(read(values, path));
            }
            dvByKey.put(pairKey(key), new Mapped(values, evaluate(map, Direction.DATAVERSE_TO_FO, values, lines), shown(key)));
        }

        TreeSet<String> keys = new TreeSet<>(foByKey.keySet());
        keys.addAll(dvByKey.keySet());
        for (String key : keys) {
            Mapped f = foByKey.get(key);
            Mapped d = dvByKey.get(key);
            if (f == null) {
                differences.add(new Difference(map.name(), d.shownKey(), null, "only in Dataverse (" + map.dataverseTable() + ")"));
            } else if (d == null) {
                differences.add(new Difference(map.name(), f.shownKey(), null, "only in F&O (" + map.foEntity() + ")"));
            } else {
                for (FieldMapping line : map.fields()) {
                    String problem = compareField(line, f, d, foSchema);
                    if (problem != null) {
                        differences.add(new Difference(map.name(), d.shownKey(), describe(line), problem));
                    }
                }
            }
        }
        return keys.size();
    }

    /**
     * Null when the field is the same on both sides, else what differs. A field is compared in the
     * direction it flows (both-ways: F&O to Dataverse).
     */
    private static String compareField(FieldMapping line, Mapped fo, Mapped dv, EntitySchema foSchema) {
        boolean forward = line.flows(Direction.FO_TO_DATAVERSE);
        Direction d = forward ? Direction.FO_TO_DATAVERSE : Direction.DATAVERSE_TO_FO;
        Mapped source = forward ? fo : dv;
        Mapped target = forward ? dv : fo;
        String targetField = line.targetField(d);
        Object foValue = line.foField() == null ? null : read(fo.values(), line.foField());
        Object dvValue = line.dataverseField() == null ? null : read(dv.values(), line.dataverseField());
        String problem = source.mapped().problems().get(targetField);
        if (problem != null) {
            return "F&O " + Values.show(foValue) + ", Dataverse " + Values.show(dvValue) + ": " + problem;
        }
        Object expected = source.mapped().values().get(targetField);
        Object actual = read(target.values(), targetField);
        if (same(expected, actual)) {
            return null;
        }
        if (line.foField() != null && line.dataverseField() != null && empty(dvValue)
                && isInitial(foSchema, line.foField(), foValue)) {
            return null;
        }
        return forward
                ? "F&O " + Values.show(foValue) + mapsTo(foValue, expected) + ", Dataverse " + Values.show(actual)
                : "Dataverse " + Values.show(dvValue) + mapsTo(dvValue, expected) + ", F&O " + Values.show(actual);
    }

    private static String mapsTo(Object source, Object mapped) {
        return same(source, mapped) ? "" : " (maps to " + Values.show(mapped) + ")";
    }

    private static String describe(FieldMapping line) {
        String arrow = switch (line.direction()) {
            case BOTH -> " <-> ";
            case FO_TO_DATAVERSE -> " -> ";
            case DATAVERSE_TO_FO -> " <- ";
        };
        return (line.foField() == null ? "none" : line.foField()) + arrow
                + (line.dataverseField() == null ? "none" : line.dataverseField());
    }

    private static boolean syncs(CompiledMap map, Direction d, Map<String, Object> values) {
        return !map.flows(d) || map.accepts(d, values);
    }

    /**
     * Evaluates the map on one record. A value the map cannot translate fails the whole evaluation:
     * that field is noted as a problem and left out (its source read as empty), the rest evaluated again.
     */
    private static Evaluated evaluate(CompiledMap map, Direction d, Map<String, Object> record, List<FieldMapping> lines) {
        if (!map.flows(d)) {
            return Evaluated.NONE;
        }
        Map<String, Object> source = new HashMap<>(record);
        Map<String, String> problems = new LinkedHashMap<>();
        for (int attempt = 0; attempt <= lines.size(); attempt++) {
            try {
                Payload p = map.evaluate(d, source);
                return new Evaluated(p.toMap(), problems);
            } catch (MappingException e) {
                FieldMapping line = lines.stream().filter(l -> l.flows(d) && e.field() != null
                        && e.field().equals(l.targetField(d))).findFirst().orElse(null);
                if (line == null || line.sourceField(d) == null || problems.containsKey(e.field())) {
                    throw e;
                }
                problems.put(e.field(), e.getMessage());
                source.put(head(line.sourceField(d)), null);
            }
        }
        throw new IllegalStateException("map " + map.name() + " could not be evaluated on " + record);
    }

    /** An F&O row with "" read as null and every mapped field present, so the map evaluates every field. */
    private static Map<String, Object> foRecord(Map<String, Object> row, List<FieldMapping> lines) {
        Map<String, Object> out = new HashMap<>();
        row.forEach((k, v) -> {
            if (k.indexOf('@') < 0) {
                out.put(k, emptyToNull(v));
            }
        });
        for (FieldMapping line : lines) {
            if (line.foField() != null) {
                out.putIfAbsent(head(line.foField()), null);
            }
        }
        return out;
    }

    /**
     * A Dataverse row with its lookups followed: {@code _x_value} (a guid) becomes {@code x}, the related
     * row, so {@code x.key} paths read the related row's column, as the engine's reads give them.
     */
    private static Map<String, Object> dataverseRecord(Map<String, Object> row, EntitySchema schema, List<FieldMapping> lines,
                                                       Related related) {
        Map<String, Object> out = new HashMap<>();
        row.forEach((k, v) -> {
            if (k.indexOf('@') >= 0) {
                return;
            }
            if (k.startsWith("_") && k.endsWith("_value") && k.length() > 7) {
                String column = k.substring(1, k.length() - "_value".length());
                FieldDef f = schema == null ? null : schema.field(column);
                out.put(column, v == null || f == null || f.target() == null ? null : related.row(f.target(), v.toString()));
            } else {
                out.put(k, emptyToNull(v));
            }
        });
        for (FieldMapping line : lines) {
            if (line.dataverseField() != null) {
                out.putIfAbsent(head(line.dataverseField()), null);
            }
        }
        return out;
    }

    /** Related Dataverse tables, read once each when a lookup first needs them, by primary id. */
    private final class Related {
        private final Rows dataverse;
        private final Map<String, Map<String, Map<String, Object>>> tables = new HashMap<>();

        Related(Rows dataverse) {
            this.dataverse = dataverse;
        }

        /** The related row, or null when it does not exist. */
        Map<String, Object> row(String entitySet, String id) {
            return tables.computeIfAbsent(entitySet, this::load).get(id.toLowerCase(Locale.ROOT));
        }

        private Map<String, Map<String, Object>> load(String entitySet) {
            EntitySchema schema = schemas.get(Side.DATAVERSE, entitySet);
            if (schema == null || schema.primaryId() == null) {
                throw new IllegalStateException("cannot follow lookups to " + entitySet + ": no schema with its primary id");
            }
            Map<String, Map<String, Object>> byId = new HashMap<>();
            for (Map<String, Object> r : dataverse.of(entitySet)) {
                Object id = r.get(schema.primaryId());
                if (id != null) {
                    byId.put(id.toString().toLowerCase(Locale.ROOT), r);
                }
            }
            return byId;
        }
    }

    private static String foFieldOf(List<FieldMapping> lines, String dataversePath) {
        return lines.stream().filter(l -> dataversePath.equals(l.dataverseField())).map(FieldMapping::foField)
                .findFirst().orElse(dataversePath);
    }

    /** Keys match ignoring case, as company ids and both services' text comparisons do. */
    private static String pairKey(List<Object> values) {
        StringJoiner j = new StringJoiner("\u0000");
        values.forEach(v -> j.add(String.valueOf(Values.key(v))));
        return j.toString();
    }

    private static String shown(List<Object> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining("/"));
    }

    private static Object read(Map<String, Object> record, String path) {
        return Values.read(record, path.split("\\."));
    }

    private static String head(String path) {
        int dot = path.indexOf('.');
        return dot < 0 ? path : path.substring(0, dot);
    }

    private static Object emptyToNull(Object v) {
        return "".equals(v) ? null : v;
    }

    static boolean empty(Object v) {
        return v == null || "".equals(v);
    }

    /** Equal for the comparison: see the class comment. */
    static boolean same(Object a, Object b) {
        if (empty(a) || empty(b)) {
            return empty(a) && empty(b);
        }
        if (a instanceof Number || b instanceof Number) {
            BigDecimal x = decimal(a);
            BigDecimal y = decimal(b);
            return x != null && y != null && x.compareTo(y) == 0;
        }
        if (a instanceof Boolean || b instanceof Boolean) {
            return a.toString().equals(b.toString());
        }
        if (a.equals(b)) {
            return true;
        }
        Instant x = instant(a.toString());
        return x != null && x.equals(instant(b.toString()));
    }

    private static BigDecimal decimal(Object v) {
        if (v instanceof Number n) {
            return Values.decimal(n);
        }
        return Values.parseDecimal(v.toString());
    }

    private static Instant instant(String s) {
        if (s.length() < 10 || !Character.isDigit(s.charAt(0))) {
            return null;
        }
        try {
            return s.length() == 10 ? LocalDate.parse(s).atStartOfDay().toInstant(java.time.ZoneOffset.UTC)
                    : OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** True when {@code v} is what F&O shows for a field of this type that nobody set. */
    static boolean isInitial(EntitySchema foSchema, String field, Object v) {
        if (empty(v)) {
            return true;
        }
        FieldDef f = foSchema == null ? null : foSchema.field(field);
        if (f == null) {
            return false;
        }
        switch (f.type()) {
            case INTEGER:
            case DECIMAL:
                BigDecimal d = decimal(v);
                return d != null && d.signum() == 0;
            case BOOLEAN:
                return Boolean.FALSE.equals(v) || "false".equalsIgnoreCase(v.toString());
            case ENUM:
                return !f.symbols().isEmpty() && f.symbols().get(0).equalsIgnoreCase(v.toString());
            case DATE:
            case DATETIME:
                return Instant.parse("1900-01-01T00:00:00Z").equals(instant(v.toString()));
            case GUID:
                return v.toString().replace("-", "").chars().allMatch(c -> c == '0');
            default:
                return false;
        }
    }
}
