package io.dualsync.mapping;

import io.dualsync.mapping.FieldMapping.ValuePair;
import io.dualsync.mapping.expr.Expr;
import io.dualsync.mapping.expr.ExprCompiler;
import io.dualsync.mapping.expr.ExprPrinter;
import io.dualsync.mapping.expr.ValueFn;
import io.dualsync.mapping.expr.Values;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.FieldDef;
import io.dualsync.mapping.schema.FieldType;
import io.dualsync.mapping.schema.SchemaSet;
import io.dualsync.mapping.syntax.Ast;
import io.dualsync.mapping.syntax.Ast.Arrow;
import io.dualsync.mapping.transform.Transform;
import io.dualsync.mapping.transform.Transforms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks one parsed map and compiles it. Every problem found goes to the diagnostics list; the
 * map compiles only when none of them is an error. Schemas, when loaded for the map's entities,
 * add the field, type, key, mandatory and read-only checks.
 */
final class MapChecker {
    private static final List<String> AS_TYPES = List.of("string", "integer", "decimal", "boolean", "date", "datetime", "guid");

    private final Ast.MapDecl decl;
    private final SchemaSet schemas;
    private final List<Diagnostic> out;
    private int errors;

    private Ast.EntityDecl fo;
    private Ast.EntityDecl dataverse;
    private Ast.CompanyDecl companyDecl;
    private final Map<Side, Ast.FilterDecl> filters = new EnumMap<>(Side.class);
    private Ast.ConflictDecl conflictDecl;
    private final List<Ast.FieldDecl> fieldDecls = new ArrayList<>();
    private final List<Ast.EventDecl> eventDecls = new ArrayList<>();
    private EntitySchema foSchema;
    private EntitySchema dvSchema;

    MapChecker(Ast.MapDecl decl, SchemaSet schemas, List<Diagnostic> out) {
        this.decl = decl;
        this.schemas = schemas;
        this.out = out;
    }

    /** The compiled map, or null when the map has errors. */
    CompiledMap check() {
        collect();
        if (fo == null) {
            error(DiagnosticCode.MISSING_FO_ENTITY, decl.name().span(), "map `" + decl.name().text() + "` names no F&O entity")
                    .hint("add a line `fo EntitySetName key Field1, Field2`");
        }
        if (dataverse == null) {
            error(DiagnosticCode.MISSING_DATAVERSE_TABLE, decl.name().span(), "map `" + decl.name().text() + "` names no Dataverse table")
                    .hint("add a line `dataverse entitysetname key column1, column2`");
        }
        foSchema = schemaFor(fo);
        dvSchema = schemaFor(dataverse);
        checkKey(fo, foSchema);
        checkKey(dataverse, dvSchema);
        ConflictPolicy mapPolicy = conflictDecl == null ? ConflictPolicy.DEFAULT : policy(conflictDecl.policy(), true);

        List<Checked> checked = new ArrayList<>();
        Checked company = null;
        if (companyDecl != null) {
            company = checkCompany();
            if (company != null) {
                checked.add(company);
            }
        }
        for (Ast.FieldDecl f : fieldDecls) {
            Checked c = checkField(f);
            if (c != null) {
                checked.add(c);
            }
        }
        Map<Direction, ValueFn> filterFns = new EnumMap<>(Direction.class);
        Map<Direction, String> filterText = new EnumMap<>(Direction.class);
        for (Ast.FilterDecl f : filters.values()) {
            checkFilter(f);
            Direction d = f.side() == Side.FO ? Direction.FO_TO_DATAVERSE : Direction.DATAVERSE_TO_FO;
            filterFns.put(d, ExprCompiler.compile(f.expr()));
            filterText.put(d, f.side() == Side.FO ? ExprPrinter.fo(f.expr()) : ExprPrinter.odata(f.expr()));
        }
        List<BusinessEventBinding> events = checkEvents();
        Set<Direction> flowing = flowingDirections();
        checkDuplicateTargets(checked);
        if (decl.complete()) {
            // With lines lost to syntax errors, "not mapped" would only repeat those errors.
            checkKeysMapped(flowing);
            checkMandatory(flowing);
        }
        if (errors > 0 || fo == null || dataverse == null) {
            return null;
        }
        Map<Direction, CompiledMap.Plan> plans = CompiledMap.plans();
        for (Direction d : flowing) {
            plans.put(d, plan(d, checked, filterFns.get(d)));
        }
        List<FieldMapping> fields = new ArrayList<>();
        for (Checked c : checked) {
            if (c != company) {
                fields.add(c.mapping);
            }
        }
        return new CompiledMap(decl.name().text(), fo.entitySet().text(), paths(fo.key()), dataverse.entitySet().text(),
                paths(dataverse.key()), company == null ? null : company.mapping, filterText, mapPolicy, fields, events,
                plans, decl.span());
    }

    // ---- declarations ---------------------------------------------------------------------------

    private void collect() {
        for (Ast.Item item : decl.items()) {
            if (item instanceof Ast.EntityDecl e) {
                if (e.side() == Side.FO) {
                    fo = once(fo, e, "the F&O entity");
                } else {
                    dataverse = once(dataverse, e, "the Dataverse table");
                }
            } else if (item instanceof Ast.CompanyDecl c) {
                companyDecl = once(companyDecl, c, "the company");
            } else if (item instanceof Ast.FilterDecl f) {
                filters.put(f.side(), once(filters.get(f.side()), f, "the " + f.side().word() + " filter"));
            } else if (item instanceof Ast.ConflictDecl c) {
                conflictDecl = once(conflictDecl, c, "the conflict policy");
            } else if (item instanceof Ast.FieldDecl f) {
                fieldDecls.add(f);
            } else if (item instanceof Ast.EventDecl e) {
                // Several events may announce one entity; the same id twice is found across all maps (MapCompiler).
                eventDecls.add(e);
            }
        }
    }

    private <T extends Ast.Item> T once(T previous, T current, String what) {
        if (previous != null) {
            error(DiagnosticCode.DUPLICATE_DECLARATION, current.span(), what + " is declared twice in map `" + decl.name().text() + "`")
                    .hint("the first is at " + previous.span().location() + "; keep one");
            return previous;
        }
        return current;
    }

