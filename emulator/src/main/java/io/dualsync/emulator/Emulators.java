package io.dualsync.emulator;

import io.dualsync.emulator.control.ControlApi;
import io.dualsync.emulator.control.Faults;
import io.dualsync.emulator.control.FoThrottling;
import io.dualsync.emulator.control.ServiceProtection;
import io.dualsync.emulator.dataverse.DataverseApi;
import io.dualsync.emulator.dataverse.webhooks.Webhooks;
import io.dualsync.emulator.fo.FoApi;
import io.dualsync.emulator.fo.events.FoEvents;
import io.dualsync.emulator.identity.Identity;
import io.dualsync.emulator.seed.Seeds;
import io.dualsync.mapping.Diagnostic;
import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.SchemaLoader;
import io.dualsync.mapping.schema.SchemaSet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Both emulators, started together: F&O on {@link EmulatorOptions#foPort} (default 7071) and
 * Dataverse on {@link EmulatorOptions#dataversePort} (default 7072), on loopback. Used by the
 * {@code dualsync emulate} command, the demo, tests and benchmarks. Each emulator serves, in this
 * order: fault injection and counters, the {@code /_emulator/} control API, its token endpoint,
 * event registration, the bearer-token guard, rate limits, and the service's API.
 */
public final class Emulators {
    private final EmulatorServer fo;
    private final EmulatorServer dataverse;
    private final Webhooks webhooks;
    private final FoEvents foEvents;

    private Emulators(EmulatorServer fo, EmulatorServer dataverse, Webhooks webhooks, FoEvents foEvents) {
        this.fo = fo;
        this.dataverse = dataverse;
        this.webhooks = webhooks;
        this.foEvents = foEvents;
    }

    /** Starts both emulators; fails when a port is taken or a schema file is invalid. */
    public static Future<Emulators> start(Vertx vertx, EmulatorOptions options) {
        SchemaSet schemas;
        try {
            schemas = schemas(options.schemaDir);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        EmulatorContext foCtx = new EmulatorContext(vertx, options, EmulatorContext.Kind.FO);
        EmulatorContext dvCtx = new EmulatorContext(vertx, options, EmulatorContext.Kind.DATAVERSE);
        FoApi.loadTables(foCtx, schemas);
        DataverseApi.loadTables(dvCtx, schemas);
        Seeds.load(foCtx, dvCtx, options.seed);

        Webhooks webhooks = new Webhooks(dvCtx);
        dvCtx.addListener(webhooks);
        FoEvents foEvents = new FoEvents(foCtx); // subscribes itself to foCtx's writes
        try {
            // Registered before the servers start, so no request can see half of them.
            options.webhooks.forEach(webhooks::register);
            options.eventEndpoints.forEach(foEvents::register);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }

        Future<EmulatorServer> foServer = EmulatorServer.start(foCtx, options.foPort, modules(foCtx, "/data/*",
                foEvents, "eventDeliveries", () -> foEvents.counters().getMap(), new FoThrottling(foCtx), new FoApi(foCtx)));
        Future<EmulatorServer> dvServer = EmulatorServer.start(dvCtx, options.dataversePort, modules(dvCtx, "/api/data/v9.2/*",
                webhooks, "webhookDeliveries", () -> webhooks.counters().getMap(), new ServiceProtection(dvCtx), new DataverseApi(dvCtx)));
        return Future.all(foServer, dvServer).recover(e -> {
            // One came up, the other did not (a port in use): do not leave the first listening.
            List<Future<Void>> closing = new ArrayList<>();
            if (foServer.succeeded()) {
                closing.add(foServer.result().close());
            }
            if (dvServer.succeeded()) {
                closing.add(dvServer.result().close());
            }
            return Future.join(closing).transform(x -> Future.failedFuture(e));
        }).map(all -> new Emulators(foServer.result(), dvServer.result(), webhooks, foEvents));
    }

    private static List<EmulatorModule> modules(EmulatorContext ctx, String apiPrefix, EmulatorModule events,
                                                String deliveriesName, java.util.function.Supplier<Object> deliveries,
                                                EmulatorModule limits, EmulatorModule api) {
        Faults faults = new Faults(ctx);
        ControlApi control = new ControlApi(ctx, faults);
        control.addCounterSource(deliveriesName, deliveries);
        Identity identity = new Identity(ctx);
        ctx.authenticator(identity);
        EmulatorModule guard = router -> router.route(apiPrefix).handler(ctx.authGuard());
        return List.of(faults, control, identity, events, guard, limits, api);
    }

    /** The schemas of a folder ({@code *.schema.json}), or the built-in ones when {@code dir} is null. */
    static SchemaSet schemas(Path dir) {
        if (dir == null) {
            return SchemaLoader.builtIn();
        }
        SchemaSet set = SchemaSet.empty();
        List<Diagnostic> problems = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(SchemaLoader.SUFFIX)).sorted().toList()) {
                EntitySchema s = SchemaLoader.load(new SourceFile(p.toString(), Files.readString(p, StandardCharsets.UTF_8)), problems);
                if (s != null) {
                    set.add(s);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schemas in " + dir, e);
        }
        if (!problems.isEmpty()) {
            StringBuilder b = new StringBuilder("invalid schema files:\n");
            problems.forEach(d -> b.append(d.render()));
            throw new IllegalArgumentException(b.toString());
        }
        if (set.isEmpty()) {
            throw new IllegalArgumentException("no " + SchemaLoader.SUFFIX + " files in " + dir);
        }
        return set;
    }

    public EmulatorServer fo() {
        return fo;
    }

    public EmulatorServer dataverse() {
        return dataverse;
    }

    /** {@code http://127.0.0.1:7071}: F&O's base URL (its OData service is under {@code /data/}). */
    public String foUrl() {
        return fo.baseUrl();
    }

    /** {@code http://127.0.0.1:7072}: Dataverse's base URL (its Web API is under {@code /api/data/v9.2/}). */
    public String dataverseUrl() {
        return dataverse.baseUrl();
    }

    /** The token endpoint an emulator serves for a tenant. */
    public static String tokenEndpoint(String baseUrl, String tenant) {
        return baseUrl + "/" + tenant + "/oauth2/v2.0/token";
    }

    public Webhooks webhooks() {
        return webhooks;
    }

    public FoEvents foEvents() {
        return foEvents;
    }

    public Future<Void> close() {
        return Future.join(fo.close(), dataverse.close()).mapEmpty();
    }
}
