package io.dualsync.cli;

import io.dualsync.mapping.CompiledMap;
import io.dualsync.mapping.Diagnostic;
import io.dualsync.mapping.MapCompiler;
import io.dualsync.mapping.Side;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.SchemaLoader;
import io.dualsync.mapping.schema.SchemaSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@code dualsync demo} needs before it starts: the entity schemas the emulators, the engine and
 * the final comparison share, and the compiled maps.
 *
 * <p>The schemas are the maps folder's. vendors.map looks {@code VendorGroupId} up in
 * {@code msdyn_vendorgroups} (F&O requires a vendor group on every vendor): without that table vendors
 * are not driven, and the demo says so.
 */
final class DemoSetup {
    static final String VENDOR_GROUP_TABLE = "msdyn_vendorgroups";

    private DemoSetup() {
    }

    /** The maps compiled against the schemas, ready for the comparison. */
    record Maps(List<CompiledMap> maps, SchemaSet schemas) {
    }

    /**
     * Copies the schema files under {@code mapsDir} to {@code dir}, the one folder the emulators, the engine
     * and the comparison read.
     * Returns null when {@code mapsDir} has no schemas (the emulators then serve their built-in ones).
     */
    static Path schemaFolder(Path mapsDir, Path dir) throws IOException {
        List<Path> files;
        try (var walk = Files.walk(mapsDir)) {
            files = walk.filter(p -> p.getFileName().toString().endsWith(SchemaLoader.SUFFIX)).sorted().toList();
        }
        if (files.isEmpty()) {
            return null;
        }
        Files.createDirectories(dir);
        for (Path p : files) {
            Files.copy(p, dir.resolve(p.getFileName()));
        }
        return dir;
    }

    /**
     * Compiles the maps of {@code mapsDir} against the schemas of {@code schemaDir} (the built-in ones
     * when null); an {@link IllegalStateException} with the diagnostics when they do not compile.
     */
    static Maps compile(Path mapsDir, Path schemaDir) {
        List<Diagnostic> problems = new ArrayList<>();
        MapFiles files = MapFiles.collect(null, List.of(mapsDir));
        SchemaSet schemas;
        if (schemaDir == null) {
            schemas = SchemaLoader.builtIn();
        } else {
            files.schemas.clear();
            files.schemas.addAll(MapFiles.collect(null, List.of(schemaDir)).schemas);
            schemas = files.loadSchemas(problems);
        }
        MapCompiler.Result result = MapCompiler.compile(files.readMaps(), schemas);
        problems.addAll(result.diagnostics());
        List<Diagnostic> errors = problems.stream().filter(Diagnostic::isError).toList();
        if (!errors.isEmpty() || result.maps().isEmpty()) {
            throw new IllegalStateException("the maps in " + mapsDir + " do not compile"
                    + errors.stream().map(Diagnostic::render).collect(Collectors.joining("", ":\n", "")));
        }
        return new Maps(result.maps(), schemas);
    }

    /** True when the schemas have the table vendors.map looks vendor groups up in. */
    static boolean hasVendorGroups(SchemaSet schemas) {
        EntitySchema s = schemas.get(Side.DATAVERSE, VENDOR_GROUP_TABLE);
        return s != null && s.primaryId() != null;
    }
}
