package io.dualsync.mapping;

import io.dualsync.mapping.schema.SchemaSet;
import io.dualsync.mapping.syntax.Ast;
import io.dualsync.mapping.syntax.Parser;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The front door of the mapping language: parses, checks and compiles a set of mapping files in
 * one go and reports every problem of every file, sorted by position.
 */
public final class MapCompiler {
    private MapCompiler() {
    }

    /** The outcome of compiling a set of files: the maps (only when no errors) and all diagnostics. */
    public record Result(List<CompiledMap> maps, List<Diagnostic> diagnostics) {
        public boolean ok() {
            return diagnostics.stream().noneMatch(Diagnostic::isError);
        }

        public List<Diagnostic> errors() {
            return diagnostics.stream().filter(Diagnostic::isError).toList();
        }
    }

    public static Result compile(List<SourceFile> files, SchemaSet schemas) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        List<CompiledMap> maps = new ArrayList<>();
        Map<String, Ast.MapDecl> names = new HashMap<>();
        Map<String, BoundEvent> events = new HashMap<>();
        for (SourceFile file : files) {
            Ast.MapFile parsed = Parser.parse(file, diagnostics);
            for (Ast.MapDecl decl : parsed.maps()) {
                Ast.MapDecl first = names.putIfAbsent(decl.name().text(), decl);
                if (first != null && !decl.name().text().isEmpty()) {
                    diagnostics.add(Diagnostic.error(DiagnosticCode.DUPLICATE_MAP, decl.name().span(),
                            "a map named `" + decl.name().text() + "` already exists")
                            .withHint("the first is at " + first.name().span().location() + "; map names must be unique"));
                }
                if (decl.name().text().isEmpty()) {
                    continue; // already reported: a map without a name
                }
                checkEventsUnique(decl, events, diagnostics);
                CompiledMap compiled = new MapChecker(decl, schemas, diagnostics).check();
                if (compiled != null) {
                    maps.add(compiled);
                }
            }
        }
        // A both-ways field checks some clauses once per direction: report each problem once.
        diagnostics = new ArrayList<>(new java.util.LinkedHashSet<>(diagnostics));
        diagnostics.sort(Diagnostic.BY_POSITION);
        boolean ok = diagnostics.stream().noneMatch(Diagnostic::isError);
        return new Result(ok ? List.copyOf(maps) : List.of(), List.copyOf(diagnostics));
    }

    /**
     * An F&O business event id binds to one map: ingest looks an incoming event up by its id (F&O's
     * ids are matched ignoring case), so a second binding, in the same map or another, is an error.
     */
    private static void checkEventsUnique(Ast.MapDecl decl, Map<String, BoundEvent> seen, List<Diagnostic> diagnostics) {
        for (Ast.Item item : decl.items()) {
            if (item instanceof Ast.EventDecl e) {
                BoundEvent first = seen.putIfAbsent(e.id().text().toLowerCase(Locale.ROOT), new BoundEvent(decl.name().text(), e));
                if (first != null) {
                    diagnostics.add(Diagnostic.error(DiagnosticCode.DUPLICATE_EVENT, e.id().span(),
                            "business event `" + e.id().text() + "` is already bound, in map `" + first.map() + "`")
                            .withHint("the first is at " + first.event().id().span().location()
                                    + "; an event announces one entity and fills its key once: keep one"));
                }
            }
        }
    }

    private record BoundEvent(String map, Ast.EventDecl event) {
    }

    /** Compiles one text; convenient for tests and tools. */
    public static Result compile(String path, String text, SchemaSet schemas) {
        return compile(List.of(new SourceFile(path, text)), schemas);
    }
}
