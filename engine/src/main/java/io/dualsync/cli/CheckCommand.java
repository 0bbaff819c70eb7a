package io.dualsync.cli;

import io.dualsync.mapping.Diagnostic;
import io.dualsync.mapping.MapCompiler;
import io.dualsync.mapping.MapJson;
import io.dualsync.mapping.schema.SchemaSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dualsync check}: validates mapping files, optionally against entity schemas. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check mapping files and report every problem with its location.", "",
            "Checks syntax and structure and, where entity schemas are found, fields, types, keys, mandatory",
            "and read-only fields. Reports every problem of every file, sorted by position. Folders are",
            "searched for *.map and *.schema.json files."},
        footer = {"", "Exit codes: 0 every map is valid, 1 problems were found, 2 usage error."})
final class CheckCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Map files, schema files or folders holding them.")
    List<Path> paths;

    @Option(names = "--schema", paramLabel = "PATH", description = "More schema files or folders (repeatable).")
    List<Path> schemaPaths = new ArrayList<>();

    @Option(names = "--json", description = "Print the compiled maps as one JSON document on standard output.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cli = spec.commandLine();
        MapFiles files = MapFiles.collect(cli, paths);
        files.schemas.addAll(MapFiles.collect(cli, schemaPaths).schemas);
        if (files.maps.isEmpty()) {
            throw new CommandLine.ParameterException(cli, "no .map files in " + paths);
        }
        List<Diagnostic> schemaProblems = new ArrayList<>();
        SchemaSet schemas = files.loadSchemas(schemaProblems);
        MapCompiler.Result result = MapCompiler.compile(files.readMaps(), schemas);
        List<Diagnostic> all = new ArrayList<>(schemaProblems);
        all.addAll(result.diagnostics());
        all.sort(Diagnostic.BY_POSITION);

        PrintWriter err = cli.getErr();
        for (Diagnostic d : all) {
            err.print(d.render());
        }
        long errors = all.stream().filter(Diagnostic::isError).count();
        long warnings = all.size() - errors;
        err.printf("%s: %d map file%s, %d schema%s, %d map%s: %d error%s, %d warning%s%n",
                errors == 0 ? "ok" : "failed",
                files.maps.size(), plural(files.maps.size()), files.schemas.size(), plural(files.schemas.size()),
                result.maps().size(), plural(result.maps().size()), errors, plural(errors), warnings, plural(warnings));
        err.flush();
        if (errors > 0) {
            return Main.INVALID_INPUT;
        }
        if (json) {
            PrintWriter out = cli.getOut();
            out.println(MapJson.write(result.maps()));
            out.flush();
        }
        return Main.OK;
    }

    private static String plural(long n) {
        return n == 1 ? "" : "s";
    }
}
