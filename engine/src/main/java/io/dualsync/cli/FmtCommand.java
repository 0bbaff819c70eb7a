package io.dualsync.cli;

import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.format.Formatter;
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

/** {@code dualsync fmt}: rewrites mapping files in the canonical layout. */
@Command(name = "fmt", mixinStandardHelpOptions = true,
        description = {"Rewrite mapping files in the canonical layout, keeping comments.", "",
            "Idempotent. Folders are searched for *.map files. A file with syntax errors is left alone and",
            "reported."},
        footer = {"", "Exit codes: 0 done (or, with --check, nothing to change), 1 files would change or have",
            "syntax errors, 2 usage error."})
final class FmtCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Map files or folders holding them.")
    List<Path> paths;

    @Option(names = "--check", description = "Change nothing; list the files that would change and exit 1 if any.")
    boolean check;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cli = spec.commandLine();
        MapFiles files = MapFiles.collect(cli, paths);
        if (files.maps.isEmpty()) {
            throw new CommandLine.ParameterException(cli, "no .map files in " + paths);
        }
        PrintWriter out = cli.getOut();
        PrintWriter err = cli.getErr();
        List<Path> changed = new ArrayList<>();
        int broken = 0;
        for (Path p : files.maps) {
            SourceFile source = MapFiles.read(p);
            Formatter.Result result = Formatter.format(source);
            if (!result.ok()) {
                result.errors().forEach(d -> err.print(d.render()));
                broken++;
                continue;
            }
            if (result.text().equals(source.text())) {
                continue;
            }
            changed.add(p);
            if (check) {
                out.println(p);
            } else {
                write(p, result.text());
                err.println("formatted " + p);
            }
        }
        if (broken > 0) {
            err.println(broken + " file" + (broken == 1 ? " has" : "s have") + " syntax errors and " + (broken == 1 ? "was" : "were")
                    + " not formatted");
        }
        out.flush();
        err.flush();
        return broken > 0 || (check && !changed.isEmpty()) ? Main.INVALID_INPUT : Main.OK;
    }

    private static void write(Path p, String text) {
        try {
            // Write beside and move over, so an interrupted run never leaves half a file.
            Path tmp = p.resolveSibling(p.getFileName() + ".fmt.tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p, e);
        }
    }

}
