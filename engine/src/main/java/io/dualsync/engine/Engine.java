package io.dualsync.engine;

import io.dualsync.admin.AdminRoutes;
import io.dualsync.admin.Readiness;
import io.dualsync.apply.DeadLetterStore;
import io.dualsync.apply.Pipeline;
import io.dualsync.auth.ClientCredentials;
import io.dualsync.auth.MsalTokenProvider;
import io.dualsync.config.ConfigKeys;
import io.dualsync.config.EngineConfig;
import io.dualsync.config.SystemConfig;
import io.dualsync.conflict.ConflictResolver;
import io.dualsync.conflict.ManualConflicts;
import io.dualsync.conflict.SyncStateStore;
import io.dualsync.connector.TargetConnector;
import io.dualsync.connector.dataverse.DataverseConnector;
import io.dualsync.connector.dataverse.DataverseSettings;
import io.dualsync.connector.fo.FoConnector;
import io.dualsync.connector.fo.FoSettings;
import io.dualsync.dedup.Deduplicator;
import io.dualsync.dedup.EchoFilter;
import io.dualsync.ingest.EntityCatalog;
import io.dualsync.ingest.IngestListener;
import io.dualsync.ingest.IngestOptions;
import io.dualsync.ingest.IngestRoutes;
import io.dualsync.journal.ChronicleJournal;
import io.dualsync.journal.JournalOptions;
import io.dualsync.mapping.CompiledMap;
import io.dualsync.mapping.Diagnostic;
import io.dualsync.mapping.MapCompiler;
import io.dualsync.mapping.Side;
import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.SchemaLoader;
import io.dualsync.mapping.schema.SchemaSet;
import io.dualsync.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The dualsync daemon, built from an {@link EngineConfig}: compiles the maps, opens the journal,
 * sync state, dead letters and held conflicts under {@code journal.dir}, serves ingest, admin,
 * metrics and health on one HTTP server ({@code server.host}:{@code server.port}) and runs the
 * {@link Pipeline}. {@link #start} then {@link #stop}.
 */
public final class Engine {
    private final Vertx vertx;
    private final EngineConfig config;
    private final boolean ownsVertx;
    private final Metrics metrics = new Metrics().bindJvmMetrics();
    private final Readiness readiness = new Readiness();

    private ChronicleJournal journal;
    private SyncStateStore states;
    private DeadLetterStore deadLetters;
    private ManualConflicts manual;
    private MsalTokenProvider foTokens;
    private MsalTokenProvider dataverseTokens;
    private DataverseConnector dataverse;
    private FoConnector fo;
    private IngestRoutes ingest;
    private Pipeline pipeline;
    private HttpServer server;
    private String pipelineDeployment;

    /** An engine on its own Vert.x instance (closed by {@link #stop}). */
    public Engine(EngineConfig config) {
        this(Vertx.vertx(), config, true);
    }

    /** An engine on {@code vertx} (not closed by {@link #stop}). */
    public Engine(Vertx vertx, EngineConfig config) {
        this(vertx, config, false);
    }

    private Engine(Vertx vertx, EngineConfig config, boolean ownsVertx) {
        this.vertx = vertx;
        this.config = config;
        this.ownsVertx = ownsVertx;
    }

    /** The compiled maps and their schemas, or {@link IllegalStateException} with the rendered diagnostics. */
    static Compiled compile(Path mapsDir, Path schemasDir) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        SchemaSet schemas = SchemaSet.empty();
        for (Path p : files(schemasDir, SchemaLoader.SUFFIX)) {
            EntitySchema s = SchemaLoader.load(read(p), diagnostics);
            if (s != null) {
                schemas.add(s);
            }
        }
        List<SourceFile> maps = files(mapsDir, ".map").stream().map(Engine::read).toList();
        MapCompiler.Result result = MapCompiler.compile(maps, schemas);
        diagnostics.addAll(result.diagnostics());
        List<Diagnostic> errors = diagnostics.stream().filter(Diagnostic::isError).toList();
        if (!errors.isEmpty()) {
            throw new IllegalStateException("the maps in " + mapsDir + " do not compile:\n"
                    + errors.stream().map(Diagnostic::render).collect(Collectors.joining()));
        }
        if (result.maps().isEmpty()) {
            throw new IllegalStateException("no map (*.map) in " + mapsDir);
        }
        return new Compiled(result.maps(), schemas);
    }

    record Compiled(List<CompiledMap> maps, SchemaSet schemas) {
    }

    private static List<Path> files(Path dir, String suffix) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static SourceFile read(Path p) {
        try {
            return new SourceFile(p.toString(), Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    /** Builds and starts everything; completes once the HTTP server listens and the pipeline runs. */
    public Future<Engine> start() {
        return vertx.executeBlocking(() -> {
            openBlocking();
            return null;
        }).compose(v -> {
            Router router = Router.router(vertx);
            ingest.mount(router);
            new AdminRoutes(vertx, metrics, readiness, pipeline.conflictAdmin(), pipeline.deadLetterAdmin(),
                    config.adminAuth()).mount(router);
            return vertx.createHttpServer(new HttpServerOptions()
                            .setHost(config.get(ConfigKeys.SERVER_HOST)).setPort(config.get(ConfigKeys.SERVER_PORT)))
                    .requestHandler(router).listen();
        }).compose(s -> {
            server = s;
            // the pipeline gets an event loop of its own (a verticle's context): ingest and apply then
            // use a core each instead of sharing one
            return vertx.deployVerticle(new VerticleBase() {
                @Override
                public Future<?> start() {
                    return pipeline.start();
                }
            });
        }).map(id -> {
            pipelineDeployment = id;
            return this;
        });
    }

    private void openBlocking() {
        Path mapsDir = config.get(ConfigKeys.MAPS_DIR);
        Path schemasDir = config.find(ConfigKeys.MAPS_SCHEMAS).orElse(mapsDir);
        Compiled compiled = compile(mapsDir, schemasDir);
        Path dir = config.get(ConfigKeys.JOURNAL_DIR);
        journal = ChronicleJournal.open(dir.resolve("queue"), config.get(ConfigKeys.JOURNAL_DURABILITY),
                JournalOptions.defaults().withMaxUnconsumed(config.get(ConfigKeys.JOURNAL_MAX_UNCONSUMED))
                        .withSyncInterval(config.get(ConfigKeys.JOURNAL_SYNC_INTERVAL))
                        .withRetention(config.get(ConfigKeys.JOURNAL_RETENTION)));
        states = SyncStateStore.open(dir.resolve("state"));
        deadLetters = DeadLetterStore.open(dir.resolve("dead-letters"));
        Map<String, CompiledMap> byName = compiled.maps().stream()
                .collect(Collectors.toMap(CompiledMap::name, m -> m));
        ConflictResolver resolver = new ConflictResolver(Clock.systemUTC());
        manual = ManualConflicts.open(dir.resolve("conflicts"), resolver, byName::get);
        journal.beforeSavingPositions(() -> {
            states.sync();
            deadLetters.sync();
            manual.sync();
        });

        foTokens = new MsalTokenProvider(vertx, credentials(config.fo()));
        dataverseTokens = new MsalTokenProvider(vertx, credentials(config.dataverse()));
        Duration timeout = config.get(ConfigKeys.APPLY_REQUEST_TIMEOUT);
        fo = new FoConnector(vertx, FoSettings.of(config.fo().baseUrl().toString()).withRequestTimeout(timeout), foTokens,
                compiled.schemas());
        dataverse = new DataverseConnector(vertx, DataverseSettings.of(config.dataverse().baseUrl().toString())
                .withRequestTimeout(timeout), dataverseTokens, compiled.schemas(), compiled.maps());
        Map<Side, TargetConnector> connectors = new EnumMap<>(Side.class);
        connectors.put(Side.FO, fo);
        connectors.put(Side.DATAVERSE, dataverse);

        EchoFilter echoes = new EchoFilter(config.find(ConfigKeys.IDENTITY_FO_USER_ID).orElse(null),
                config.find(ConfigKeys.IDENTITY_DATAVERSE_USER_ID).orElse(null),
                config.get(ConfigKeys.ECHO_CACHE_SIZE), config.get(ConfigKeys.ECHO_TTL), System::nanoTime);
        Deduplicator dedup = new Deduplicator(echoes, 1_000_000, Duration.ofHours(24), System::nanoTime);
        Pipeline.Options options = new Pipeline.Options(config.get(ConfigKeys.APPLY_LANES),
                config.get(ConfigKeys.APPLY_QUEUE_PER_TARGET), config.get(ConfigKeys.APPLY_MAX_CONCURRENCY_FO),
                config.get(ConfigKeys.APPLY_MAX_CONCURRENCY_DATAVERSE), config.get(ConfigKeys.APPLY_RETRY_INITIAL_BACKOFF),
                config.get(ConfigKeys.APPLY_RETRY_MAX_BACKOFF), config.get(ConfigKeys.APPLY_RETRY_DEADLINE));
        pipeline = new Pipeline(vertx, journal, compiled.maps(), connectors, states, deadLetters, manual, dedup, echoes,
                resolver, metrics, options, Clock.systemUTC());

        IngestOptions ingestOptions = new IngestOptions()
                .bodyLimitBytes(config.get(ConfigKeys.SERVER_MAX_BODY_BYTES))
                .retryAfterSeconds(Math.max(1, config.get(ConfigKeys.SERVER_RETRY_AFTER).toSeconds()))
                .dataverseAuth(config.dataverseWebhookAuth())
                .foAuth(config.foWebhookAuth())
                .eventsAuth(config.eventsAuth());
        for (CompiledMap m : compiled.maps()) {
            for (io.dualsync.mapping.BusinessEventBinding e : m.events()) {
                ingestOptions.businessEvent(e.id(), new io.dualsync.ingest.BusinessEventBinding(m.foEntity(), e.byEventField()));
            }
        }
        ingest = new IngestRoutes(journal, EntityCatalog.of(compiled.schemas()), ingestOptions,
                IngestListener.metrics(metrics), Clock.systemUTC());
        readiness.require("journal is not open", journal::isOpen);
    }

    /** MSAL credentials for a system; with {@code tokenHost} the authority's calls go to that host. */
    static ClientCredentials credentials(SystemConfig s) {
        String authority = s.authority().toString();
        if (s.tokenHost().isPresent()) {
            String host = s.tokenHost().get().toString().replaceAll("/+$", "");
            authority = host + s.authority().getRawPath();
        }
        String resource = s.baseUrl().toString().replaceAll("/+$", "");
        if (s.certificateCert().isPresent() && s.certificateKey().isPresent()) {
            return ClientCredentials.certificate(authority, s.clientId(), s.certificateCert().get(), s.certificateKey().get(),
                    resource);
        }
        return ClientCredentials.secret(authority, s.clientId(), s.clientSecret().map(x -> x.reveal()).orElse(null), resource);
    }

    /** The port the HTTP server listens on (useful with {@code server.port: 0}). */
    public int port() {
        return server.actualPort();
    }

    public Metrics metrics() {
        return metrics;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    /** Stops intake, drains in-flight work up to {@code shutdown.drainTimeout}, closes everything. */
    public Future<Void> stop() {
        readiness.markStopping();
        Future<Void> stopIngest = ingest == null ? Future.succeededFuture() : ingest.stop();
        return stopIngest
                .compose(v -> pipeline == null ? Future.succeededFuture()
                        : pipeline.stop(config.get(ConfigKeys.SHUTDOWN_DRAIN_TIMEOUT)))
                .compose(v -> server == null ? Future.succeededFuture() : server.close())
                .compose(v -> pipelineDeployment == null ? Future.succeededFuture() : vertx.undeploy(pipelineDeployment))
                .compose(v -> vertx.executeBlocking(() -> {
                    closeQuietly(fo);
                    closeQuietly(dataverse);
                    closeQuietly(foTokens);
                    closeQuietly(dataverseTokens);
                    closeQuietly(manual);
                    closeQuietly(deadLetters);
                    closeQuietly(states);
                    closeQuietly(journal);
                    return null;
                }))
                .compose(v -> ownsVertx ? vertx.close() : Future.succeededFuture())
                .mapEmpty();
    }

    private static void closeQuietly(Object o) {
        if (o instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing on the way out: nothing more to do
            }
        }
    }
}
