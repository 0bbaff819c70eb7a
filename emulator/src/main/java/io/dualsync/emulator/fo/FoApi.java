package io.dualsync.emulator.fo;

import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.EmulatorModule;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.SchemaSet;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The F&O OData API of the emulator, under {@code /data/}: the service document, a light
 * {@code $metadata}, entity sets with composite keys (dataAreaId included), query options,
 * create/update/delete with ETags, cross-company reads and {@code $batch} with atomic change sets
 * (data-entities/odata.md). Every committed write is published as a
 * {@link io.dualsync.emulator.ChangeEvent}. Mount it after the auth guard and the throttling
 * handler; requests are handled on the emulator's event loop.
 */
public final class FoApi implements EmulatorModule {
    /** Largest request body accepted (a $batch of a few thousand records). */
    private static final long BODY_LIMIT = 64L * 1024 * 1024;

    private final EmulatorContext ctx;
    private final FoService service;
    private final FoBatch batch;

    public FoApi(EmulatorContext ctx) {
        this.ctx = ctx;
        this.service = new FoService(ctx);
        this.batch = new FoBatch(service);
    }

    /** Adds a table for every F&O entity ({@code system == fo}) of {@code schemas} to the emulator's store. */
    public static void loadTables(EmulatorContext ctx, SchemaSet schemas) {
        for (EntitySchema s : schemas.all()) {
            if (FoEntity.isFo(s)) {
                ctx.store().add(s);
            }
        }
    }

    @Override
    public void mount(Router router) {
        router.route("/data/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
        router.route("/data/*").handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        QueryStringDecoder uri = new QueryStringDecoder(rc.request().uri());
        String path = uri.path();
        path = path.length() <= "/data/".length() ? "" : path.substring("/data/".length());
        TreeMap<String, String> headers = FoRequest.newHeaders();
        rc.request().headers().forEach(h -> headers.putIfAbsent(h.getKey(), h.getValue()));
        String correlation = headers.get("x-ms-correlation-request-id");
        Map<String, List<String>> query = new LinkedHashMap<>(uri.parameters());
        FoRequest req = new FoRequest(rc.request().method().name(), path, query, headers,
                rc.body() == null ? "" : rc.body().asString(), EmulatorContext.caller(rc),
                correlation == null ? UUID.randomUUID().toString() : correlation);
        FoResponse res = path.equals("$batch") ? batch.handle(req) : service.handle(req);
        HttpServerResponse out = rc.response().setStatusCode(res.status());
        res.headers().forEach(out::putHeader);
        out.end(res.body());
    }
}