    private EntitySchema schemaFor(Ast.EntityDecl e) {
        if (e == null || schemas.isEmpty()) {
            return null;
        }
        EntitySchema s = schemas.get(e.side(), e.entitySet().text());
        if (s == null) {
            List<String> known = schemas.all().stream().filter(x -> x.system() == e.side()).map(EntitySchema::entitySet).toList();
            warning(DiagnosticCode.NO_SCHEMA, e.entitySet().span(), "no schema for " + sideName(e.side()) + " entity `"
                    + e.entitySet().text() + "`; its fields are not checked").hint(Suggest.hint(e.entitySet().text(), known));
        }
        return s;
    }

    private void checkKey(Ast.EntityDecl e, EntitySchema schema) {
        if (e == null || schema == null) {
            return;
        }
        for (Ast.Path p : e.key()) {
            checkPath(p, e.side(), schema);
        }
        if (schema.keys().isEmpty()) {
            error(DiagnosticCode.MISSING_KEY, e.entitySet().span(), sideName(e.side()) + " entity `" + schema.entitySet()
                    + "` has no " + (e.side() == Side.DATAVERSE ? "alternate key" : "entity key") + " in its schema")
                    .hint("define an alternate key on the table: the integration key must identify a record (dual-write DIPV1003)");
            return;
        }
        Set<String> heads = e.key().stream().map(Ast.Path::head).collect(Collectors.toSet());
        for (List<String> key : schema.keys()) {
            if (new HashSet<>(key).equals(heads)) {
                return;
            }
        }
        String keys = schema.keys().stream().map(k -> String.join(", ", k)).collect(Collectors.joining("; "));
        Span span = e.key().get(0).span().to(e.key().get(e.key().size() - 1).span());
        error(DiagnosticCode.KEY_NOT_IN_SCHEMA, span, "`" + paths(e.key()).stream().collect(Collectors.joining(", "))
                + "` is not a key of " + schema.entitySet()).hint("its keys are: " + keys);
    }

    private ConflictPolicy policy(Ast.Policy p, boolean mapLevel) {
        ConflictPolicy.Kind kind = ConflictPolicy.Kind.parse(p.name().text());
        List<String> words = java.util.Arrays.stream(ConflictPolicy.Kind.values()).map(ConflictPolicy.Kind::word).toList();
        if (kind == null) {
            error(DiagnosticCode.UNKNOWN_CONFLICT_POLICY, p.name().span(), "unknown conflict policy `" + p.name().text() + "`")
                    .hint(orList(Suggest.hint(p.name().text(), words), "use one of " + String.join(", ", words)));
            return null;
        }
        if (kind == ConflictPolicy.Kind.MERGE && !mapLevel) {
            error(DiagnosticCode.BAD_CONFLICT_POLICY, p.name().span(), "`merge` is a policy for a whole map, not for one field")
                    .hint("a field takes fo-wins, dataverse-wins, last-writer-wins or manual");
            return null;
        }
        ConflictPolicy.Kind tie = null;
        if (p.tieBreak() != null) {
            if (kind != ConflictPolicy.Kind.MERGE) {
                error(DiagnosticCode.BAD_CONFLICT_POLICY, p.tieBreak().span(), "only `merge` takes a tie-break");
                return null;
            }
            tie = ConflictPolicy.Kind.parse(p.tieBreak().text());
            if (tie == null || tie == ConflictPolicy.Kind.MERGE) {
                error(DiagnosticCode.UNKNOWN_CONFLICT_POLICY, p.tieBreak().span(), "`" + p.tieBreak().text() + "` cannot break a merge tie")
                        .hint(orList(Suggest.hint(p.tieBreak().text(), words), "use fo-wins, dataverse-wins, last-writer-wins or manual"));
                return null;
            }
        } else if (kind == ConflictPolicy.Kind.MERGE) {
            // A merge still has to decide fields changed on both sides.
            tie = ConflictPolicy.Kind.LAST_WRITER_WINS;
        }
        return new ConflictPolicy(kind, tie);
    }

    // ---- business events ------------------------------------------------------------------------

    /**
     * Checks the {@code event} lines against the map's F&O key: each key field filled exactly once,
     * each from an event field of its own (ingest reads the event field by field), and nothing
     * filled that is not a key field.
     */
    private List<BusinessEventBinding> checkEvents() {
        List<BusinessEventBinding> bindings = new ArrayList<>();
        if (fo == null) {
            return bindings; // E101 already says the map has no F&O entity, hence no key to fill
        }
        List<String> keyFields = paths(fo.key());
        for (Ast.EventDecl e : eventDecls) {
            int errorsBefore = errors;
            Map<String, Ast.EventKey> byKey = new LinkedHashMap<>();
            Map<String, Ast.EventKey> byEventField = new HashMap<>();
            boolean misspelt = false;
            for (Ast.EventKey k : e.keys()) {
                String key = k.keyField().dotted();
                if (!keyFields.contains(key)) {
                    misspelt = true;
                    error(DiagnosticCode.EVENT_FIELD_NOT_A_KEY, k.keyField().span(), "`" + key + "` is not a key field of "
                            + fo.entitySet().text() + ", so event `" + e.id().text() + "` cannot fill it")
                            .hint(orList(Suggest.hint(key, keyFields), "the map's F&O key is " + String.join(", ", keyFields)));
                    continue;
                }
                Ast.EventKey first = byKey.putIfAbsent(key, k);
                if (first != null) {
                    error(DiagnosticCode.EVENT_KEY_NOT_FILLED, k.span(), "key field `" + key + "` is filled twice by event `"
                            + e.id().text() + "`").hint("the first is at " + first.span().location() + "; keep one");
                    continue;
                }
                Ast.EventKey sameField = byEventField.putIfAbsent(k.eventField().text(), k);
                if (sameField != null) {
                    error(DiagnosticCode.EVENT_KEY_NOT_FILLED, k.eventField().span(), "event field `" + k.eventField().text()
                            + "` already fills `" + sameField.keyField().dotted() + "`; one event field fills one key field")
                            .hint("name the event field that carries `" + key + "`");
                }
            }
            // A field that is not a key is most likely a misspelt key field: saying it is also missing would repeat that.
            for (String key : misspelt ? List.<String>of() : keyFields) {
                if (!byKey.containsKey(key)) {
                    boolean company = companyDecl != null && companyDecl.fo().dotted().equals(key);
                    error(DiagnosticCode.EVENT_KEY_NOT_FILLED, e.id().span(), "event `" + e.id().text() + "` does not fill key field `"
                            + key + "` of " + fo.entitySet().text() + ", so the record it announces cannot be read")
                            .hint(company ? "add `" + key + " = BusinessEventLegalEntity`: the event's legal entity"
                                    : "add `" + key + " = EventField`, naming the contract field that carries it");
                }
            }
            if (errors == errorsBefore) {
                Map<String, String> fields = new LinkedHashMap<>();
                byKey.forEach((key, k) -> fields.put(key, k.eventField().text()));
                bindings.add(new BusinessEventBinding(e.id().text(), fields, e.span()));
            }
        }
        return bindings;
    }

