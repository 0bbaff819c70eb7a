package io.dualsync.mapping.dualwrite;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dualsync.mapping.Diagnostic;
import io.dualsync.mapping.DiagnosticCode;
import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.Span;
import io.dualsync.mapping.dualwrite.DualWriteMap.Entry;
import io.dualsync.mapping.dualwrite.DualWriteMap.Located;
import io.dualsync.mapping.dualwrite.DualWriteMap.Row;
import io.dualsync.mapping.dualwrite.LocatedJson.Node;
import io.dualsync.mapping.dualwrite.LocatedJson.Property;
import io.dualsync.mapping.syntax.Ast.Arrow;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads dual-write's stored map JSON (the {@code msdyn_mapping} column of
 * {@code msdyn_dualwriteentitymap}): a root with {@code legs[]}, or a single leg object. Properties
 * that carry no meaning for the mapping (environment ids, editability flags) are ignored; any other
 * unknown property is reported, never dropped silently.
 */
final class JsonMapReader {
    private static final Set<String> ROOT = Set.of("name", "legs", "leftEnvironmentType", "centerEnvironmentType",
            "rightEnvironmentType", "leftEnvironment", "centerEnvironment", "rightEnvironment", "leftPartitionName",
            "centerPartitionName", "rightPartitionName", "connectionSetName", "order", "$type", "displayName",
            "description", "id", "version");
    private static final Set<String> LEG = Set.of("id", "sourceEnvironment", "sourceSchema", "sourceSchemaDistinctName",
            "sourceEnvironmentType", "sourceFilter", "isSourceFilterEditable", "destinationEnvironment",
            "destinationSchema", "destinationSchemaDistinctName", "destinationEnvironmentType", "reversedSourceFilter",
            "fieldMappings", "entityFileFormat", "deleteNonMatchingData", "$type");
    private static final Set<String> FIELD = Set.of("syncDirection", "sourceField", "destinationField", "valueTransforms",
            "isSystemGenerated", "destinationLookupFieldRelatedEntity", "$type");
    private static final Set<String> TRANSFORM = Set.of("$type", "transformType", "valueMap", "defaultValue",
            "createValuesOnDestination");

    private final SourceFile in;
    private final List<Diagnostic> diagnostics;
    private final DualWriteMap map = new DualWriteMap();

    private JsonMapReader(SourceFile in, List<Diagnostic> diagnostics) {
        this.in = in;
        this.diagnostics = diagnostics;
    }

    /** Reads the map; returns null (after reporting why) when the text is not a dual-write map. */
    static DualWriteMap read(SourceFile in, List<Diagnostic> diagnostics) {
        return new JsonMapReader(in, diagnostics).read();
    }

