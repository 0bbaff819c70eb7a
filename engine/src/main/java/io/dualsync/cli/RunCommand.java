package io.dualsync.cli;

import io.dualsync.config.ConfigException;
import io.dualsync.config.EngineConfig;
import io.dualsync.engine.Engine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code dualsync run --config FILE}: runs the sync engine until SIGTERM or Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the sync engine with a configuration file until SIGTERM or Ctrl-C.")
public final class RunCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The YAML configuration file.")
    Path config;

    @Override
    public Integer call() throws Exception {
        EngineConfig cfg;
        try {
            cfg = EngineConfig.load(config);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return Main.INVALID_INPUT;
        }
        Engine engine = new Engine(cfg);
        try {
            engine.start().toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException e) {
            spec.commandLine().getErr().println("dualsync: " + e.getCause().getMessage());
            engine.stop();
            return Main.INVALID_INPUT;
        }
        spec.commandLine().getOut().println("dualsync: listening on port " + engine.port());
        // SIGTERM and Ctrl-C are handled here rather than in a shutdown hook: after a hook the JVM exits
        // with 128+signal whatever the command returns, and a clean stop should exit 0
        CountDownLatch stopRequested = new CountDownLatch(1);
        Signals.onTermination(stopRequested::countDown);
        stopRequested.await();
        spec.commandLine().getOut().println("dualsync: stopping (intake closed, draining in-flight writes)");
        spec.commandLine().getOut().flush();
        try {
            engine.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            spec.commandLine().getErr().println("dualsync: did not stop cleanly: " + e);
            return Main.INVALID_INPUT;
        }
        spec.commandLine().getOut().println("dualsync: stopped");
        return Main.OK;
    }
}
