package io.dualsync.cli;

import io.dualsync.mapping.Diagnostic;
import io.dualsync.mapping.MapCompiler;
import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.dualwrite.DualWriteImporter;
import io.dualsync.mapping.format.Formatter;
import io.dualsync.mapping.schema.SchemaLoader;
import io.dualsync.mapping.schema.SchemaSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dualsync import-dualwrite}: converts a Microsoft dual-write map into a mapping file. */
@Command(name = "import-dualwrite", mixinStandardHelpOptions = true,
        description = {"Convert a Microsoft dual-write map into a mapping file with the same meaning.", "",
            "FILE is either the map JSON dual-write stores (legs[], fieldMappings[], valueTransforms[]) or the",
            "field table of Microsoft's documentation page of an out-of-box map (## X to Y, then the table).",
            "Field spelling, keys, company and value maps come from entity schemas: the built-in ones plus",
            "any given with --schema. Constructs that cannot be converted are reported with their location",
            "and left in the output as comments, never dropped silently."},
        footer = {"", "Exit codes: 0 converted, 1 something could not be converted (the output says where), 2 usage error."})
final class ImportDualWriteCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The dual-write map JSON or documentation table (markdown).")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Write the map here instead of standard output.")
    Path output;

    @Option(names = "--name", paramLabel = "NAME", description = "The map's name (default: from the F&O entity).")
    String name;

    @Option(names = "--schema", paramLabel = "PATH", description = "More schema files or folders (repeatable).")
    List<Path> schemaPaths = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cli = spec.commandLine();
        if (!Files.isRegularFile(input)) {
            throw new CommandLine.ParameterException(cli, input + ": no such file");
        }
        List<Diagnostic> problems = new ArrayList<>();
        SchemaSet schemas = SchemaLoader.builtIn();
        MapFiles.collect(cli, schemaPaths).loadSchemas(problems).all().forEach(schemas::add);

        DualWriteImporter.Result result = DualWriteImporter.importMap(MapFiles.read(input), schemas, name);
        problems.addAll(result.diagnostics());
        String text = result.text();
        if (text != null && !text.isEmpty()) {
            Formatter.Result formatted = Formatter.format(new SourceFile(input.toString(), text));
            if (formatted.ok()) {
                text = formatted.text();
            }
            // What we produce must pass `check`: say so here rather than at the user's next step.
            String where = output == null ? "the imported map" : output.toString();
            problems.addAll(MapCompiler.compile(where, text, schemas).errors());
        }
        PrintWriter err = cli.getErr();
        problems.forEach(d -> err.print(d.render()));
        long errors = problems.stream().filter(Diagnostic::isError).count();
        if (text != null && !text.isEmpty()) {
            if (output == null) {
                cli.getOut().print(text);
                cli.getOut().flush();
            } else {
                write(output, text);
                err.println("wrote " + output);
            }
        }
        if (errors > 0) {
            err.println("import-dualwrite: " + errors + " problem" + (errors == 1 ? "" : "s") + " to fix by hand");
        }
        err.flush();
        return errors > 0 || text == null || text.isEmpty() ? Main.INVALID_INPUT : Main.OK;
    }

    private static void write(Path p, String text) {
        try {
            if (p.getParent() != null) {
                Files.createDirectories(p.getParent());
            }
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p, e);
        }
    }
}
