package io.dualsync.mapping.dualwrite;

import io.dualsync.mapping.Diagnostic;
import io.dualsync.mapping.DiagnosticCode;
import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.Span;
import io.dualsync.mapping.dualwrite.DualWriteMap.Entry;
import io.dualsync.mapping.dualwrite.DualWriteMap.Located;
import io.dualsync.mapping.dualwrite.DualWriteMap.Row;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.FieldDef;
import io.dualsync.mapping.schema.FieldType;
import io.dualsync.mapping.schema.SchemaSet;
import io.dualsync.mapping.syntax.Ast.Arrow;
import io.dualsync.mapping.Side;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns a {@link DualWriteMap} into mapping-file text, consulting the schemas for names, keys and types. */
final class MapTextWriter {
    /** What the output writes where a schema would have given the integration key. */
    static final String UNKNOWN_KEY = "FIXME_unknown_key";

    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Set<String> RESERVED = Set.of("true", "false", "null", "none");
    private static final int WRAP_AT = 140;

    private final DualWriteMap map;
    private final SchemaSet schemas;
    private final SourceFile in;
    private final List<Diagnostic> diagnostics;
    private EntitySchema foSchema;
    private EntitySchema dvSchema;

    private MapTextWriter(DualWriteMap map, SchemaSet schemas, SourceFile in, List<Diagnostic> diagnostics) {
        this.map = map;
        this.schemas = schemas == null ? SchemaSet.empty() : schemas;
        this.in = in;
        this.diagnostics = diagnostics;
    }

    static String write(DualWriteMap map, SchemaSet schemas, String mapName, SourceFile in, List<Diagnostic> diagnostics) {
        return new MapTextWriter(map, schemas, in, diagnostics).write(mapName);
    }

    /** One output field line (or a comment standing for a row that was not converted). */
    private record Line(String fo, String arrow, String dv, String clauses, String comment, boolean commentedOut) {
    }

