package io.dualsync.mapping.dualwrite;

import io.dualsync.mapping.Diagnostic;
import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.schema.SchemaSet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts a Microsoft dual-write table map into mapping-file text with the same meaning. Reads
 * either form Microsoft gives a map in:
 * <ul>
 *   <li>the stored map JSON (the {@code msdyn_mapping} column of {@code msdyn_dualwriteentitymap}):
 *       a root with {@code legs[]}, or one leg; recognised by starting with <code>{</code> or {@code [};</li>
 *   <li>the documentation table: a {@code ## <F&O entity> to <Dataverse table>} heading, optional
 *       {@code Source filter:} and {@code Reversed source filter:} lines, and the table
 *       {@code F&O field | Map type | Other Dynamics 365 field | Default value}.</li>
 * </ul>
 * Schemas give the entity set names, keys, company columns, the F&O fields' spelling (Microsoft writes
 * them in upper case) and the types that value-map entries and defaults are written in. Every problem
 * is a diagnostic located in the input ({@code E401}-{@code W404}); what cannot be converted is
 * reported and left as a comment in the output, never dropped silently.
 */
public final class DualWriteImporter {
    private DualWriteImporter() {
    }

    /**
     * The mapping-file text (empty when the input is not a dual-write map) and the problems found,
     * located in the input and sorted by position.
     */
    public record Result(String text, List<Diagnostic> diagnostics) {
        public Result {
            diagnostics = List.copyOf(diagnostics);
        }

        /** True when no error was reported (warnings allowed). */
        public boolean ok() {
            return diagnostics.stream().noneMatch(Diagnostic::isError);
        }

        public List<Diagnostic> errors() {
            return diagnostics.stream().filter(Diagnostic::isError).toList();
        }
    }

    /**
     * Imports one map.
     *
     * @param input   the JSON or markdown text, with the path diagnostics are to name
     * @param schemas the schemas to resolve entities and fields against ({@code SchemaLoader.builtIn()}
     *                for Microsoft's standard entities); may be empty or null
     * @param mapName the name of the map to write, or null to derive one from the entity names
     *                ("Customers V3" gives {@code customers})
     */
    public static Result importMap(SourceFile input, SchemaSet schemas, String mapName) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        DualWriteMap map = isJson(input.text())
                ? JsonMapReader.read(input, diagnostics)
                : MarkdownMapReader.read(input, diagnostics);
        String text = "";
        if (map != null && map.foEntity != null && map.dataverseEntity != null) {
            text = MapTextWriter.write(map, schemas, mapName, input, diagnostics);
        }
        diagnostics.sort(Diagnostic.BY_POSITION);
        return new Result(text, diagnostics);
    }

    /** Reads a file (UTF-8) and imports it; diagnostics name the file by the path given. */
    public static Result importFile(Path file, SchemaSet schemas, String mapName) throws IOException {
        return importMap(new SourceFile(file.toString(), Files.readString(file, StandardCharsets.UTF_8)), schemas, mapName);
    }

    /** JSON when the first character that is not white space (or a byte-order mark) is <code>{</code> or {@code [}. */
    static boolean isJson(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\uFEFF' || Character.isWhitespace(c)) {
                continue;
            }
            return c == '{' || c == '[';
        }
        return false;
    }
}
