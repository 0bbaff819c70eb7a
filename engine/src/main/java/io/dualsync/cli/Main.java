package io.dualsync.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import picocli.CommandLine.Command;

/**
 * The {@code dualsync} command line. Exit codes are the same for every command: 0 ok, 1 the input
 * is invalid (diagnostics say why), 2 usage error.
 */
@Command(name = "dualsync",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Low-latency dual-write sync between Dynamics 365 F&O and Dataverse.",
        subcommands = {
            CheckCommand.class,
            FmtCommand.class,
            ImportDualWriteCommand.class,
            EmulateCommand.class,
            RunCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class,
        },
        footer = {"", "Exit codes: 0 ok, 1 invalid input, 2 usage error.",
            "Run `dualsync COMMAND --help` for a command's options."})
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int INVALID_INPUT = 1;
    public static final int USAGE = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line writing to the given streams. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("dualsync: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return INVALID_INPUT;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        // `dualsync` alone is a usage error: show what there is.
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"dualsync " + (v == null ? "(development build)" : v)};
        }
    }
}