    // ---- fields ---------------------------------------------------------------------------------

    /** A field line after checking: its description and what evaluation needs per direction. */
    private static final class Checked {
        FieldMapping mapping;
        Ast.Path foPath;
        Ast.Path dvPath;
        Span span;
        final Map<Direction, List<ValueFn>> steps = new EnumMap<>(Direction.class);
        /** The target schema type values are finally converted to, per direction (absent: unchanged). */
        final Map<Direction, FieldType> coerce = new EnumMap<>(Direction.class);
        final Map<Direction, Object> defaults = new EnumMap<>(Direction.class);
        final Map<Direction, LookupRef> lookups = new EnumMap<>(Direction.class);
    }

    private Checked checkCompany() {
        Ast.CompanyDecl c = companyDecl;
        checkPath(c.fo(), Side.FO, foSchema);
        checkPath(c.dataverse(), Side.DATAVERSE, dvSchema);
        Checked k = new Checked();
        k.foPath = c.fo();
        k.dvPath = c.dataverse();
        k.span = c.span();
        for (Direction d : Direction.values()) {
            List<ValueFn> steps = new ArrayList<>();
            putCoercion(k, d, null, c.fo(), c.dataverse());
            k.steps.put(d, steps);
            LookupRef ref = lookupRef(targetPath(d, c.fo(), c.dataverse()), d);
            if (ref != null) {
                k.lookups.put(d, ref);
            }
        }
        k.mapping = new FieldMapping(c.fo().dotted(), c.dataverse().dotted(), FieldDirection.BOTH, List.of(), Map.of(),
                Map.of(), null, null, true, c.span());
        return k;
    }

    private Checked checkField(Ast.FieldDecl f) {
        int errorsBefore = errors;
        Arrow arrow = f.arrow();
        String label = label(f);
        if (f.fo() == null && arrow != Arrow.TO_DATAVERSE || f.dataverse() == null && arrow != Arrow.TO_FO) {
            Side noneSide = f.fo() == null ? Side.FO : Side.DATAVERSE;
            error(DiagnosticCode.NO_SOURCE, f.noneSpan(), "`none` on the " + sideName(noneSide) + " side cannot "
                    + (arrow == Arrow.BOTH ? "flow both ways" : "receive a value"))
                    .hint(noneSide == Side.FO ? "write `none -> field default VALUE`: a constant for Dataverse"
                            : "write `Field <- none default VALUE`: a constant for F&O");
            return null;
        }
        if (f.fo() != null) {
            checkPath(f.fo(), Side.FO, foSchema);
        }
        if (f.dataverse() != null) {
            checkPath(f.dataverse(), Side.DATAVERSE, dvSchema);
        }

        Ast.AsClause as = null;
        Ast.ValuesClause values = null;
        Ast.FieldConflictClause conflict = null;
        Ast.PipelineClause plain = null;
        Map<Side, Ast.PipelineClause> directed = new EnumMap<>(Side.class);
        Map<Side, Ast.DefaultClause> defaults = new EnumMap<>(Side.class);
        Ast.DefaultClause plainDefault = null;
        for (Ast.Clause c : f.clauses()) {
            if (c instanceof Ast.AsClause a) {
                as = onceClause(as, a, "`as`");
            } else if (c instanceof Ast.ValuesClause v) {
                values = onceClause(values, v, "`values`");
            } else if (c instanceof Ast.FieldConflictClause k) {
                conflict = onceClause(conflict, k, "`conflict`");
            } else if (c instanceof Ast.PipelineClause p) {
                if (p.to() == null) {
                    plain = onceClause(plain, p, "the pipeline");
                } else {
                    checkFlows(arrow, p.to(), p.span(), label);
                    directed.put(p.to(), onceClause(directed.get(p.to()), p, "`to " + p.to().word() + "`"));
                }
            } else if (c instanceof Ast.DefaultClause d) {
                if (d.to() == null) {
                    plainDefault = onceClause(plainDefault, d, "`default`");
                } else {
                    checkFlows(arrow, d.to(), d.span(), label);
                    defaults.put(d.to(), onceClause(defaults.get(d.to()), d, "`to " + d.to().word() + " default`"));
                }
            }
        }
        if (plain != null && !directed.isEmpty()) {
            error(DiagnosticCode.MIXED_PIPELINES, plain.span(), "this field has both a plain pipeline and `to "
                    + directed.keySet().iterator().next().word() + "` pipelines")
                    .hint("give each direction its own: `to dataverse | ...` and `to fo | ...`");
        }
        FieldType declared = null;
        if (as != null) {
            declared = FieldType.parse(as.type().text());
            if (declared == null || !AS_TYPES.contains(as.type().text())) {
                error(DiagnosticCode.UNKNOWN_TYPE, as.type().span(), "unknown type `" + as.type().text() + "`")
                        .hint(orList(Suggest.hint(as.type().text(), AS_TYPES), "use one of " + String.join(", ", AS_TYPES)));
                declared = null;
            }
        }
        ConflictPolicy fieldPolicy = conflict == null ? null : policy(conflict.policy(), false);

        Checked k = new Checked();
        k.foPath = f.fo();
        k.dvPath = f.dataverse();
        k.span = f.span();
        Map<Direction, List<String>> described = new EnumMap<>(Direction.class);
        List<ValuePair> valuePairs = values == null ? List.of() : valueMap(values, arrow, f);
        for (Side target : Side.values()) {
            if (!arrow.flowsTo(target)) {
                continue;
            }
            Direction d = Direction.towards(target);
            Ast.Path source = sourcePath(d, f.fo(), f.dataverse());
            Ast.DefaultClause def = defaults.getOrDefault(target, plainDefault);
            if (def != null) {
                k.defaults.put(d, literalFor(def.value(), declared, targetField(d, f.fo(), f.dataverse()), d));
            } else if (source == null) {
                error(DiagnosticCode.TARGET_WITHOUT_VALUE, f.noneSpan(), "`" + label + "` has no source and no default")
                        .hint("add `default VALUE`");
            }
            List<ValueFn> steps = new ArrayList<>();
            List<String> text = new ArrayList<>();
            FieldType type = source == null ? typeOfLiteral(def == null ? null : def.value().value()) : typeOf(source, d.source());
            Ast.PipelineClause pipeline = directed.get(target);
            if (pipeline != null) {
                type = pipeline(pipeline.calls(), false, steps, text, type);
            } else if (plain != null) {
                boolean backwards = arrow == Arrow.BOTH && d == Direction.DATAVERSE_TO_FO;
                if (backwards) {
                    checkInvertible(plain, label);
                }
                type = pipeline(plain.calls(), backwards, steps, text, type);
            }
            if (values != null) {
                steps.add(valueStep(valuePairs, d, label, declared != null ? declared : typeOf(targetPath(d, f.fo(), f.dataverse()), d.target())));
                type = null;
                checkValueMapAgainstSchema(values, valuePairs, f, d);
            }
            if (declared != null) {
                steps.add(Coercion.to(declared));
                type = declared;
            }
            Ast.Path targetPath = targetPath(d, f.fo(), f.dataverse());
            checkAssignable(type, values != null, targetPath, d, f);
            checkWritable(targetPath, d);
            putCoercion(k, d, declared, f.fo(), f.dataverse());
            k.steps.put(d, steps);
            if (!text.isEmpty()) {
                described.put(d, List.copyOf(text));
            }
            LookupRef ref = lookupRef(targetPath, d);
            if (ref != null) {
                k.lookups.put(d, ref);
            }
        }
        if (errors > errorsBefore) {
            return null;
        }
        FieldDirection dir = switch (arrow) {
            case BOTH -> FieldDirection.BOTH;
            case TO_DATAVERSE -> FieldDirection.FO_TO_DATAVERSE;
            case TO_FO -> FieldDirection.DATAVERSE_TO_FO;
        };
        k.mapping = new FieldMapping(f.fo() == null ? null : f.fo().dotted(), f.dataverse() == null ? null : f.dataverse().dotted(),
                dir, valuePairs, Collections.unmodifiableMap(new EnumMap<>(k.defaults)),
                Collections.unmodifiableMap(described),
                declared == null ? null : declared.word(), fieldPolicy, false, f.span());
        return k;
    }

