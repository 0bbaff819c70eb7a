package io.dualsync.mapping.schema;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualsync.mapping.Diagnostic;
import io.dualsync.mapping.DiagnosticCode;
import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.Span;
import io.dualsync.mapping.Side;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code *.schema.json} files (format: docs/mapping-language.md, "Entity schemas").
 * Problems are reported as {@link DiagnosticCode#BAD_SCHEMA} diagnostics located in the schema
 * file; a schema with problems is not added.
 */
public final class SchemaLoader {
    public static final String SUFFIX = ".schema.json";

    /**
     * The schemas shipped in examples/maps/schemas, packaged into this jar (a resource folder cannot
     * be listed from a jar; SchemaLoaderTest keeps this list equal to the folder).
     */
    static final String[] BUILT_IN = {
        "CustomersV3", "VendorsV2", "CustomerGroups", "LegalEntities", "CDSContactPersonsV2",
        "accounts", "contacts", "msdyn_vendors", "msdyn_customergroups", "cdm_companies", "transactioncurrencies",
        "msdyn_paymentdays", "msdyn_customerpaymentmethods", "msdyn_paymentschedules", "msdyn_paymentterms",
        "msdyn_vendorgroups",
    };

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private SchemaLoader() {
    }

    /** Parses one schema file; returns null (and reports why) when it is not a valid schema. */
    public static EntitySchema load(SourceFile file, List<Diagnostic> diagnostics) {
        JsonNode root;
        try (JsonParser parser = JSON.createParser(file.text())) {
            root = JSON.readTree(parser);
        } catch (JsonParseException e) {
            diagnostics.add(error(file, e.getLocation(), "not valid JSON: " + e.getOriginalMessage()));
            return null;
        } catch (IOException e) {
            diagnostics.add(error(file, null, "cannot read: " + e.getMessage()));
            return null;
        }
        if (root == null || !root.isObject()) {
            diagnostics.add(error(file, null, "a schema file holds one JSON object"));
            return null;
        }
        int before = diagnostics.size();
        Side system = switch (root.path("system").asText("")) {
            case "fo" -> Side.FO;
            case "dataverse" -> Side.DATAVERSE;
            default -> {
                diagnostics.add(at(file, "system", "`system` must be \"fo\" or \"dataverse\""));
                yield null;
            }
        };
        String entitySet = root.path("entitySet").asText(null);
        if (entitySet == null || entitySet.isBlank()) {
            diagnostics.add(at(file, "entitySet", "`entitySet` (the OData entity set name) is required"));
        }
        List<List<String>> keys = new ArrayList<>();
        for (JsonNode key : root.path("keys")) {
            List<String> fields = new ArrayList<>();
            for (JsonNode f : key) {
                fields.add(f.asText());
            }
            keys.add(List.copyOf(fields));
        }
        Map<String, FieldDef> fields = new LinkedHashMap<>();
        JsonNode fieldsNode = root.path("fields");
        if (!fieldsNode.isObject()) {
            diagnostics.add(at(file, "fields", "`fields` must be an object of field name to definition"));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = fieldsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            FieldDef def = field(file, e.getKey(), e.getValue(), diagnostics);
            if (def != null) {
                fields.put(e.getKey(), def);
            }
        }
        for (List<String> key : keys) {
            for (String k : key) {
                if (!fields.containsKey(k)) {
                    diagnostics.add(at(file, "keys", "key field `" + k + "` is not in `fields`"));
                }
            }
        }
        if (diagnostics.size() > before || system == null) {
            return null;
        }
        return new EntitySchema(system, entitySet, root.path("logicalName").asText(entitySet),
                root.path("primaryId").asText(null), List.copyOf(keys), root.path("company").asText(null),
                Collections.unmodifiableMap(fields), file.path());
    }

    private static FieldDef field(SourceFile file, String name, JsonNode node, List<Diagnostic> diagnostics) {
        String typeWord = node.path("type").asText("");
        FieldType type = FieldType.parse(typeWord);
        if (type == null) {
            diagnostics.add(at(file, "\"" + name + "\"", "field `" + name + "` has unknown type \"" + typeWord
                    + "\"; use one of string, integer, decimal, boolean, date, datetime, guid, enum, choice, lookup"));
            return null;
        }
        List<String> symbols = new ArrayList<>();
        for (JsonNode s : node.path("values")) {
            symbols.add(s.asText());
        }
        Map<String, Integer> options = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("options").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> o = it.next();
            options.put(o.getKey(), o.getValue().asInt());
        }
        if (type == FieldType.ENUM && symbols.isEmpty()) {
            diagnostics.add(at(file, "\"" + name + "\"", "enum field `" + name + "` needs `values` (its symbols)"));
        }
        if (type == FieldType.CHOICE && options.isEmpty()) {
            diagnostics.add(at(file, "\"" + name + "\"", "choice field `" + name + "` needs `options` (label to value)"));
        }
        String target = node.path("target").asText(null);
        if (type == FieldType.LOOKUP && target == null) {
            diagnostics.add(at(file, "\"" + name + "\"", "lookup field `" + name + "` needs `target` (the related entity set)"));
        }
        Integer maxLength = node.has("maxLength") ? node.get("maxLength").asInt() : null;
        return new FieldDef(name, type, node.path("mandatory").asBoolean(false), node.path("readOnly").asBoolean(false),
                maxLength, node.path("enum").asText(null), List.copyOf(symbols), Collections.unmodifiableMap(options), target);
    }

    /** The schemas shipped with dualsync (the entities of the example maps). */
    public static SchemaSet builtIn() {
        SchemaSet set = new SchemaSet();
        List<Diagnostic> problems = new ArrayList<>();
        for (String name : BUILT_IN) {
            String resource = "/io/dualsync/mapping/schemas/" + name + SUFFIX;
            try (InputStream in = SchemaLoader.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("built-in schema " + resource + " is missing from the jar");
                }
                EntitySchema s = load(new SourceFile(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8)), problems);
                if (s != null) {
                    set.add(s);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read built-in schema " + resource, e);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("built-in schema is invalid: " + problems.get(0).render());
        }
        return set;
    }

    private static Diagnostic error(SourceFile file, JsonLocation location, String message) {
        int offset = 0;
        if (location != null && location.getLineNr() > 0) {
            int line = Math.min(location.getLineNr(), file.lineCount());
            offset = lineOffset(file, line) + Math.max(0, location.getColumnNr() - 1);
            offset = Math.min(offset, file.text().length());
        }
        return Diagnostic.error(DiagnosticCode.BAD_SCHEMA, Span.of(file, offset, offset + 1), message);
    }

    /** Points at the first occurrence of a property name, which is where a reader looks. */
    private static Diagnostic at(SourceFile file, String property, String message) {
        String needle = property.startsWith("\"") ? property : "\"" + property + "\"";
        int offset = Math.max(0, file.text().indexOf(needle));
        return Diagnostic.error(DiagnosticCode.BAD_SCHEMA, Span.of(file, offset, offset + needle.length()), message);
    }

    private static int lineOffset(SourceFile file, int line) {
        int offset = 0;
        for (int l = 1; l < line; l++) {
            offset += file.lineText(l).length() + 1;
        }
        return offset;
    }
}
