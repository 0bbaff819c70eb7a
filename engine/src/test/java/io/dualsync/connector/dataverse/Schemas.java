package io.dualsync.connector.dataverse;

import io.dualsync.mapping.Diagnostic;
import io.dualsync.mapping.MapCompiler;
import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.CompiledMap;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.SchemaLoader;
import io.dualsync.mapping.schema.SchemaSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The example maps and their schemas ({@code examples/maps}), as the engine loads them. */
public final class Schemas {
    public static final Path MAPS = Path.of("..", "examples", "maps");

    private Schemas() {
    }

    public static SchemaSet examples() {
        SchemaSet set = SchemaSet.empty();
        List<Diagnostic> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(MAPS.resolve("schemas"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(SchemaLoader.SUFFIX)).sorted().toList()) {
                EntitySchema s = SchemaLoader.load(new SourceFile(p.toString(), Files.readString(p)), problems);
                if (s != null) {
                    set.add(s);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(problems.get(0).render());
        }
        return set;
    }

    public static CompiledMap customers(SchemaSet schemas) {
        try {
            Path file = MAPS.resolve("customers.map");
            MapCompiler.Result r = MapCompiler.compile(List.of(new SourceFile(file.toString(), Files.readString(file))), schemas);
            if (!r.ok()) {
                throw new IllegalStateException(r.errors().get(0).render());
            }
            return r.maps().get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
