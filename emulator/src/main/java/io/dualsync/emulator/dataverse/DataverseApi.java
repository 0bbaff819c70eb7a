package io.dualsync.emulator.dataverse;

import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.EmulatorModule;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.SchemaSet;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Dataverse Web API of the emulator, under {@code /api/data/v9.2/}: queries, retrieve, create,
 * update/upsert, delete, single properties and references, {@code $batch}, change tracking, and
 * {@code WhoAmI}, on the tables of the store (see {@link #loadTables}). Written from Microsoft's
 * documentation (powerapps-docs developer/data-platform/webapi/*); each class names its pages.
 * <p>
 * Every response carries {@code OData-Version: 4.0} and an {@code x-ms-service-request-id}
 * (compose-http-requests-handle-errors.md). A request's correlation id is its
 * {@code x-ms-correlation-request-id} header or a new guid; it and {@code ?tag=} go into the
 * {@link io.dualsync.emulator.ChangeEvent} every committed write publishes. Requests are handled on
 * the emulator's event loop; the auth guard and rate limits are mounted before this module by others.
 */
public final class DataverseApi implements EmulatorModule {
    /** The API root every route of this module is under. */
    public static final String PREFIX = "/api/data/v9.2/";
    private static final Logger LOG = LoggerFactory.getLogger(DataverseApi.class);
    private static final long BODY_LIMIT = 128L * 1024 * 1024;
    // Header names (and a value) every response carries, as ASCII byte strings Netty writes without converting.
    private static final CharSequence ODATA_VERSION = HttpHeaders.createOptimized("OData-Version");
    private static final CharSequence V4 = HttpHeaders.createOptimized("4.0");
    private static final CharSequence SERVICE_REQUEST_ID = HttpHeaders.createOptimized("x-ms-service-request-id");
    private static final CharSequence REQ_ID = HttpHeaders.createOptimized("REQ_ID");
    private static final CharSequence CORRELATION_REQUEST_ID = HttpHeaders.createOptimized("x-ms-correlation-request-id");

    private final EmulatorContext ctx;
    private final Operations ops;
    private final BatchProcessor batch;

    public DataverseApi(EmulatorContext ctx) {
        this.ctx = ctx;
        this.ops = new Operations(ctx);
        this.batch = new BatchProcessor(ctx, ops);
    }

    /** Adds a table to the store for every Dataverse schema of {@code schemas} the store does not have yet. */
    public static void loadTables(EmulatorContext ctx, SchemaSet schemas) {
        for (EntitySchema s : schemas.all()) {
            if (s.system() == io.dualsync.mapping.Side.DATAVERSE && ctx.store().table(s.entitySet()) == null) {
                ctx.store().add(s);
            }
        }
    }

    @Override
    public void mount(Router router) {
        router.route(PREFIX + "*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
        router.route(PREFIX + "*").handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        // Names compare ignoring case; a repeated header's values are joined with ", " in the order sent.
        TreeMap<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> h : rc.request().headers()) {
            headers.merge(h.getKey(), h.getValue(), (a, b) -> a + ", " + b);
        }
        String correlation = rc.request().getHeader("x-ms-correlation-request-id");
        if (correlation == null || correlation.isBlank()) {
            correlation = Guids.random();
        }
        String path = rc.request().path().substring(PREFIX.length());
        String body = rc.body() == null || rc.body().buffer() == null ? null : rc.body().asString();
        ApiRequest req = new ApiRequest(rc.request().method().name(), path, rc.request().query(), headers, body,
                EmulatorContext.caller(rc), correlation, null, new HashMap<>());
        ApiResponse resp;
        try {
            if (path.equals("$batch")) {
                if (!req.method.equals("POST")) {
                    throw DataverseError.methodNotAllowed(req.method, "$batch");
                }
                resp = batch.handle(req);
            } else {
                resp = run(req);
            }
        } catch (DataverseError e) {
            resp = ApiResponse.error(e);
        } catch (RuntimeException e) {
            LOG.error("Dataverse API request {} {} failed", req.method, path, e);
            resp = ApiResponse.error(new DataverseError(500, "0x80040216", "An unexpected error occurred."));
        }
        write(rc, resp, correlation);
    }

    /** One request as its own unit of work: committed (and its events published) only when it succeeds. */
    private ApiResponse run(ApiRequest req) {
        UnitOfWork uow = new UnitOfWork(ctx.store());
        try {
            ApiResponse r = ops.execute(req, uow);
            uow.commit(ctx);
            return r;
        } catch (DataverseError e) {
            return ApiResponse.error(e);
        }
    }

    private static void write(RoutingContext rc, ApiResponse resp, String correlation) {
        HttpServerResponse out = rc.response().setStatusCode(resp.status);
        String requestId = Guids.random();
        out.putHeader(ODATA_VERSION, V4);
        out.putHeader(SERVICE_REQUEST_ID, requestId);
        out.putHeader(REQ_ID, requestId);
        out.putHeader(CORRELATION_REQUEST_ID, correlation);
        resp.headers.forEach(out::putHeader);
        if (resp.body == null) {
            out.end();
        } else {
            out.end(resp.body);
        }
    }
}
