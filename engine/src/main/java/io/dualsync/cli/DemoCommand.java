package io.dualsync.cli;

import io.dualsync.config.EngineConfig;
import io.dualsync.emulator.EmulatorOptions;
import io.dualsync.emulator.Emulators;
import io.dualsync.engine.Engine;
import io.dualsync.mapping.Side;
import io.dualsync.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code dualsync demo}: both emulators and the engine in one process, a stream of changes to customers
 * and vendors on both sides, live progress from the engine's metrics, and at the end a comparison of
 * the two sides over every field the maps map ({@link DemoComparison}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run both emulators and the engine, drive creates, updates, deletes and",
            "concurrent edits of customers and vendors on both sides, show progress once",
            "a second, then check that both sides are equal.", "",
            "Compares every record each map syncs (customers: CustomersV3 and accounts;",
            "vendors: VendorsV2 and msdyn_vendors), paired by the map's keys, on every",
            "mapped field as the map relates them (value maps, lookups, defaults), and",
            "prints the first differences with key, field and both values."},
        footer = {"", "Exit codes: 0 both sides equal, 1 they differ or the demo could not start, 2 usage error."})
final class DemoCommand implements Callable<Integer> {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration IDLE_STABLE = Duration.ofSeconds(2);
    /** Differences printed at most. */
    private static final int SHOWN = 50;

    @Option(names = "--duration", paramLabel = "TIME", description = "How long to drive changes: 60s, 2m (default ${DEFAULT-VALUE}).")
    String duration = "60s";

    @Option(names = "--rate", paramLabel = "N", description = "Changes per second over both sides, at most: fewer while the engine catches up (default ${DEFAULT-VALUE}).")
    int rate = 20;

    @Option(names = "--engine-port", paramLabel = "N", description = "Engine port: ingest, /metrics, admin (default ${DEFAULT-VALUE}; 0 any free).")
    int enginePort = 8080;

    @Option(names = "--fo-port", paramLabel = "N", description = "F&O emulator port (default ${DEFAULT-VALUE}; 0 any free).")
    int foPort = 7071;

    @Option(names = "--dataverse-port", paramLabel = "N", description = "Dataverse emulator port (default ${DEFAULT-VALUE}; 0 any free).")
    int dataversePort = 7072;

    @Option(names = "--maps", paramLabel = "DIR", description = "The maps (default: examples/maps next to the working folder or the jar).")
    Path maps;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLine cli = spec.commandLine();
        PrintWriter out = cli.getOut();
        PrintWriter err = cli.getErr();
        Duration runFor = parseDuration(cli, duration);
        if (rate < 1 || rate > 1000) {
            throw new CommandLine.ParameterException(cli, "--rate takes 1 to 1000 changes per second, not " + rate);
        }
        Path mapsDir = maps != null ? maps : findMaps();
        if (mapsDir == null || !Files.isDirectory(mapsDir)) {
            err.println("dualsync demo: cannot find the maps folder examples/maps (looked in the working folder "
                    + Paths.get("").toAbsolutePath() + ", its parents and next to the jar); run from the dualsync "
                    + "checkout or pass --maps DIR");
            return Main.INVALID_INPUT;
        }

        Path work = Files.createTempDirectory("dualsync-demo");
        Path schemaDir;
        DemoSetup.Maps compiled;
        try {
            schemaDir = DemoSetup.schemaFolder(mapsDir, work.resolve("schemas"));
            compiled = DemoSetup.compile(mapsDir, schemaDir);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(work);
            err.println("dualsync demo: " + e.getMessage());
            return Main.INVALID_INPUT;
        }

        EmulatorOptions options = new EmulatorOptions();
        options.schemaDir = schemaDir;
        options.foPort = foPort;
        options.dataversePort = dataversePort;
        options.seed = "demo";
        options.auth = true;
        // the driver is a person using another application: its changes are not the engine's echoes
        options.clients.add(new EmulatorOptions.Client(options.devTenant, DemoDriver.CLIENT_ID, DemoDriver.SECRET, null));