    private <T extends Ast.Clause> T onceClause(T previous, T current, String what) {
        if (previous != null) {
            error(DiagnosticCode.DUPLICATE_DECLARATION, current.span(), what + " is written twice for this field")
                    .hint("keep one");
            return previous;
        }
        return current;
    }

    private void checkFlows(Arrow arrow, Side to, Span span, String label) {
        if (!arrow.flowsTo(to)) {
            error(DiagnosticCode.WRONG_DIRECTION, span, "`" + label + "` does not flow to " + sideName(to))
                    .hint("use `<->` to make it flow both ways, or drop this clause");
        }
    }

    private void checkInvertible(Ast.PipelineClause p, String label) {
        for (Ast.Call call : p.calls()) {
            Transform t = Transforms.get(call.name().text());
            if (t != null && t.inversion() == Transform.Inversion.ONE_WAY) {
                error(DiagnosticCode.NOT_INVERTIBLE, call.span(), "`" + call.name().text() + "` cannot be inverted, so `"
                        + label + "` cannot flow back from Dataverse to F&O")
                        .hint("make the field one-way (`->`), or give each direction its own pipeline: `to dataverse | "
                                + call.span().text() + "` and `to fo | ...`");
            }
        }
    }

    /** Compiles a pipeline, forwards or (for the way back of a both-ways field) inverted. */
    private FieldType pipeline(List<Ast.Call> calls, boolean backwards, List<ValueFn> steps, List<String> text, FieldType type) {
        List<ValueFn> built = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (Ast.Call call : calls) {
            Transform t = Transforms.get(call.name().text());
            if (t == null) {
                List<String> names = Transforms.all().stream().map(Transform::name).toList();
                error(DiagnosticCode.UNKNOWN_TRANSFORM, call.name().span(), "unknown transform `" + call.name().text() + "`")
                        .hint(orList(Suggest.hint(call.name().text(), names), "transforms: " + String.join(", ", names)));
                continue;
            }
            int n = call.args().size();
            if (n < t.minArgs() || n > t.maxArgs()) {
                String wanted = t.minArgs() == t.maxArgs() ? Integer.toString(t.minArgs())
                        : t.maxArgs() == Integer.MAX_VALUE ? "at least " + t.minArgs() : t.minArgs() + " or " + t.maxArgs();
                error(DiagnosticCode.BAD_TRANSFORM_ARGUMENTS, call.span(), "`" + t.name() + "` takes " + wanted
                        + " argument" + ("1".equals(wanted) ? "" : "s") + ", not " + n).hint(t.summary());
                continue;
            }
            List<ValueFn> args = new ArrayList<>();
            List<Object> literals = new ArrayList<>();
            boolean ok = true;
            for (int i = 0; i < n; i++) {
                Expr a = call.args().get(i);
                if (t.literalArg(i) && !(a instanceof Expr.Literal)) {
                    error(DiagnosticCode.BAD_TRANSFORM_ARGUMENTS, a.span(), "argument " + (i + 1) + " of `" + t.name()
                            + "` must be a literal").hint(t.summary());
                    ok = false;
                }
                args.add(ExprCompiler.compile(a));
                literals.add(a instanceof Expr.Literal l ? l.value() : null);
            }
            if (!ok) {
                continue;
            }
            try {
                if (backwards && t.inversion() == Transform.Inversion.INVERTIBLE) {
                    built.add(0, t.inverse(args, literals));
                    shown.add(0, "inverse(" + describe(call) + ")");
                } else if (backwards) {
                    built.add(0, t.build(args, literals));
                    shown.add(0, describe(call));
                } else {
                    built.add(t.build(args, literals));
                    shown.add(describe(call));
                    type = t.resultType(type);
                }
            } catch (IllegalArgumentException e) {
                error(DiagnosticCode.BAD_TRANSFORM_ARGUMENTS, call.span(), "`" + t.name() + "`: " + e.getMessage());
            }
        }
        if (backwards) {
            // The way back ends in the F&O field's own type; the coercion that follows sees to it.
            type = null;
        }
        steps.addAll(built);
        text.addAll(shown);
        return type;
    }

