package io.dualsync.emulator.control;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.EmulatorModule;
import io.dualsync.emulator.store.Row;
import io.dualsync.emulator.store.Table;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The emulator's own admin API under {@code /_emulator/} (not part of Microsoft's services; never
 * faulted, limited or authenticated):
 * <ul>
 * <li>{@code POST /_emulator/faults} adds a {@link FaultRule} (201, the rule with its {@code id});
 *     {@code GET} lists them; {@code DELETE} removes all, {@code DELETE /_emulator/faults/{id}} one.
 *     Requests held by a removed {@code hang} rule are then answered normally.</li>
 * <li>{@code GET /_emulator/counters}: responses by method and status ({@code requests}) plus the sources
 *     added with {@link #addCounterSource}; {@code DELETE} resets the request counters.</li>
 * <li>{@code /_emulator/rows/{entitySet}}: {@code GET} all rows; {@code POST} a row or an array of rows
 *     (all or nothing); {@code DELETE} all rows. {@code /_emulator/rows/{entitySet}/{id}}: {@code GET},
 *     {@code PUT} (replace or create), {@code PATCH} (merge), {@code DELETE}. {@code id} is the Dataverse
 *     guid or the F&O key predicate ({@code dataAreaId='usmf',CustomerAccount='US-001'}). These read and
 *     write the store directly: no change events, no webhooks (see {@link DirectRows}).</li>
 * <li>{@code /_emulator/requests}: the {@link RequestLog}. {@code POST} (optional body
 *     {@code {"capacity": N}}) starts recording afresh; {@code GET ?after=SEQ&limit=N} lists entries;
 *     {@code DELETE} stops and forgets.</li>
 * <li>{@code GET /_emulator/health}.</li>
 * </ul>
 * Runs on the emulator's event loop.
 */
public final class ControlApi implements EmulatorModule {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private final EmulatorContext ctx;
    private final Faults faults;
    private final DirectRows rows;
    private final Map<String, Supplier<Object>> counterSources = new LinkedHashMap<>();

    public ControlApi(EmulatorContext ctx, Faults faults) {
        this.ctx = ctx;
        this.faults = faults;
        this.rows = new DirectRows(ctx);
    }

    /**
     * Adds a counter shown by {@code GET /_emulator/counters} under {@code name} (for example webhook
     * deliveries). The supplier is called on the event loop; it returns anything Jackson can write.
     */
    public synchronized void addCounterSource(String name, Supplier<Object> source) {
        if ("requests".equals(name)) {
            throw new IllegalArgumentException("'requests' is the built-in request counter");
        }
        counterSources.put(name, source);
    }

    @Override
    public void mount(Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(64L * 1024 * 1024);
        router.route("/_emulator/faults*").handler(body);
        router.route("/_emulator/rows/*").handler(body);
        router.route("/_emulator/requests").handler(body);

        router.post("/_emulator/faults").handler(this::addFault);
        router.get("/_emulator/faults").handler(rc -> {
            JsonArray list = new JsonArray();
            faults.rules().forEach(r -> list.add(r.toJson()));
            send(rc, 200, list.encode());
        });
        router.delete("/_emulator/faults").handler(rc -> {
            faults.clear();
            rc.response().setStatusCode(204).end();
        });
        router.delete("/_emulator/faults/:id").handler(rc -> {
            if (faults.remove(rc.pathParam("id"))) {
                rc.response().setStatusCode(204).end();
            } else {
                error(rc, 404, "NotFound", "no fault rule " + rc.pathParam("id"));
            }
        });

        router.get("/_emulator/counters").handler(this::counters);
        router.delete("/_emulator/counters").handler(rc -> {
            faults.counters().reset();
            rc.response().setStatusCode(204).end();
        });

        router.post("/_emulator/requests").handler(this::startLog);
        router.get("/_emulator/requests").handler(rc -> {
            try {
                long after = longParam(rc, "after", 0);
                int limit = (int) Math.min(Integer.MAX_VALUE, longParam(rc, "limit", Integer.MAX_VALUE));
                send(rc, 200, write(faults.log().snapshot(after, limit)));
            } catch (IllegalArgumentException e) {
                error(rc, 400, "BadRequest", e.getMessage());
            }
        });
        router.delete("/_emulator/requests").handler(rc -> {
            faults.log().stop();
            rc.response().setStatusCode(204).end();
        });

        router.get("/_emulator/health").handler(rc -> send(rc, 200, new JsonObject().put("status", "Healthy")
                .put("service", ctx.kind() == EmulatorContext.Kind.DATAVERSE ? "dataverse" : "fo")
                .put("tables", ctx.store().tables().size()).put("heldRequests", faults.heldCount()).encode()));

        router.get("/_emulator/rows/:entitySet").handler(rc -> rowsCall(rc, () -> {
            Table t = rows.table(rc.pathParam("entitySet"));
            List<Map<String, Object>> out = new ArrayList<>();
            t.rows().forEach(r -> out.add(r.values()));
            send(rc, 200, write(out));
        }));
        router.post("/_emulator/rows/:entitySet").handler(rc -> rowsCall(rc, () -> postRows(rc)));
        router.delete("/_emulator/rows/:entitySet").handler(rc -> rowsCall(rc, () -> {
            Table t = rows.table(rc.pathParam("entitySet"));
            for (Row r : new ArrayList<>(t.rows())) {
                t.delete(r);
            }
            rc.response().setStatusCode(204).end();
        }));
        router.get("/_emulator/rows/:entitySet/:id").handler(rc -> rowsCall(rc, () -> {
            String set = rc.pathParam("entitySet");
            Row r = rows.table(set).get(rows.idOf(set, rc.pathParam("id")));
            if (r == null) {
                error(rc, 404, "NotFound", set + " has no row " + rc.pathParam("id"));
            } else {
                send(rc, 200, write(r.values()));
            }
        }));
        router.put("/_emulator/rows/:entitySet/:id").handler(rc -> rowsCall(rc, () -> putRow(rc, false)));
        router.patch("/_emulator/rows/:entitySet/:id").handler(rc -> rowsCall(rc, () -> putRow(rc, true)));
        router.delete("/_emulator/rows/:entitySet/:id").handler(rc -> rowsCall(rc, () -> {
            String set = rc.pathParam("entitySet");
            if (rows.delete(set, rows.idOf(set, rc.pathParam("id"))) == null) {
                error(rc, 404, "NotFound", set + " has no row " + rc.pathParam("id"));
            } else {
                rc.response().setStatusCode(204).end();
            }
        }));
    }

    private void addFault(RoutingContext rc) {
        JsonObject json;
        try {
            json = rc.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            error(rc, 400, "BadRequest", "the body must be one JSON object describing a fault");
            return;
        }
        if (json == null) {
            error(rc, 400, "BadRequest", "the body must be one JSON object describing a fault");
            return;
        }
        try {
            FaultRule rule = faults.add(json);
            send(rc, 201, rule.toJson().encode());
        } catch (IllegalArgumentException | ClassCastException e) {
            error(rc, 400, "BadRequest", e.getMessage());
        }
    }

    private void startLog(RoutingContext rc) {
        int capacity = RequestLog.DEFAULT_CAPACITY;
        try {
            if (rc.body() != null && rc.body().length() > 0) {
                JsonObject json = rc.body().asJsonObject();
                capacity = json.getInteger("capacity", capacity);
            }
            faults.log().start(capacity);
            rc.response().setStatusCode(204).end();
        } catch (DecodeException | ClassCastException e) {
            error(rc, 400, "BadRequest", "the body must be empty or {\"capacity\": N}");
        } catch (IllegalArgumentException e) {
            error(rc, 400, "BadRequest", e.getMessage());
        }
    }

    private static long longParam(RoutingContext rc, String name, long fallback) {
        String v = rc.request().getParam(name);
        try {
            return v == null ? fallback : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("query option " + name + " must be a whole number, got '" + v + "'");
        }
    }

    private void counters(RoutingContext rc) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("requests", faults.counters().snapshot());
        Map<String, Supplier<Object>> sources;
        synchronized (this) {
            sources = new LinkedHashMap<>(counterSources);
        }
        sources.forEach((name, source) -> out.put(name, source.get()));
        send(rc, 200, write(out));
    }

    private void postRows(RoutingContext rc) {
        JsonNode body = read(rc);
        String set = rc.pathParam("entitySet");
        if (body.isArray()) {
            List<Map<String, Object>> list = new ArrayList<>();
            body.forEach(n -> list.add(object(n)));
            List<Map<String, Object>> out = new ArrayList<>();
            rows.insertAll(set, list).forEach(r -> out.add(r.values()));
            send(rc, 201, write(out));
        } else {
            send(rc, 201, write(rows.insert(set, object(body)).values()));
        }
    }

    private void putRow(RoutingContext rc, boolean merge) {
        String set = rc.pathParam("entitySet");
        String id = rows.idOf(set, rc.pathParam("id"));
        boolean existed = rows.table(set).get(id) != null;
        Row r = rows.put(set, id, object(read(rc)), merge);
        send(rc, existed ? 200 : 201, write(r.values()));
    }

    /** Runs a rows request, answering the problems users make with 400/409 and a message. */
    private void rowsCall(RoutingContext rc, Runnable call) {
        try {
            call.run();
        } catch (DirectRows.BadRowException e) {
            error(rc, e.getMessage().startsWith("no table") ? 404 : 400, "BadRequest", e.getMessage());
        } catch (DirectRows.ConflictException e) {
            error(rc, 409, "Conflict", e.getMessage());
        }
    }

    private static JsonNode read(RoutingContext rc) {
        String text = rc.body().asString();
        if (text == null || text.isBlank()) {
            throw new DirectRows.BadRowException("the body must be a JSON object or array of objects");
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new DirectRows.BadRowException("the body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static Map<String, Object> object(JsonNode n) {
        if (!n.isObject()) {
            throw new DirectRows.BadRowException("a row must be a JSON object of column to value");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> out.put(e.getKey(), plain(e.getKey(), e.getValue())));
        return out;
    }

    private static Object plain(String name, JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber()) {
            return v.canConvertToLong() ? (Object) v.longValue() : v.decimalValue();
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        throw new DirectRows.BadRowException(name + ": a column value must be text, a number, a boolean or null");
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static void send(RoutingContext rc, int status, String json) {
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8").end(json);
    }

    private static void error(RoutingContext rc, int status, String code, String message) {
        send(rc, status, ErrorBody.json(code, message));
    }
}
