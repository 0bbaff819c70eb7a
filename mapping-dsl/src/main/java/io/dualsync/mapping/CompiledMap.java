package io.dualsync.mapping;

import io.dualsync.mapping.expr.ValueFn;
import io.dualsync.mapping.expr.Values;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A checked map, compiled for evaluation: {@link #evaluate} turns one source record into the
 * target payload for one direction, applying the source filter, defaults, transforms, value maps
 * and coercions, with lookups left as {@link LookupRef}s for the engine to resolve. Nothing is
 * parsed or reflected on per record. Immutable and thread-safe.
 */
public final class CompiledMap {
    private final String name;
    private final String foEntity;
    private final List<String> foKey;
    private final String dataverseTable;
    private final List<String> dataverseKey;
    private final FieldMapping company;
    private final Map<Direction, String> filterText;
    private final ConflictPolicy conflict;
    private final List<FieldMapping> fields;
    private final List<BusinessEventBinding> events;
    private final Map<Direction, Plan> plans;
    private final Span span;

    CompiledMap(String name, String foEntity, List<String> foKey, String dataverseTable, List<String> dataverseKey,
                FieldMapping company, Map<Direction, String> filterText, ConflictPolicy conflict,
                List<FieldMapping> fields, List<BusinessEventBinding> events, Map<Direction, Plan> plans, Span span) {
        this.name = name;
        this.foEntity = foEntity;
        this.foKey = List.copyOf(foKey);
        this.dataverseTable = dataverseTable;
        this.dataverseKey = List.copyOf(dataverseKey);
        this.company = company;
        this.filterText = filterText;
        this.conflict = conflict;
        this.fields = List.copyOf(fields);
        this.events = List.copyOf(events);
        this.plans = plans;
        this.span = span;
    }

    public String name() {
        return name;
    }

    /** F&O entity set name, e.g. {@code CustomersV3}. */
    public String foEntity() {
        return foEntity;
    }

    public List<String> foKey() {
        return foKey;
    }

    /** Dataverse entity set name, e.g. {@code accounts}. */
    public String dataverseTable() {
        return dataverseTable;
    }

    public List<String> dataverseKey() {
        return dataverseKey;
    }

    public List<String> targetKey(Direction d) {
        return d == Direction.FO_TO_DATAVERSE ? dataverseKey : foKey;
    }

    /** The company line, or null when the map has none. */
    public FieldMapping company() {
        return company;
    }

    /** The source filter of a direction in its language's canonical form, or null. */
    public String filter(Direction d) {
        return filterText.get(d);
    }

    public ConflictPolicy conflict() {
        return conflict;
    }

    /** The conflict policy for one field (its own, or the map's). */
    public ConflictPolicy conflict(FieldMapping field) {
        return field.conflict() != null ? field.conflict() : conflict;
    }

    /** Field lines in file order, the company line excluded. */
    public List<FieldMapping> fields() {
        return fields;
    }

    /**
     * The F&O business events bound to this map's F&O entity ({@code event} lines), in file order;
     * empty when the map has none. Each fills every key field of {@link #foKey()}.
     */
    public List<BusinessEventBinding> events() {
        return events;
    }

    /** True when at least one field flows in direction {@code d}. */
    public boolean flows(Direction d) {
        return plans.containsKey(d);
    }

    public Span span() {
        return span;
    }

    /** True when the record passes the source filter of direction {@code d} (always true without one). */
    public boolean accepts(Direction d, Map<String, ?> source) {
        Plan plan = plans.get(d);
        return plan != null && (plan.filter == null || Values.isTrue(plan.filter.apply(source, null)));
    }

    /**
     * Maps one source record. Returns a payload that is not {@link Payload#accepted()} when the
     * source filter rejects the record or the map does not flow that way; never null.
     *
     * @throws MappingException when a value cannot be mapped (says which field and why)
     */
    public Payload evaluate(Direction d, Map<String, ?> source) {
        Plan plan = plans.get(d);
        if (plan == null) {
            return new Payload(false, new String[0], new LookupRef[0]);
        }
        if (plan.filter != null && !Values.isTrue(plan.filter.apply(source, null))) {
            return new Payload(false, plan.names, plan.lookups);
        }
        Payload out = new Payload(true, plan.names, plan.lookups);
        for (FieldPlan f : plan.fields) {
            Object v;
            if (f.source == null) {
                v = null;
            } else if (f.sourceHead != null) {
                v = source.get(f.sourceHead);
                if (v == null && !source.containsKey(f.sourceHead)) {
                    continue;
                }
            } else {
                if (!source.containsKey(f.source[0]) && !source.containsKey(f.sourceDotted)) {
                    continue;
                }
                v = Values.read(source, f.source);
            }
            if (v == null && f.hasDefault) {
                v = f.defaultValue;
            }
            try {
                for (ValueFn step : f.steps) {
                    v = step.apply(source, v);
                }
                if (f.coerceTo != null) {
                    v = Coercion.apply(f.coerceTo, v);
                }
            } catch (MappingException e) {
                throw new MappingException(f.target, "map " + name + ", " + d.word() + ", field " + f.target + ": "
                        + e.getMessage());
            }
            out.put(f.slot, v);
        }
        return out;
    }

    /** What one direction does, prepared once. */
    static final class Plan {
        final ValueFn filter;
        final String[] names;
        final LookupRef[] lookups;
        final FieldPlan[] fields;

        Plan(ValueFn filter, String[] names, LookupRef[] lookups, FieldPlan[] fields) {
            this.filter = filter;
            this.names = names;
            this.lookups = lookups;
            this.fields = fields;
        }
    }

    /** One field of one direction: where to read, what to do, which slot to fill. */
    static final class FieldPlan {
        final String[] source;
        final String sourceHead;
        final String sourceDotted;
        final String target;
        final int slot;
        final boolean hasDefault;
        final Object defaultValue;
        final ValueFn[] steps;
        /** Conversion to the target's schema type, inlined rather than a step: it is on every field. */
        final io.dualsync.mapping.schema.FieldType coerceTo;

        FieldPlan(String[] source, String target, int slot, boolean hasDefault, Object defaultValue, ValueFn[] steps,
                  io.dualsync.mapping.schema.FieldType coerceTo) {
            if (source != null) {
                // Interned, like the field names Jackson hands over, so the per-record map look-ups
                // usually match on identity instead of comparing characters.
                source = source.clone();
                for (int i = 0; i < source.length; i++) {
                    source[i] = source[i].intern();
                }
            }
            this.source = source;
            this.sourceHead = source != null && source.length == 1 ? source[0] : null;
            this.sourceDotted = source == null ? null : String.join(".", source);
            this.target = target;
            this.slot = slot;
            this.hasDefault = hasDefault;
            this.defaultValue = defaultValue;
            this.steps = steps;
            this.coerceTo = coerceTo;
        }

        @Override
        public String toString() {
            return Arrays.toString(source) + " -> " + target;
        }
    }

    static Map<Direction, Plan> plans() {
        return new EnumMap<>(Direction.class);
    }
}