    /** A transform in canonical form, as {@code check --json} shows it. */
    private static String describe(Ast.Call call) {
        List<String> args = call.args().stream().map(ExprPrinter::fo).toList();
        if (call.name().text().equals("when")) {
            return "when " + args.get(0) + " then " + args.get(1) + " else " + args.get(2);
        }
        return args.isEmpty() ? call.name().text() : call.name().text() + "(" + String.join(", ", args) + ")";
    }

    private List<ValuePair> valueMap(Ast.ValuesClause values, Arrow arrow, Ast.FieldDecl f) {
        List<ValuePair> pairs = new ArrayList<>();
        Map<Object, Ast.ValuePair> foSeen = new HashMap<>();
        Map<Object, Ast.ValuePair> dvSeen = new HashMap<>();
        for (Ast.ValuePair p : values.pairs()) {
            Object fv = p.fo().value();
            Object dv = p.dataverse().value();
            Ast.ValuePair before = foSeen.putIfAbsent(Values.key(fv), p);
            if (before != null && arrow != Arrow.TO_FO) {
                error(DiagnosticCode.BAD_VALUE_MAP, p.fo().span(), "F&O value " + Values.show(fv) + " is mapped twice")
                        .hint("the first is at " + before.span().location());
            }
            Ast.ValuePair dvBefore = dvSeen.putIfAbsent(Values.key(dv), p);
            if (dvBefore != null && arrow != Arrow.TO_DATAVERSE) {
                error(DiagnosticCode.BAD_VALUE_MAP, p.dataverse().span(), "Dataverse value " + Values.show(dv) + " comes from both "
                        + Values.show(dvBefore.fo().value()) + " and " + Values.show(fv)
                        + (arrow == Arrow.BOTH ? ", so the way back to F&O is ambiguous" : ""))
                        .hint(arrow == Arrow.BOTH ? "a both-ways field needs a one-to-one value map; make the field `->` or give each value its own"
                                : "give each Dataverse value one F&O value");
            }
            pairs.add(new ValuePair(fv, dv));
        }
        return List.copyOf(pairs);
    }

    private ValueFn valueStep(List<ValuePair> pairs, Direction d, String label, FieldType targetType) {
        Map<Object, Object> table = new HashMap<>();
        // Most records carry a value exactly as the map spells it (an enum symbol, an option value):
        // look those up as they come before normalizing case and number scale.
        Map<Object, Object> exact = new HashMap<>();
        for (ValuePair p : pairs) {
            Object from = d == Direction.FO_TO_DATAVERSE ? p.fo() : p.dataverse();
            Object to = d == Direction.FO_TO_DATAVERSE ? p.dataverse() : p.fo();
            // Converted once here, so records do not pay for it (checkValueMapAgainstSchema reports misfits).
            to = convertQuietly(to, targetType);
            table.putIfAbsent(Values.key(from), to);
            if (from instanceof String) {
                exact.putIfAbsent(from, to);
            } else if (from instanceof java.math.BigDecimal n && n.stripTrailingZeros().scale() <= 0) {
                exact.putIfAbsent(n.longValueExact(), to);
            }
        }
        String known = pairs.stream().map(p -> Values.show(d == Direction.FO_TO_DATAVERSE ? p.fo() : p.dataverse()))
                .collect(Collectors.joining(", "));
        return (r, v) -> {
            Object probe = v instanceof Integer i ? Long.valueOf(i) : v;
            if (probe instanceof String || probe instanceof Long) {
                Object hit = exact.get(probe);
                if (hit != null || exact.containsKey(probe)) {
                    return hit;
                }
            }
            Object key = Values.key(v);
            Object hit = table.get(key);
            if (hit != null || table.containsKey(key)) {
                return hit;
            }
            if (v == null) {
                return null;
            }
            throw new MappingException(label, "value " + Values.show(v) + " is not in the value map (" + known + ")");
        };
    }

    private static Object convertQuietly(Object v, FieldType type) {
        if (v == null || type == null || type == FieldType.LOOKUP) {
            return v;
        }
        try {
            return Coercion.convert(v, type);
        } catch (MappingException e) {
            return v;
        }
    }

    private void checkValueMapAgainstSchema(Ast.ValuesClause values, List<ValuePair> pairs, Ast.FieldDecl f, Direction d) {
        if (d == Direction.DATAVERSE_TO_FO && f.arrow() == Arrow.BOTH) {
            return; // checked once, on the way to Dataverse
        }
        FieldDef foField = field(f.fo(), Side.FO);
        FieldDef dvField = field(f.dataverse(), Side.DATAVERSE);
        for (Ast.ValuePair p : values.pairs()) {
            if (foField != null && foField.type() == FieldType.ENUM && p.fo().value() != null
                    && foField.symbols().stream().noneMatch(s -> s.equalsIgnoreCase(String.valueOf(p.fo().value())))) {
                error(DiagnosticCode.UNKNOWN_VALUE, p.fo().span(), Values.show(p.fo().value()) + " is not a symbol of enum "
                        + foField.enumName() + " (" + f.fo().dotted() + ")")
                        .hint(orList(Suggest.hint(String.valueOf(p.fo().value()), foField.symbols()),
                                "its symbols: " + String.join(", ", foField.symbols())));
            }
            Object dv = p.dataverse().value();
            if (dvField != null && dvField.type() == FieldType.CHOICE && dv != null
                    && (!(dv instanceof Number n) || !dvField.options().containsValue(Values.decimal(n).intValue()))) {
                error(DiagnosticCode.UNKNOWN_VALUE, p.dataverse().span(), Values.show(dv) + " is not an option of "
                        + f.dataverse().dotted()).hint("its options: " + options(dvField));
            }
            if (dvField != null && dvField.type() == FieldType.BOOLEAN && dv != null && !(dv instanceof Boolean)) {
                error(DiagnosticCode.UNKNOWN_VALUE, p.dataverse().span(), Values.show(dv) + " is not true or false, and "
                        + f.dataverse().dotted() + " is a yes/no column");
            }
        }
        if (foField != null && foField.type() == FieldType.ENUM && f.arrow() != Arrow.TO_FO) {
            Set<Object> covered = pairs.stream().map(p -> Values.key(p.fo())).collect(Collectors.toSet());
            List<String> missing = foField.symbols().stream().filter(s -> !covered.contains(Values.key(s))).toList();
            if (!missing.isEmpty()) {
                warning(DiagnosticCode.PARTIAL_VALUE_MAP, values.span(), "the value map has no entry for "
                        + String.join(", ", missing) + " of enum " + foField.enumName() + "; records with "
                        + (missing.size() == 1 ? "that value" : "those values") + " will fail to map")
                        .hint("add them, mapping to null if they have no counterpart");
            }
        }
    }

