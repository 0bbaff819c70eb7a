package io.dualsync.mapping;

import io.dualsync.mapping.schema.SchemaSet;
import io.dualsync.mapping.syntax.Ast;
import io.dualsync.mapping.syntax.Parser;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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

    /** Compiles one text; convenient for tests and tools. */
    public static Result compile(String path, String text, SchemaSet schemas) {
        return compile(List.of(new SourceFile(path, text)), schemas);
    }
}
