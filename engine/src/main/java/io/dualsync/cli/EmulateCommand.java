package io.dualsync.cli;

import io.dualsync.emulator.EmulatorOptions;
import io.dualsync.emulator.Emulators;
import io.vertx.core.Vertx;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code dualsync emulate}: runs the local F&O and Dataverse emulators until Ctrl-C. */
@Command(name = "emulate", mixinStandardHelpOptions = true,
        description = {"Run local emulators of Dynamics 365 F&O and Dataverse until Ctrl-C.", "",
            "Both listen on 127.0.0.1 and require bearer tokens from their own token endpoint; the development",
            "identity (tenant dualsync-dev, client id dualsync-dev, secret dualsync-dev-secret) works out of",
            "the box. See docs/emulators.md for what they emulate and the /_emulator/ control API."},
        footer = {"", "Exit codes: 0 stopped cleanly, 1 could not start (port in use, bad schema), 2 usage error."})
final class EmulateCommand implements Callable<Integer> {
    @Option(names = "--fo-port", paramLabel = "N", description = "F&O port (default ${DEFAULT-VALUE}).")
    int foPort = 7071;

    @Option(names = "--dataverse-port", paramLabel = "N", description = "Dataverse port (default ${DEFAULT-VALUE}).")
    int dataversePort = 7072;

    @Option(names = "--seed", paramLabel = "demo|none", description = "Data to start with (default ${DEFAULT-VALUE}).")
    String seed = "demo";

    @Option(names = "--schema", paramLabel = "DIR", description = "Entity schemas to serve (default: the built-in ones).")
    Path schemaDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML or JSON: webhook registrations, F&O event endpoints, limits (docs/emulators.md).")
    Path config;

    @Option(names = "--auth", paramLabel = "on|off", description = "Require bearer tokens (default ${DEFAULT-VALUE}); off is for curl experiments.")
    String auth = "on";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        CommandLine cli = spec.commandLine();
        if (!seed.equals("demo") && !seed.equals("none")) {
            throw new CommandLine.ParameterException(cli, "--seed takes demo or none, not " + seed);
        }
        if (!auth.equals("on") && !auth.equals("off")) {
            throw new CommandLine.ParameterException(cli, "--auth takes on or off, not " + auth);
        }
        if (schemaDir != null && !Files.isDirectory(schemaDir)) {
            throw new CommandLine.ParameterException(cli, schemaDir + ": no such folder");
        }
        EmulatorOptions options = new EmulatorOptions();
        options.foPort = foPort;
        options.dataversePort = dataversePort;
        options.seed = seed;
        options.schemaDir = schemaDir;
        options.auth = auth.equals("on");
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                throw new CommandLine.ParameterException(cli, config + ": no such file");
            }
            try {
                io.dualsync.emulator.EmulatorConfig.apply(config, options);
            } catch (IllegalArgumentException | java.io.IOException e) {
                cli.getErr().println("dualsync emulate: " + e.getMessage());
                return Main.INVALID_INPUT;
            }
        }

        Vertx vertx = Vertx.vertx();
        Emulators emulators;
        try {
            emulators = Emulators.start(vertx, options).await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            cli.getErr().println("dualsync emulate: could not start: " + e.getMessage());
            return Main.INVALID_INPUT;
        }
        PrintWriter out = cli.getOut();
        out.println("F&O emulator:       " + emulators.foUrl() + "/data/");
        out.println("Dataverse emulator: " + emulators.dataverseUrl() + "/api/data/v9.2/");
        out.println("Token endpoints:    " + Emulators.tokenEndpoint(emulators.foUrl(), options.devTenant));
        out.println("                    " + Emulators.tokenEndpoint(emulators.dataverseUrl(), options.devTenant));
        out.println("Identity:           tenant " + options.devTenant + ", client id " + options.devClientId
                + ", secret " + options.devClientSecret + (options.auth ? "" : " (tokens not required: --auth off)"));
        out.println("Scopes:             " + emulators.foUrl() + "/.default, " + emulators.dataverseUrl() + "/.default");
        out.println("Control API:        " + emulators.foUrl() + "/_emulator/, " + emulators.dataverseUrl() + "/_emulator/");
        out.println("Seed: " + seed + ". Press Ctrl-C to stop.");
        out.flush();

        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                emulators.close().transform(x -> vertx.close()).await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Stopping anyway.
            } finally {
                stopped.countDown();
            }
        }, "dualsync-emulate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        stopped.await();
        return Main.OK;
    }
}