    private Object literalFor(Expr.Literal lit, FieldType declared, Ast.Path target, Direction d) {
        FieldType t = declared;
        if (t == null && target != null) {
            FieldDef def = field(target, d.target());
            t = def == null ? null : def.type();
        }
        if (t == null || lit.value() == null || t == FieldType.LOOKUP) {
            return lit.value();
        }
        try {
            return Coercion.convert(lit.value(), t);
        } catch (MappingException e) {
            error(DiagnosticCode.BAD_LITERAL, lit.span(), e.getMessage() + ", but the field is " + t.word());
            return lit.value();
        }
    }

    /** The last step of every field: conversion to the target field's schema type, when known. */
    private void putCoercion(Checked k, Direction d, FieldType declared, Ast.Path foPath, Ast.Path dvPath) {
        Ast.Path target = targetPath(d, foPath, dvPath);
        FieldDef def = field(target, d.target());
        FieldType t = def == null ? null : def.type();
        if (t != null && t != declared && t != FieldType.LOOKUP) {
            k.coerce.put(d, t);
        }
    }

    // ---- schema lookups -------------------------------------------------------------------------

    /** Checks a path exists: the field, and for a lookup the related table's key column. */
    private void checkPath(Ast.Path p, Side side, EntitySchema schema) {
        if (schema == null) {
            return;
        }
        Ast.Ident head = p.parts().get(0);
        FieldDef def = schema.field(head.text());
        if (def == null) {
            error(DiagnosticCode.UNKNOWN_FIELD, head.span(), "unknown " + sideName(side) + " field `" + head.text() + "` in "
                    + schema.entitySet()).hint(Suggest.hint(head.text(), schema.fields().keySet()));
            return;
        }
        if (p.parts().size() == 1) {
            if (def.type() == FieldType.LOOKUP) {
                EntitySchema related = schemas.get(side, def.target());
                String key = related != null && !related.keys().isEmpty() ? related.keys().get(0).get(related.keys().get(0).size() - 1) : "key";
                error(DiagnosticCode.BAD_LOOKUP, head.span(), "`" + head.text() + "` is a lookup to " + def.target()
                        + "; name the related table's key column").hint("write `" + head.text() + "." + key + "`");
            }
            return;
        }
        if (def.type() != FieldType.LOOKUP) {
            error(DiagnosticCode.BAD_LOOKUP, p.span(), "`" + head.text() + "` is a " + def.type().word()
                    + " field, not a lookup, so `" + p.dotted() + "` leads nowhere").hint("write `" + head.text() + "`");
            return;
        }
        EntitySchema related = schemas.get(side, def.target());
        if (related != null) {
            Ast.Ident keyPart = p.parts().get(1);
            if (related.field(keyPart.text()) == null) {
                error(DiagnosticCode.UNKNOWN_FIELD, keyPart.span(), "unknown field `" + keyPart.text() + "` in "
                        + related.entitySet() + " (the table `" + head.text() + "` points at)")
                        .hint(Suggest.hint(keyPart.text(), related.fields().keySet()));
            }
        }
    }

    private FieldDef field(Ast.Path p, Side side) {
        if (p == null) {
            return null;
        }
        EntitySchema schema = side == Side.FO ? foSchema : dvSchema;
        if (schema == null) {
            return null;
        }
        FieldDef def = schema.field(p.head());
        if (def == null || p.parts().size() == 1) {
            return def;
        }
        EntitySchema related = def.type() == FieldType.LOOKUP ? schemas.get(side, def.target()) : null;
        return related == null ? null : related.field(p.parts().get(1).text());
    }

    private FieldType typeOf(Ast.Path p, Side side) {
        FieldDef def = field(p, side);
        return def == null ? null : def.type();
    }

    private static FieldType typeOfLiteral(Object v) {
        if (v instanceof String) {
            return FieldType.STRING;
        }
        if (v instanceof Boolean) {
            return FieldType.BOOLEAN;
        }
        if (v instanceof java.math.BigDecimal d) {
            return d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0 ? FieldType.INTEGER : FieldType.DECIMAL;
        }
        return null;
    }

    private LookupRef lookupRef(Ast.Path target, Direction d) {
        if (target == null || !target.isLookup() || d.target() != Side.DATAVERSE) {
            return null;
        }
        FieldDef def = dvSchema == null ? null : dvSchema.field(target.head());
        String rest = target.dotted().substring(target.head().length() + 1);
        return new LookupRef(target.head(), rest, def == null ? null : def.target());
    }

    private void checkAssignable(FieldType from, boolean valueMapped, Ast.Path target, Direction d, Ast.FieldDecl f) {
        FieldDef def = field(target, d.target());
        if (def == null || from == null) {
            return;
        }
        FieldType to = def.type();
        if (from.assignableTo(to)) {
            return;
        }
        Ast.Path source = sourcePath(d, f.fo(), f.dataverse());
        String sourceName = source == null ? "the default" : "`" + source.dotted() + "` (" + from.word() + ")";
        Diagnostic.Builder b = error(DiagnosticCode.TYPE_MISMATCH, target.span(), sourceName + " cannot be written to `"
                + target.dotted() + "` (" + to.word() + ")");
        if (!valueMapped && (from == FieldType.ENUM || to == FieldType.ENUM || to == FieldType.CHOICE || to == FieldType.BOOLEAN)) {
            b.hint("add a value map: " + suggestValueMap(f));
        } else if (from == FieldType.STRING) {
            b.hint("declare the type to convert it on the way: `as " + (to == FieldType.CHOICE ? "integer" : to.word()) + "`");
        }
    }


