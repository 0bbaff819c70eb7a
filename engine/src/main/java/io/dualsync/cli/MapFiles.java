package io.dualsync.cli;

import io.dualsync.mapping.Diagnostic;
import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.SchemaLoader;
import io.dualsync.mapping.schema.SchemaSet;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the files a command works on: {@code .map} files and {@code .schema.json} entity schemas,
 * given directly or found anywhere under a folder.
 */
final class MapFiles {
    final List<Path> maps = new ArrayList<>();
    final List<Path> schemas = new ArrayList<>();

    static MapFiles collect(CommandLine cli, List<Path> paths) {
        MapFiles found = new MapFiles();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile).sorted().forEach(found::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else if (Files.isRegularFile(p)) {
                if (!found.add(p)) {
                    throw new CommandLine.ParameterException(cli, p + ": not a .map or " + SchemaLoader.SUFFIX + " file");
                }
            } else {
                throw new CommandLine.ParameterException(cli, p + ": no such file or folder");
            }
        }
        return found;
    }

    private boolean add(Path p) {
        String name = p.getFileName().toString();
        if (name.endsWith(".map")) {
            maps.add(p);
            return true;
        }
        if (name.endsWith(SchemaLoader.SUFFIX)) {
            schemas.add(p);
            return true;
        }
        return false;
    }

    static SourceFile read(Path p) {
        try {
            return new SourceFile(p.toString(), Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    SchemaSet loadSchemas(List<Diagnostic> diagnostics) {
        SchemaSet set = SchemaSet.empty();
        for (Path p : schemas) {
            EntitySchema s = SchemaLoader.load(read(p), diagnostics);
            if (s != null) {
                set.add(s);
            }
        }
        return set;
    }

    List<SourceFile> readMaps() {
        return maps.stream().map(MapFiles::read).toList();
    }
}