    private String write(String mapName) {
        foSchema = schema(Side.FO, map.foEntity);
        dvSchema = schema(Side.DATAVERSE, map.dataverseEntity);
        String foSet = foSchema != null ? foSchema.entitySet() : identifier(map.foEntity.text());
        String dvSet = dvSchema != null ? dvSchema.entitySet() : identifier(map.dataverseEntity.text());
        String name = mapName != null && !mapName.isBlank() ? mapName : deriveName(foSet, dvSet);

        String foCompany = foSchema == null ? null : foSchema.company();
        String dvCompany = dvSchema == null ? null : dvSchema.company();
        String foKey = foSchema == null || foSchema.keys().isEmpty() ? UNKNOWN_KEY : String.join(", ", foSchema.keys().get(0));
        String dvKey = UNKNOWN_KEY;
        if (dvSchema != null && !dvSchema.keys().isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (String k : dvSchema.keys().get(0)) {
                parts.add(dvCompany != null && k.equals(head(dvCompany)) ? dvCompany : k);
            }
            dvKey = String.join(", ", parts);
        }
        if (foSchema != null && foSchema.keys().isEmpty() || dvSchema != null && dvSchema.keys().isEmpty()) {
            EntitySchema s = foSchema != null && foSchema.keys().isEmpty() ? foSchema : dvSchema;
            diagnostics.add(Diagnostic.warning(DiagnosticCode.IMPORT_FIELD_NOT_IN_SCHEMA,
                    (s == foSchema ? map.foEntity : map.dataverseEntity).span(), "the schema of " + s.entitySet()
                            + " declares no key; the output's key reads `" + UNKNOWN_KEY + "`")
                    .withHint("write the integration key by hand"));
        }

        List<Line> lines = new ArrayList<>();
        for (Row row : map.rows) {
            Line line = line(row, foCompany, dvCompany);
            if (line != null) {
                lines.add(line);
            }
        }

        StringBuilder out = new StringBuilder();
        out.append("# Imported by dualsync from the dual-write map \"").append(oneLine(map.title)).append("\" (")
                .append(fileName(in.path())).append(").\n");
        out.append("# F&O is on the left, Dataverse on the right:\n");
        out.append("#   <->  both ways      ->  F&O to Dataverse      <-  Dataverse to F&O\n");
        out.append("# Dual-write resolves no conflicts (whichever write arrives last wins), hence `conflict last-writer-wins`.\n");
        if (foSchema == null || dvSchema == null) {
            out.append("# FIXME: no schema for ").append(foSchema == null ? foSet : dvSet)
                    .append(": replace `").append(UNKNOWN_KEY).append("` with the integration key.\n");
        }
        out.append("map ").append(name).append('\n');
        out.append("  fo        ").append(foSet).append(" key ").append(foKey).append('\n');
        out.append("  dataverse ").append(dvSet).append(" key ").append(dvKey).append('\n');
        if (foCompany != null && dvCompany != null) {
            out.append("  company   ").append(foCompany).append(" <-> ").append(dvCompany).append('\n');
        }
        if (map.foFilter != null && !map.foFilter.text().isBlank()) {
            out.append("  filter fo ").append(oneLine(map.foFilter.text())).append('\n');
        }
        if (map.dataverseFilter != null && !map.dataverseFilter.text().isBlank()) {
            out.append("  filter dataverse ").append(oneLine(map.dataverseFilter.text())).append('\n');
        }
        out.append("  conflict last-writer-wins\n");
        if (!lines.isEmpty()) {
            out.append('\n');
        }
        int foWidth = 0;
        int dvWidth = 0;
        for (Line l : lines) {
            if (l.fo != null) {
                foWidth = Math.max(foWidth, l.fo.length());
                dvWidth = Math.max(dvWidth, l.dv.length());
            }
        }
        for (Line l : lines) {
            if (l.fo == null) {
                out.append("  # ").append(l.comment).append('\n');
                continue;
            }
            StringBuilder s = new StringBuilder("  ");
            if (l.commentedOut) {
                s.append("# ");
            }
            s.append(pad(l.fo, foWidth)).append(' ').append(pad(l.arrow, 3)).append(' ');
            String rest = l.clauses == null ? "" : l.clauses;
            if (rest.isEmpty()) {
                s.append(l.dv);
            } else if (2 + foWidth + 5 + dvWidth + 1 + rest.length() > WRAP_AT) {
                s.append(l.dv).append('\n').append("    ").append(l.commentedOut ? "# " : "").append(rest);
            } else {
                s.append(pad(l.dv, dvWidth)).append(' ').append(rest);
            }
            if (l.comment != null) {
                s.append("  # ").append(l.comment);
            }
            out.append(s.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private Line line(Row row, String foCompany, String dvCompany) {
        if (row.skipped != null) {
            return new Line(null, null, null, null, "NOT IMPORTED (" + in.path() + " line " + row.span.line() + ", "
                    + row.skipped + "): " + describe(row), false);
        }
        FieldDef foDef = null;
        String fo = "none";
        if (row.fo != null) {
            fo = row.fo.text();
            if (foSchema != null) {
                foDef = foSchema.fieldIgnoreCase(fo);
                if (foDef != null) {
                    fo = foDef.name();
                } else {
                    diagnostics.add(Diagnostic.warning(DiagnosticCode.IMPORT_FIELD_NOT_IN_SCHEMA, row.fo.span(),
                            "F&O field `" + fo + "` is not in " + foSchema.entitySet() + "; its spelling is kept"));
                }
            }
        }
        FieldDef dvDef = null;
        String dv = "none";
        if (row.dataverse != null) {
            dv = row.dataverse.text();
            if (dvSchema != null) {
                dvDef = dvSchema.field(head(dv));
                if (dvDef == null) {
                    Diagnostic d = Diagnostic.warning(DiagnosticCode.IMPORT_FIELD_NOT_IN_SCHEMA, row.dataverse.span(),
                            "Dataverse column `" + head(dv) + "` is not in " + dvSchema.entitySet() + "; its spelling is kept");
                    FieldDef other = dvSchema.fieldIgnoreCase(head(dv));
                    diagnostics.add(other == null ? d : d.withHint("did you mean `" + other.name() + "`?"));
                } else if (dvDef.type() == FieldType.LOOKUP || dv.contains(".")) {
                    dvDef = null; // a lookup's value is the related row's key, typed by that table
                }
            }
        }
        if (!fo.equals("none") && fo.equals(foCompany) && dv.equals(dvCompany)) {
            return new Line(null, null, null, null, fo + " <-> " + dv + " is the `company` line above", false);
        }
        String arrow = switch (row.arrow) {
            case BOTH -> "<->";
            case TO_DATAVERSE -> "->";
            case TO_FO -> "<-";
        };
        List<String> clauses = new ArrayList<>();
        String comment = row.unconverted == null ? null : "FIXME: not imported: " + row.unconverted;
        boolean commentedOut = false;
        if (row.valueMap != null) {
            List<String> pairs = new ArrayList<>();
            for (Entry e : row.valueMap) {
                pairs.add(foValue(e.fo(), foDef) + " = " + typed(e.dataverse().value(), dvDef, e.dataverse().span()));
            }
            clauses.add("values { " + String.join(", ", pairs) + " }");
        } else if (row.valueTransform || foDef != null && dvDef != null && !assignable(row.arrow, foDef.type(), dvDef.type())) {
            // `><` says the values are transformed; a plain row between, say, an enum and a choice is
            // converted implicitly by dual-write, which the mapping language spells as a value map.
            Derived derived = derive(foDef, dvDef);
            Span at = row.dataverse != null ? row.dataverse.span() : row.span;
            if (derived != null && !derived.pairs.isEmpty()) {
                clauses.add("values { " + String.join(", ", derived.pairs) + " }");
                if (!derived.missing.isEmpty()) {
                    diagnostics.add(Diagnostic.warning(DiagnosticCode.IMPORT_VALUE_MAP_MISSING, at, "the value map of `" + fo
                            + "` is derived from the schemas but has no entry for " + String.join(", ", derived.missing))
                            .withHint("complete the `values` clause by hand"));
                }
            } else {
                boolean compiles = foDef == null || dvDef == null || assignable(row.arrow, foDef.type(), dvDef.type());
                commentedOut = !compiles;
                comment = "FIXME: value map unknown" + (commentedOut ? "; commented out until one is written" : "")
                        + (comment == null ? "" : "; " + comment.substring("FIXME: ".length()));
                diagnostics.add(Diagnostic.warning(DiagnosticCode.IMPORT_VALUE_MAP_MISSING, at, "`" + fo + "` and `" + dv
                        + (row.valueTransform ? "` are mapped with a value transform" : "` have types that need a value map")
                        + ", but the input gives no value map and none can be derived from the schemas" + (commentedOut ? "; the line is written commented out, because "
                        + typeName(foDef) + " and " + typeName(dvDef) + " need one" : "; the field is written without `values`"))
                        .withHint("write `values { FoValue = DataverseValue, ... }` from the map in dual-write"));
            }
        }
        if (row.defaultValue != null) {
            FieldDef target = row.arrow == Arrow.TO_FO ? foDef : dvDef;
            if (row.arrow == Arrow.BOTH && row.dataverse == null) {
                target = foDef;
            }
            clauses.add("default " + typed(row.defaultValue.value(), target, row.defaultValue.span()));
        }
        return new Line(fo, arrow, dv, String.join(" ", clauses), comment, commentedOut);
    }

    private record Derived(List<String> pairs, List<String> missing) {
    }

    /**
     * A value map from the schemas: F&O enum symbols paired with Dataverse choice labels of the same
     * name, NoYes with a yes/no column, or a string field with each choice label as its text.
     */
    private static Derived derive(FieldDef fo, FieldDef dv) {
        if (fo == null || dv == null) {
            return null;
        }
        List<String> pairs = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        if (fo.type() == FieldType.ENUM && dv.type() == FieldType.CHOICE) {
            for (String symbol : fo.symbols()) {
                Integer value = option(dv, symbol);
                if (value == null) {
                    missing.add(symbol);
                } else {
                    pairs.add(symbolLiteral(symbol) + " = " + value);
                }
            }
            return new Derived(pairs, missing);
        }
        if (fo.type() == FieldType.ENUM && dv.type() == FieldType.BOOLEAN) {
            boolean noYes = "NoYes".equalsIgnoreCase(fo.enumName()) || fo.symbols().size() == 2
                    && fo.symbols().get(0).equalsIgnoreCase("No") && fo.symbols().get(1).equalsIgnoreCase("Yes");
            if (!noYes) {
                return null;
            }
            pairs.add(symbolLiteral(fo.symbols().get(0)) + " = false");
            pairs.add(symbolLiteral(fo.symbols().get(1)) + " = true");
            return new Derived(pairs, missing);
        }
        if (fo.type() == FieldType.STRING && dv.type() == FieldType.CHOICE) {
            for (Map.Entry<String, Integer> o : dv.options().entrySet()) {
                pairs.add(quote(o.getKey()) + " = " + o.getValue());
            }
            return new Derived(pairs, missing);
        }
        return null;
    }

    private static Integer option(FieldDef dv, String label) {
        String wanted = normalize(label);
        for (Map.Entry<String, Integer> o : dv.options().entrySet()) {
            if (normalize(o.getKey()).equals(wanted)) {
                return o.getValue();
            }
        }
        return null;
    }

    /** Whether the checker accepts the field without a value map, in every direction it flows. */
    private static boolean assignable(Arrow arrow, FieldType fo, FieldType dv) {
        boolean ok = true;
        if (arrow.flowsTo(Side.DATAVERSE)) {
            ok = fo.assignableTo(dv);
        }
        if (arrow.flowsTo(Side.FO)) {
            ok &= dv.assignableTo(fo);
        }
        return ok;
    }


    /** An F&O value of a value map: the enum symbol in the schema's spelling, or a literal of the field's type. */
    private String foValue(Located key, FieldDef fo) {
        if (key.value() == null) {
            return "null";
        }
        String text = key.text();
        if (fo != null && fo.type() == FieldType.ENUM) {
            for (String symbol : fo.symbols()) {
                if (symbol.equalsIgnoreCase(text)) {
                    return symbolLiteral(symbol);
                }
            }
            diagnostics.add(Diagnostic.warning(DiagnosticCode.IMPORT_FIELD_NOT_IN_SCHEMA, key.span(), "`" + text
                    + "` is not a symbol of enum " + fo.enumName() + " (" + fo.name() + "); its spelling is kept")
                    .withHint("its symbols: " + String.join(", ", fo.symbols())));
            return NUMBER.matcher(text).matches() ? text : symbolLiteral(text);
        }
        if (fo != null) {
            return typed(text, fo, key.span());
        }
        if (WORD.matcher(text).matches() && !RESERVED.contains(text)) {
            return text;
        }
        return guess(text);
    }

    /** A literal for a value written to a field, typed by that field (choice and numbers: numbers; yes/no: booleans). */
    private String typed(Object raw, FieldDef def, Span span) {
        if (raw == null) {
            return "null";
        }
        String text = raw.toString();
        if (def == null) {
            return guess(text);
        }
        String t = text.trim();
        switch (def.type()) {
            case CHOICE -> {
                if (NUMBER.matcher(t).matches()) {
                    return t;
                }
                Integer value = option(def, t);
                if (value != null) {
                    return value.toString();
                }
            }
            case INTEGER, DECIMAL -> {
                if (NUMBER.matcher(t).matches()) {
                    return t;
                }
            }
            case BOOLEAN -> {
                String b = t.toLowerCase(Locale.ROOT);
                if (b.equals("true") || b.equals("yes") || b.equals("1")) {
                    return "true";
                }
                if (b.equals("false") || b.equals("no") || b.equals("0")) {
                    return "false";
                }
            }
            case ENUM -> {
                for (String symbol : def.symbols()) {
                    if (symbol.equalsIgnoreCase(t)) {
                        return quote(symbol);
                    }
                }
            }
            default -> {
                return quote(text);
            }
        }
        diagnostics.add(Diagnostic.warning(DiagnosticCode.IMPORT_FIELD_NOT_IN_SCHEMA, span, "`" + text + "` is not a "
                + def.type().word() + " value of " + def.name() + "; written as text"));
        return quote(text);
    }

    /** Without a schema: numbers and booleans as such (dual-write stores every value as text), the rest as text. */
    private static String guess(String text) {
        String t = text.trim();
        if (NUMBER.matcher(t).matches()) {
            return t;
        }
        if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
            return t.toLowerCase(Locale.ROOT);
        }
        return quote(text);
    }

    private static String symbolLiteral(String symbol) {
        return WORD.matcher(symbol).matches() && !RESERVED.contains(symbol) ? symbol : quote(symbol);
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t") + "\"";
    }

    private EntitySchema schema(Side side, Located name) {
        String wanted = normalize(name.text());
        EntitySchema found = schemas.find(side, name.text());
        if (found == null) {
            for (EntitySchema s : schemas.all()) {
                if (s.system() == side && (normalize(s.entitySet()).equals(wanted) || normalize(s.logicalName()).equals(wanted))) {
                    found = s;
                    break;
                }
            }
        }
        if (found == null) {
            String what = side == Side.FO ? "F&O entity" : "Dataverse table";
            diagnostics.add(Diagnostic.warning(DiagnosticCode.IMPORT_FIELD_NOT_IN_SCHEMA, name.span(), "no schema for " + what
                    + " `" + name.text() + "`: its key and company are unknown (the output's key reads `" + UNKNOWN_KEY
                    + "`) and field names are kept as written")
                    .withHint("add its .schema.json to the schema directory and import again"));
        }
        return found;
    }

    private static String deriveName(String foSet, String dvSet) {
        String base = foSet;
        if (base == null || base.isEmpty() || base.equals(UNKNOWN_KEY)) {
            base = dvSet.replaceFirst("^(msdyn|cdm|mserp)_", "");
        }
        base = base.replaceFirst("(?i)Entity$", "").replaceFirst("(?i)V\\d+$", "");
        String name = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "");
        if (name.isEmpty() || !Character.isLetter(name.charAt(0))) {
            name = "imported" + (name.isEmpty() ? "" : "_" + name);
        }
        return name;
    }

    private static String identifier(String name) {
        String id = name.replaceAll("[^A-Za-z0-9_]", "");
        return id.isEmpty() ? "FIXME_entity" : id;
    }

    private static String describe(Row row) {
        String fo = row.fo == null ? "none" : row.fo.text();
        String dv = row.dataverse == null ? "none" : row.dataverse.text();
        if (row.fo == null && row.dataverse == null) {
            return oneLine(row.span.text());
        }
        return fo + " | " + dv;
    }

    private static String typeName(FieldDef def) {
        return def.name() + " (" + def.type().word() + ")";
    }

    private static String normalize(String s) {
        return s.replace(" ", "").toLowerCase(Locale.ROOT);
    }

    private static String head(String path) {
        int dot = path.indexOf('.');
        return dot < 0 ? path : path.substring(0, dot);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    private static String fileName(String path) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(slash + 1);
    }
}