    /** A value map pairing enum symbols with option labels of the same name: what the user most likely wants. */
    private String suggestValueMap(Ast.FieldDecl f) {
        FieldDef foField = field(f.fo(), Side.FO);
        FieldDef dvField = field(f.dataverse(), Side.DATAVERSE);
        if (foField == null || dvField == null || foField.type() != FieldType.ENUM) {
            return "`values { FoValue = DataverseValue, ... }`";
        }
        List<String> pairs = new ArrayList<>();
        for (String s : foField.symbols()) {
            Object dv = null;
            if (dvField.type() == FieldType.CHOICE) {
                for (Map.Entry<String, Integer> o : dvField.options().entrySet()) {
                    if (o.getKey().replace(" ", "").equalsIgnoreCase(s)) {
                        dv = o.getValue();
                    }
                }
            } else if (dvField.type() == FieldType.BOOLEAN) {
                dv = s.equalsIgnoreCase("yes") ? Boolean.TRUE : s.equalsIgnoreCase("no") ? Boolean.FALSE : null;
            }
            pairs.add(s + " = " + Values.show(dv));
        }
        return "`values { " + String.join(", ", pairs) + " }`";
    }

    private void checkWritable(Ast.Path target, Direction d) {
        if (target == null) {
            return;
        }
        EntitySchema schema = d.target() == Side.FO ? foSchema : dvSchema;
        FieldDef def = schema == null ? null : schema.field(target.head());
        if (def != null && def.readOnly()) {
            error(DiagnosticCode.READ_ONLY_TARGET, target.parts().get(0).span(), "`" + target.head() + "` is read-only in "
                    + schema.entitySet() + "; " + sideName(d.target()) + " would reject the write")
                    .hint("make the field flow only from " + sideName(d.target()) + " (`" + (d.target() == Side.FO ? "->" : "<-") + "`)");
        }
    }

    private void checkFilter(Ast.FilterDecl f) {
        EntitySchema schema = f.side() == Side.FO ? foSchema : dvSchema;
        walkFilter(f.expr(), f.side(), schema);
    }

    private void walkFilter(Expr e, Side side, EntitySchema schema) {
        if (e instanceof Expr.Binary b) {
            walkFilter(b.left(), side, schema);
            walkFilter(b.right(), side, schema);
            if (b.op().isComparison()) {
                checkComparison(b, side, schema);
            } else {
                for (Expr operand : List.of(b.left(), b.right())) {
                    if (operand instanceof Expr.Literal || operand instanceof Expr.EnumLiteral) {
                        error(DiagnosticCode.BAD_FILTER, operand.span(), "`" + operand.span().text() + "` is a value, not a condition")
                                .hint("compare it with a field");
                    }
                }
            }
        } else if (e instanceof Expr.Not n) {
            walkFilter(n.operand(), side, schema);
        } else if (e instanceof Expr.Call c) {
            c.args().forEach(a -> walkFilter(a, side, schema));
        } else if (e instanceof Expr.Field fieldRef && schema != null) {
            checkPath(toPath(fieldRef), side, schema);
        }
    }

    private void checkComparison(Expr.Binary b, Side side, EntitySchema schema) {
        if (schema == null) {
            return;
        }
        Expr.Field field = b.left() instanceof Expr.Field l ? l : b.right() instanceof Expr.Field r ? r : null;
        Expr other = field == b.left() ? b.right() : b.left();
        if (field == null) {
            return;
        }
        FieldDef def = field(toPath(field), side);
        if (def == null) {
            return;
        }
        if (other instanceof Expr.EnumLiteral en) {
            if (def.type() != FieldType.ENUM) {
                error(DiagnosticCode.BAD_FILTER, en.span(), "`" + field.dotted() + "` is " + def.type().word() + ", not an enum");
            } else if (def.symbols().stream().noneMatch(s -> s.equalsIgnoreCase(en.symbol()))) {
                error(DiagnosticCode.UNKNOWN_VALUE, en.span(), "`" + en.symbol() + "` is not a symbol of " + field.dotted())
                        .hint(orList(Suggest.hint(en.symbol(), def.symbols()), "its symbols: " + String.join(", ", def.symbols())));
            }
            return;
        }
        if (!(other instanceof Expr.Literal lit) || lit.value() == null) {
            return;
        }
        Object v = lit.value();
        boolean numericField = def.type().isNumeric() || def.type() == FieldType.CHOICE;
        if (numericField && v instanceof String s && Values.parseDecimal(s) == null) {
            error(DiagnosticCode.BAD_FILTER, lit.span(), "`" + field.dotted() + "` is " + def.type().word()
                    + " but is compared with the text " + Values.show(v));
        } else if (def.type() == FieldType.CHOICE && v instanceof Number n
                && !def.options().containsValue(Values.decimal(n).intValue())) {
            error(DiagnosticCode.UNKNOWN_VALUE, lit.span(), Values.show(v) + " is not an option of " + field.dotted())
                    .hint("its options: " + options(def));
        } else if (def.type() == FieldType.ENUM && v instanceof String s
                && def.symbols().stream().noneMatch(x -> x.equalsIgnoreCase(s))) {
            error(DiagnosticCode.UNKNOWN_VALUE, lit.span(), Values.show(v) + " is not a symbol of " + field.dotted())
                    .hint(orList(Suggest.hint(s, def.symbols()), "its symbols: " + String.join(", ", def.symbols())));
        } else if (def.type() == FieldType.STRING && (v instanceof Number || v instanceof Boolean)) {
            error(DiagnosticCode.BAD_FILTER, lit.span(), "`" + field.dotted() + "` is text but is compared with "
                    + Values.show(v)).hint("quote the value");
        }
    }

    private static Ast.Path toPath(Expr.Field f) {
        List<Ast.Ident> parts = new ArrayList<>();
        int offset = f.span().start();
        for (String p : f.path()) {
            int at = f.span().file().text().indexOf(p, offset);
            at = at < 0 ? f.span().start() : at;
            parts.add(new Ast.Ident(p, Span.of(f.span().file(), at, at + p.length())));
            offset = at + p.length();
        }
        return new Ast.Path(parts, f.span());
    }

    // ---- whole-map checks -----------------------------------------------------------------------