    private DualWriteMap read() {
        Node root;
        try {
            root = LocatedJson.parse(in.text());
        } catch (JsonProcessingException e) {
            long offset = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getCharOffset());
            int at = (int) Math.min(offset, Math.max(0, in.text().length() - 1));
            diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_MALFORMED, Span.of(in, at, at + 1),
                    "not valid JSON: " + e.getOriginalMessage()));
            return null;
        } catch (IOException e) {
            diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_MALFORMED, Span.of(in, 0, 1), "cannot read the JSON: " + e.getMessage()));
            return null;
        }
        if (!root.isObject()) {
            diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_MALFORMED, span(root),
                    "a dual-write map is a JSON object with `legs` (or one leg with `sourceSchema` and `fieldMappings`)")
                    .withHint(root.isArray() ? "a bare array is the transform list of one field; import the whole map "
                            + "(the msdyn_mapping column of msdyn_dualwriteentitymap)" : null));
            return null;
        }
        Node legs = root.get("legs");
        if (legs != null) {
            unknownProperties(root, ROOT, "map");
            if (root.get("name") != null) {
                map.title = root.get("name").text();
            }
            if (!legs.isArray() || legs.elements().isEmpty()) {
                diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_MALFORMED, span(legs), "`legs` must be a non-empty array of legs"));
                return null;
            }
            for (Node leg : legs.elements()) {
                leg(leg);
            }
        } else if (root.get("fieldMappings") != null || root.get("sourceSchema") != null) {
            leg(root);
        } else {
            diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_MALFORMED, Span.of(in, root.start(), root.start() + 1),
                    "a dual-write map needs `legs` (or, for a single leg, `sourceSchema` and `fieldMappings`)"));
            return null;
        }
        if (map.foEntity == null || map.dataverseEntity == null) {
            return null;
        }
        if (map.title == null) {
            map.title = map.foEntity.text() + " to " + map.dataverseEntity.text();
        }
        return map;
    }

    private void leg(Node leg) {
        if (!leg.isObject()) {
            diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_MALFORMED, span(leg), "a leg must be a JSON object"));
            return;
        }
        unknownProperties(leg, LEG, "leg");
        boolean foSource = foSource(leg);
        Located source = string(leg.get("sourceSchema"));
        Located destination = string(leg.get("destinationSchema"));
        if (source == null || destination == null) {
            diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_MALFORMED, Span.of(in, leg.start(), leg.start() + 1),
                    "a leg needs `sourceSchema` and `destinationSchema`; this leg is not imported"));
            return;
        }
        Located fo = foSource ? source : destination;
        Located dv = foSource ? destination : source;
        if (map.foEntity == null) {
            map.foEntity = fo;
            map.dataverseEntity = dv;
        } else if (!map.foEntity.text().equalsIgnoreCase(fo.text()) || !map.dataverseEntity.text().equalsIgnoreCase(dv.text())) {
            diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_UNKNOWN_CONSTRUCT, source.span(), "this leg maps "
                    + fo.text() + " and " + dv.text() + ", not " + map.foEntity.text() + " and " + map.dataverseEntity.text()
                    + "; a mapping file's map pairs one entity with one table, so this leg is not imported")
                    .withHint("import it into a map of its own"));
            return;
        }
        Located sourceFilter = string(leg.get("sourceFilter"));
        Located reversed = string(leg.get("reversedSourceFilter"));
        filter(foSource ? sourceFilter : reversed, true);
        filter(foSource ? reversed : sourceFilter, false);
        Node delete = leg.get("deleteNonMatchingData");
        if (delete != null && Boolean.TRUE.equals(delete.value())) {
            diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_UNKNOWN_CONSTRUCT, span(delete),
                    "`deleteNonMatchingData: true` has no equivalent in a mapping file and is not imported"));
        }
        Node fields = leg.get("fieldMappings");
        if (fields == null || !fields.isArray()) {
            diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_MALFORMED, fields == null ? source.span() : span(fields),
                    "a leg needs `fieldMappings`, an array of field mappings"));
            return;
        }
        for (Node f : fields.elements()) {
            Row row = field(f, foSource);
            if (row != null) {
                map.rows.add(row);
            }
        }
    }

    private void filter(Located filter, boolean fo) {
        if (filter == null || filter.text().isBlank()) {
            return;
        }
        Located before = fo ? map.foFilter : map.dataverseFilter;
        if (before == null) {
            if (fo) {
                map.foFilter = filter;
            } else {
                map.dataverseFilter = filter;
            }
        } else if (!before.text().equals(filter.text())) {
            diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_UNKNOWN_CONSTRUCT, filter.span(), "a second "
                    + (fo ? "F&O" : "Dataverse") + " filter differs from the first (" + before.text() + "); only the first is imported")
                    .withHint("combine them by hand with `and`"));
        }
    }

    /** True when the leg's source is F&O ("AX"), false when it is Dataverse ("CRM"). */
    private boolean foSource(Node leg) {
        Node type = leg.get("sourceEnvironmentType");
        Node destination = leg.get("destinationEnvironmentType");
        if (type != null && type.text() != null) {
            Boolean fo = environment(type.text());
            if (fo != null) {
                return fo;
            }
            diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_UNKNOWN_CONSTRUCT, span(type), "unknown environment type `"
                    + type.text() + "`; the leg is read as going from F&O to Dataverse")
                    .withHint("dual-write writes \"AX\" for Finance and Operations and \"CRM\" for Dataverse"));
            return true;
        }
        if (destination != null && destination.text() != null) {
            Boolean fo = environment(destination.text());
            if (fo != null) {
                return !fo;
            }
        }
        return true;
    }

    private static Boolean environment(String type) {
        return switch (type.replace(" ", "").replace("&", "").toUpperCase(Locale.ROOT)) {
            case "AX", "FO", "FINOPS", "FINANCEANDOPERATIONS", "D365FO" -> true;
            case "CRM", "CDS", "CE", "DATAVERSE", "COMMONDATASERVICE" -> false;
            default -> null;
        };
    }

    private Row field(Node f, boolean foSource) {
        if (!f.isObject()) {
            diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_MALFORMED, span(f), "a field mapping must be a JSON object"));
            return null;
        }
        unknownProperties(f, FIELD, "field mapping");
        Row row = new Row();
        row.span = Span.of(in, f.start(), f.end());
        Located source = fieldName(f.get("sourceField"));
        Located destination = fieldName(f.get("destinationField"));
        row.fo = foSource ? source : destination;
        row.dataverse = foSource ? destination : source;
        Node direction = f.get("syncDirection");
        row.arrow = direction == null ? null : arrow(direction.text());
        if (row.arrow == null) {
            Span at = direction == null ? Span.of(in, f.start(), f.start() + 1) : span(direction);
            diagnostics.add(Diagnostic.error(direction == null ? DiagnosticCode.IMPORT_MALFORMED : DiagnosticCode.IMPORT_UNKNOWN_CONSTRUCT,
                    at, (direction == null ? "field mapping without `syncDirection`"
                            : "unknown syncDirection `" + (direction.text() == null ? "null" : direction.text()) + "`")
                            + "; this field mapping is not imported")
                    .withHint("syncDirection is 1 (F&O to Dataverse), 2 (Dataverse to F&O) or 3 (both)"));
            row.skipped = direction == null ? "no syncDirection" : "unknown syncDirection " + direction.text();
            row.span = at; // the comment left in the output names this line
            return row;
        }
        if (row.fo == null && row.dataverse == null) {
            diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_MALFORMED, Span.of(in, f.start(), f.start() + 1), "field mapping with neither `sourceField` nor `destinationField`"));
            row.skipped = "no field on either side";
            return row;
        }
        Node transforms = f.get("valueTransforms");
        if (transforms != null && transforms.value() != null) {
            if (!transforms.isArray()) {
                diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_MALFORMED, span(transforms), "`valueTransforms` must be an array"));
            } else {
                for (Node t : transforms.elements()) {
                    transform(t, row, foSource);
                }
            }
        }
        return row;
    }

    private void transform(Node t, Row row, boolean foSource) {
        if (!t.isObject()) {
            diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_MALFORMED, span(t), "a value transform must be a JSON object"));
            return;
        }
        unknownProperties(t, TRANSFORM, "value transform");
        Node type = t.get("transformType");
        String kind = type == null || type.text() == null ? "" : type.text().replace(" ", "").toLowerCase(Locale.ROOT);
        Node create = t.get("createValuesOnDestination");
        if (create != null && Boolean.TRUE.equals(create.value())) {
            diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_UNKNOWN_CONSTRUCT, span(create),
                    "`createValuesOnDestination: true` has no equivalent in a mapping file and is not imported"));
        }
        switch (kind) {
            case "valuemap" -> {
                Node values = t.get("valueMap");
                if (row.valueMap != null) {
                    diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_UNKNOWN_CONSTRUCT, span(type),
                            "a second ValueMap on one field is not imported; a field has one value map"));
                    return;
                }
                row.valueTransform = true;
                if (values == null || !values.isObject() || values.properties().isEmpty()) {
                    return; // reported as IMPORT_VALUE_MAP_MISSING when the map is written, after trying to derive one
                }
                List<Entry> entries = new ArrayList<>();
                for (Property p : values.properties().values()) {
                    Located key = new Located(p.name(), Span.of(in, p.nameStart(), p.nameEnd()));
                    Located value = new Located(p.value().isObject() || p.value().isArray() ? null : p.value().value(), span(p.value()));
                    if (p.value().isObject() || p.value().isArray()) {
                        diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_MALFORMED, span(p.value()),
                                "a value map entry's value must be a string, number, boolean or null"));
                        continue;
                    }
                    // The map sends the leg's source value to its destination value.
                    entries.add(foSource ? new Entry(key, value) : new Entry(value, key));
                }
                row.valueMap = entries;
            }
            case "default" -> {
                Node value = t.get("defaultValue");
                if (value == null) {
                    diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_MALFORMED, span(type), "a Default transform needs `defaultValue`"));
                    return;
                }
                if (row.defaultValue != null) {
                    diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_UNKNOWN_CONSTRUCT, span(type),
                            "a second Default transform on one field is not imported"));
                    return;
                }
                row.defaultValue = new Located(value.value() instanceof String || value.value() == null
                        ? value.value() : value.text(), span(value));
            }
            default -> {
                Span at = type == null ? Span.of(in, t.start(), t.start() + 1) : span(type);
                String shown = type == null ? "(none)" : Objects.toString(type.text(), "null");
                diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_UNKNOWN_CONSTRUCT, at, "unknown transformType `" + shown
                        + "`; this transform is not imported, the rest of the field is")
                        .withHint("the importer knows the transform types \"ValueMap\" and \"Default\""));
                row.unconverted = (row.unconverted == null ? "" : row.unconverted + ", ") + "transform " + shown;
            }
        }
    }

    private static Arrow arrow(String text) {
        if (text == null) {
            return null;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "1", "foonly", "fotoce" -> Arrow.TO_DATAVERSE;
            case "2", "ceonly", "cetofo" -> Arrow.TO_FO;
            case "3", "both" -> Arrow.BOTH;
            default -> null;
        };
    }

    private Located fieldName(Node n) {
        if (n == null || n.text() == null || n.text().isBlank() || n.text().equalsIgnoreCase("none")) {
            return null;
        }
        return new Located(n.text().trim(), contentSpan(n));
    }

    private Located string(Node n) {
        if (n == null || n.text() == null) {
            return null;
        }
        return new Located(n.text(), contentSpan(n));
    }

    /** The span of a value; for a string, its content without the quotes. */
    private Span contentSpan(Node n) {
        if (n.value() instanceof String s && n.end() - n.start() >= 2 && in.text().charAt(n.start()) == '"') {
            return Span.of(in, n.start() + 1, n.end() - 1);
        }
        return span(n);
    }

    private Span span(Node n) {
        return Span.of(in, n.start(), Math.min(n.end(), in.text().length()));
    }

    private void unknownProperties(Node object, Set<String> known, String what) {
        for (Map.Entry<String, Property> e : object.properties().entrySet()) {
            if (!known.contains(e.getKey())) {
                Property p = e.getValue();
                diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_UNKNOWN_CONSTRUCT, Span.of(in, p.nameStart(), p.nameEnd()),
                        "unknown " + what + " property `" + p.name() + "`; it is not imported")
                        .withHint("if it changes what the map does, write that into the mapping file by hand"));
            }
        }
    }
}