        Vertx vertx = Vertx.vertx();
        Emulators emulators = null;
        Engine engine = null;
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(3, r -> {
            Thread t = new Thread(r, "dualsync-demo");
            t.setDaemon(true);
            return t;
        });
        CountDownLatch finished = new CountDownLatch(1);
        CountDownLatch stopRequested = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopRequested.countDown();
            try {
                finished.await(90, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "dualsync-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            try {
                emulators = await(Emulators.start(vertx, options));
                engine = await(new Engine(vertx, EngineConfig.parse(yaml(emulators, mapsDir, schemaDir, work, options.devTenant, enginePort),
                        "demo.yaml", work, name -> null)).start());
            } catch (Exception e) {
                err.println("dualsync demo: could not start: " + (e.getMessage() == null ? e : e.getMessage()));
                return Main.INVALID_INPUT;
            }
            String engineUrl = "http://127.0.0.1:" + engine.port();
            CatchUp catchUp = new CatchUp();
            DemoDriver driver = new DemoDriver(emulators.foUrl(), emulators.dataverseUrl(), options.devTenant, catchUp::at);
            try {
                driver.prepare(compiled.maps());
            } catch (IllegalStateException e) {
                err.println("dualsync demo: " + e.getMessage());
                return Main.INVALID_INPUT;
            }
            JsonArray foSets = new JsonArray();
            for (DemoEntity e : driver.entities()) {
                driver.control(emulators.dataverseUrl(), "webhooks", new JsonObject().put("url", engineUrl + "/webhooks/dataverse")
                        .put("entity", e.logicalName).put("messages", new JsonArray().add("Create").add("Update").add("Delete")));
                foSets.add(e.foSet);
            }
            driver.control(emulators.foUrl(), "events/endpoints", new JsonObject().put("url", engineUrl + "/webhooks/fo")
                    .put("kind", "data").put("entitySets", foSets));

            out.println("F&O emulator:       " + emulators.foUrl() + "/data/");
            out.println("Dataverse emulator: " + emulators.dataverseUrl() + "/api/data/v9.2/");
            out.println("Engine:             " + engineUrl + " (maps " + mapsDir + ")");
            out.println("Metrics:            " + engineUrl + "/metrics");
            if (driver.skipped() != null) {
                out.println("Note: " + driver.skipped() + ".");
            }
            out.println("Driving " + rate + " changes/s to " + driver.entities().stream().map(e -> e.name)
                    .collect(Collectors.joining(" and ")) + " for " + runFor.toSeconds() + "s (Ctrl-C stops early) ...");
            out.flush();

            Progress progress = new Progress(engine, driver);
            long started = System.nanoTime();
            Engine running = engine;
            scheduler.scheduleWithFixedDelay(guarded(() -> catchUp.sample(driver, running), err), 0, 200, TimeUnit.MILLISECONDS);
            scheduler.scheduleAtFixedRate(guarded(driver::step, err), 0, Math.max(1, 1_000_000 / rate), TimeUnit.MICROSECONDS);
            scheduler.scheduleAtFixedRate(guarded(() -> {
                out.println(progress.line(System.nanoTime() - started));
                out.flush();
            }, err), 1, 1, TimeUnit.SECONDS);
            boolean interrupted = stopRequested.await(runFor.toMillis(), TimeUnit.MILLISECONDS);
            scheduler.shutdown();
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
            out.println((interrupted ? "Stopped by Ctrl-C" : "Stopped driving") + " after " + seconds(System.nanoTime() - started)
                    + ": " + driver.foChanges.get() + " changes on F&O, " + driver.dataverseChanges.get() + " on Dataverse ("
                    + driver.tallies() + "; " + driver.concurrentEdits.get() + " concurrent edits of one record on both sides, "
                    + driver.waits.get() + " steps waited for the engine to catch up, "
                    + driver.failures.get() + " driver requests refused"
                    + (driver.lastFailure() == null ? "" : ", last: " + driver.lastFailure()) + ")");
            out.println("Waiting for the engine to be idle (journal lag 0, nothing in flight; at most "
                    + IDLE_TIMEOUT.toSeconds() + "s) ...");
            out.flush();
            boolean idle = awaitIdle(engine, vertx);
            out.println(progress.line(System.nanoTime() - started));
            if (!idle) {
                out.println("The engine did not become idle within " + IDLE_TIMEOUT.toSeconds() + "s; comparing anyway.");
            }
            DemoComparison.Result result;
            try {
                result = new DemoComparison(compiled.maps(), compiled.schemas()).compare(driver::foRows, driver::dataverseRows);
            } catch (RuntimeException e) {
                err.println("dualsync demo: cannot compare the two sides: " + e.getMessage());
                return Main.INVALID_INPUT;
            }
            if (result.equal()) {
                out.println("both sides equal: " + result.counts() + ", every mapped field (" + result.fields() + " fields)");
                out.flush();
                return Main.OK;
            }
            List<DemoComparison.Difference> differences = result.differences();
            out.println("both sides differ: " + differences.size() + " difference" + (differences.size() == 1 ? "" : "s")
                    + " in " + result.counts() + " (" + result.fields() + " mapped fields compared)");
            differences.stream().limit(SHOWN).forEach(d -> out.println("  " + d));
            if (differences.size() > SHOWN) {
                out.println("  ... and " + (differences.size() - SHOWN) + " more");
            }
            out.flush();
            return Main.INVALID_INPUT;
        } finally {
            scheduler.shutdownNow();
            if (engine != null) {
                awaitQuietly(engine.stop());
            }
            if (emulators != null) {
                awaitQuietly(emulators.close());
            }
            awaitQuietly(vertx.close());
            deleteQuietly(work);
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for `finished`
            }
        }
    }

    private static String yaml(Emulators emulators, Path mapsDir, Path schemaDir, Path work, String tenant, int enginePort) {
        String user = UUID.nameUUIDFromBytes(("app-user:" + "dualsync-dev").getBytes(StandardCharsets.UTF_8)).toString();
        return String.join("\n",
                "fo:",
                "  baseUrl: " + emulators.foUrl(),
                "  tenant: " + tenant,
                "  clientId: dualsync-dev",
                "  clientSecret: dualsync-dev-secret",
                "  tokenHost: " + emulators.foUrl(),
                "dataverse:",
                "  baseUrl: " + emulators.dataverseUrl(),
                "  tenant: " + tenant,
                "  clientId: dualsync-dev",
                "  clientSecret: dualsync-dev-secret",
                "  tokenHost: " + emulators.dataverseUrl(),
                "identity:",
                "  foUserId: " + user,
                "  dataverseUserId: " + user,
                "maps:",
                "  dir: " + mapsDir,
                schemaDir == null ? "" : "  schemas: " + schemaDir,
                "journal:",
                "  dir: " + work.resolve("data"),
                "server:",
                "  host: 127.0.0.1",
                "  port: " + enginePort,
                "apply:",
                "  retry:",
                "    deadline: 30s",
                "");
    }

    /**
     * When the whole flow was last seen caught up: no change event waiting in the emulators, none
     * unprocessed in the engine, twice in a row (the pipeline's in-flight count is read from another
     * thread and may be a little stale). Every change completed before that moment has reached the
     * other side. Sampled from one scheduler thread; read by the driver's.
     */
    private static final class CatchUp {
        private volatile long at;
        private long idleSince = -1;

        long at() {
            return at;
        }

        void sample(DemoDriver driver, Engine engine) {
            long t = System.currentTimeMillis();
            boolean idle = driver.pendingDeliveries() == 0
                    && gaugeSum(engine.metrics().registry(), Metrics.JOURNAL_LAG_EVENTS) == 0 && inFlight(engine) == 0;
            if (!idle) {
                idleSince = -1;
            } else if (idleSince < 0) {
                idleSince = t;
            } else {
                at = idleSince;
                idleSince = t;
            }
        }
    }

    /** The engine is idle when no target has journal lag and nothing is in flight, for {@link #IDLE_STABLE} on end. */
    private static boolean awaitIdle(Engine engine, Vertx vertx) throws InterruptedException {
        long deadline = System.nanoTime() + IDLE_TIMEOUT.toNanos();
        long idleSince = -1;
        double ingestedBefore = -1;
        while (System.nanoTime() < deadline) {
            double ingested = sum(engine.metrics().registry(), Metrics.INGEST_EVENTS);
            boolean idle = gaugeSum(engine.metrics().registry(), Metrics.JOURNAL_LAG_EVENTS) == 0
                    && inFlight(engine) == 0 && ingested == ingestedBefore;
            ingestedBefore = ingested;
            if (!idle) {
                idleSince = -1;
            } else if (idleSince < 0) {
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince >= IDLE_STABLE.toNanos()) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    private static int inFlight(Engine engine) {
        // the pipeline is single-threaded on its context: a plain read from here may be a little stale,
        // which the stable-for-two-seconds rule covers
        return engine.pipeline().inFlight();
    }

    /** One progress line a second from the engine's meters: rates are the difference since the last line. */
    private static final class Progress {
        private final Engine engine;
        private final DemoDriver driver;
        private double[] last = new double[4];

        Progress(Engine engine, DemoDriver driver) {
            this.engine = engine;
            this.driver = driver;
        }

        String line(long elapsedNanos) {
            Metrics m = engine.metrics();
            MeterRegistry r = m.registry();
            double[] now = {
                m.ingestEvents(Metrics.IngestSource.FO, Metrics.IngestResult.ACCEPTED).count(),
                m.ingestEvents(Metrics.IngestSource.DATAVERSE, Metrics.IngestResult.ACCEPTED).count(),
                m.applyEvents(Side.DATAVERSE, Metrics.ApplyResult.APPLIED).count(),
                m.applyEvents(Side.FO, Metrics.ApplyResult.APPLIED).count(),
            };
            double[] d = new double[now.length];
            for (int i = 0; i < now.length; i++) {
                d[i] = now[i] - last[i];
            }
            last = now;
            Map<String, Double> outcomes = new TreeMap<>();
            for (Counter c : r.find(Metrics.CONFLICTS).counters()) {
                outcomes.merge(c.getId().getTag(Metrics.OUTCOME), c.count(), Double::sum);
            }
            StringBuilder conflicts = new StringBuilder();
            outcomes.forEach((k, v) -> conflicts.append(conflicts.length() == 0 ? "" : " ").append(k).append('=').append((long) (double) v));
            return String.format(Locale.ROOT,
                    "%6s  driven fo=%d dv=%d | ingested/s fo=%.0f dv=%.0f | applied/s fo->dv=%.0f dv->fo=%.0f"
                            + " | lag %d events %.1fs | conflicts %d%s | retries %d | dead letters %d",
                    seconds(elapsedNanos), driver.foChanges.get(), driver.dataverseChanges.get(), d[0], d[1], d[2], d[3],
                    (long) gaugeSum(r, Metrics.JOURNAL_LAG_EVENTS), gaugeMax(r, Metrics.JOURNAL_LAG_SECONDS),
                    (long) sum(r, Metrics.CONFLICTS), conflicts.length() == 0 ? "" : " (" + conflicts + ")",
                    (long) sum(r, Metrics.APPLY_RETRIES), (long) gaugeSum(r, Metrics.DEADLETTERS));
        }
    }

    private static double sum(MeterRegistry r, String name) {
        return r.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static double gaugeSum(MeterRegistry r, String name) {
        return r.find(name).gauges().stream().mapToDouble(Gauge::value).filter(v -> !Double.isNaN(v)).sum();
    }

    private static double gaugeMax(MeterRegistry r, String name) {
        return r.find(name).gauges().stream().mapToDouble(Gauge::value).filter(v -> !Double.isNaN(v)).max().orElse(0);
    }

    private static String seconds(long nanos) {
        return (nanos / 1_000_000_000L) + "s";
    }

    private static Runnable guarded(Runnable task, PrintWriter err) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // one failed step must not cancel the schedule
                err.println("dualsync demo: " + e.getMessage());
            }
        };
    }

    static Duration parseDuration(CommandLine cli, String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new CommandLine.ParameterException(cli, "--duration takes a time like 20s, 2m or 500ms, not " + text);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero()) {
            throw new CommandLine.ParameterException(cli, "--duration must be more than 0");
        }
        return d;
    }

    /** examples/maps in the working folder or a parent of it, or next to (or above) the jar. */
    static Path findMaps() {
        List<Path> starts = new ArrayList<>();
        starts.add(Paths.get("").toAbsolutePath());
        try {
            Path jar = Paths.get(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            starts.add(jar.getParent());
        } catch (Exception ignored) {
            // no code source: the working folder is enough
        }
        for (Path start : starts) {
            for (Path p = start; p != null; p = p.getParent()) {
                Path candidate = p.resolve("examples").resolve("maps");
                if (Files.isDirectory(candidate)) {
                    return candidate.normalize();
                }
            }
        }
        return null;
    }

    private static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    private static void awaitQuietly(Future<?> f) {
        try {
            f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // shutting down: nothing more to do
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temp folder: the OS cleans up what is left
                }
            });
        } catch (IOException ignored) {
            // same
        }
    }
}