    private Set<Direction> flowingDirections() {
        Set<Direction> flowing = java.util.EnumSet.noneOf(Direction.class);
        for (Ast.FieldDecl f : fieldDecls) {
            for (Direction d : Direction.values()) {
                if (f.arrow().flowsTo(d.target())) {
                    flowing.add(d);
                }
            }
        }
        return flowing;
    }

    private void checkDuplicateTargets(List<Checked> checked) {
        for (Direction d : Direction.values()) {
            Map<String, Checked> seen = new HashMap<>();
            for (Checked c : checked) {
                Ast.Path target = targetPath(d, c.foPath, c.dvPath);
                if (!c.steps.containsKey(d) || target == null) {
                    continue;
                }
                Checked first = seen.putIfAbsent(target.dotted(), c);
                if (first != null) {
                    warning(DiagnosticCode.TARGET_MAPPED_TWICE, target.span(), "`" + target.dotted() + "` is written twice "
                            + d.word() + "; the last line wins").hint("the first is at " + first.span.location());
                }
            }
        }
    }

    /**
     * The target fields each direction writes, from the lines as written (a line with an error still
     * names its target), so one mistake does not cascade into "key not mapped" or "mandatory" errors.
     */
    private Set<String> declaredTargets(Direction d) {
        Set<String> produced = new HashSet<>();
        if (companyDecl != null) {
            produced.add(targetPath(d, companyDecl.fo(), companyDecl.dataverse()).head());
        }
        for (Ast.FieldDecl f : fieldDecls) {
            Ast.Path t = targetPath(d, f.fo(), f.dataverse());
            if (t != null && f.arrow().flowsTo(d.target())) {
                produced.add(t.head());
            }
        }
        return produced;
    }

    private void checkKeysMapped(Set<Direction> flowing) {
        for (Direction d : flowing) {
            Ast.EntityDecl target = d.target() == Side.FO ? fo : dataverse;
            if (target == null) {
                continue;
            }
            Set<String> produced = declaredTargets(d);
            for (Ast.Path key : target.key()) {
                if (!produced.contains(key.head())) {
                    error(DiagnosticCode.KEY_NOT_MAPPED, key.span(), "key field `" + key.dotted() + "` of "
                            + target.entitySet().text() + " is not mapped " + d.word() + ", but the map flows that way")
                            .hint("map it both ways so a record can be found in either system (dual-write DIPV1004)");
                }
            }
        }
    }

    private void checkMandatory(Set<Direction> flowing) {
        for (Direction d : flowing) {
            EntitySchema schema = d.target() == Side.FO ? foSchema : dvSchema;
            Ast.EntityDecl entity = d.target() == Side.FO ? fo : dataverse;
            if (schema == null) {
                continue;
            }
            Set<String> produced = declaredTargets(d);
            for (FieldDef f : schema.fields().values()) {
                if (f.mandatory() && !f.readOnly() && !f.name().equals(schema.primaryId()) && !produced.contains(f.name())) {
                    error(DiagnosticCode.MANDATORY_NOT_MAPPED, entity.entitySet().span(), "mandatory field `" + f.name() + "` of "
                            + schema.entitySet() + " gets no value " + d.word())
                            .hint(d.target() == Side.DATAVERSE ? "map a field to it, or add `none -> " + f.name() + " default VALUE`"
                                    : "map a field to it, or add `" + f.name() + " <- none default VALUE`");
                }
            }
        }
    }

    // ---- evaluation plan ------------------------------------------------------------------------

    private CompiledMap.Plan plan(Direction d, List<Checked> checked, ValueFn filter) {
        Map<String, Integer> slots = new LinkedHashMap<>();
        List<LookupRef> lookups = new ArrayList<>();
        List<CompiledMap.FieldPlan> fields = new ArrayList<>();
        for (Checked c : checked) {
            if (!c.steps.containsKey(d)) {
                continue;
            }
            Ast.Path target = targetPath(d, c.foPath, c.dvPath);
            Ast.Path source = sourcePath(d, c.foPath, c.dvPath);
            Integer slot = slots.get(target.dotted());
            if (slot == null) {
                slot = slots.size();
                slots.put(target.dotted(), slot);
                lookups.add(c.lookups.get(d));
            }
            boolean hasDefault = c.defaults.containsKey(d);
            fields.add(new CompiledMap.FieldPlan(source == null ? null : source.parts().stream().map(Ast.Ident::text).toArray(String[]::new),
                    target.dotted(), slot, hasDefault, c.defaults.get(d), c.steps.get(d).toArray(new ValueFn[0]), c.coerce.get(d)));
        }
        return new CompiledMap.Plan(filter, slots.keySet().toArray(new String[0]), lookups.toArray(new LookupRef[0]),
                fields.toArray(new CompiledMap.FieldPlan[0]));
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static Ast.Path sourcePath(Direction d, Ast.Path foPath, Ast.Path dvPath) {
        return d == Direction.FO_TO_DATAVERSE ? foPath : dvPath;
    }

    private static Ast.Path targetPath(Direction d, Ast.Path foPath, Ast.Path dvPath) {
        return d == Direction.FO_TO_DATAVERSE ? dvPath : foPath;
    }

    private static Ast.Path targetField(Direction d, Ast.Path foPath, Ast.Path dvPath) {
        return targetPath(d, foPath, dvPath);
    }

    private static List<String> paths(List<Ast.Path> key) {
        return key.stream().map(Ast.Path::dotted).toList();
    }

    private static String label(Ast.FieldDecl f) {
        return (f.fo() == null ? "none" : f.fo().dotted()) + " " + f.arrow().symbol() + " "
                + (f.dataverse() == null ? "none" : f.dataverse().dotted());
    }

    static String sideName(Side side) {
        return side == Side.FO ? "F&O" : "Dataverse";
    }

    private static String options(FieldDef def) {
        return def.options().entrySet().stream().map(e -> e.getValue() + " (" + e.getKey() + ")").collect(Collectors.joining(", "));
    }

    private static String orList(String first, String otherwise) {
        return first != null ? first : otherwise;
    }

    private Diagnostic.Builder error(DiagnosticCode code, Span span, String message) {
        errors++;
        return new Diagnostic.Builder(out, Diagnostic.error(code, span, message));
    }

    private Diagnostic.Builder warning(DiagnosticCode code, Span span, String message) {
        return new Diagnostic.Builder(out, Diagnostic.warning(code, span, message));
    }
}
