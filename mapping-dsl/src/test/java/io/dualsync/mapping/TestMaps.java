package io.dualsync.mapping;

import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.SchemaLoader;
import io.dualsync.mapping.schema.SchemaSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Shared test helpers: the repository's example maps and schemas, and compiling snippets. */
final class TestMaps {
    static final Path EXAMPLES = Path.of("..", "examples", "maps");
    static final Path SCHEMAS = EXAMPLES.resolve("schemas");

    private TestMaps() {
    }

    static SchemaSet exampleSchemas() {
        SchemaSet set = SchemaSet.empty();
        List<Diagnostic> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(SCHEMAS)) {
            for (Path p : files.sorted().toList()) {
                EntitySchema s = SchemaLoader.load(read(p), problems);
                if (s != null) {
                    set.add(s);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.get(0).render());
        }
        return set;
    }

    static SourceFile read(Path p) {
        try {
            return new SourceFile(p.toString(), Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compiles a snippet and fails with the rendered diagnostics if it has errors. */
    static CompiledMap compileOk(String text, SchemaSet schemas) {
        MapCompiler.Result r = MapCompiler.compile("test.map", text, schemas);
        if (!r.ok()) {
            StringBuilder b = new StringBuilder("expected no errors, got:\n");
            r.diagnostics().forEach(d -> b.append(d.render()));
            throw new AssertionError(b.toString());
        }
        return r.maps().get(0);
    }

    static List<Diagnostic> diagnostics(String text, SchemaSet schemas) {
        return MapCompiler.compile("test.map", text, schemas).diagnostics();
    }

    static CompiledMap customers() {
        MapCompiler.Result r = MapCompiler.compile(List.of(read(EXAMPLES.resolve("customers.map"))), exampleSchemas());
        if (!r.ok()) {
            throw new AssertionError(r.diagnostics().get(0).render());
        }
        return r.maps().get(0);
    }
}
