package io.dualsync.emulator.fo.events;

import io.dualsync.emulator.Caller;
import io.dualsync.emulator.ChangeEvent;
import io.dualsync.emulator.ChangeListener;
import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.EmulatorModule;
import io.dualsync.emulator.store.Table;
import io.dualsync.mapping.schema.EntitySchema;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * F&O business events and data events: endpoints registered through the control API receive, after
 * every committed write of the F&O emulator, the data events (Created/Updated/Deleted of an entity)
 * and business events activated for them, asynchronously and with F&O's retries.
 *
 * <p>Routes (control API):
 * <ul>
 *   <li>{@code POST /_emulator/events/endpoints}: register an endpoint (see {@link #register(JsonObject)}); 201 with it</li>
 *   <li>{@code GET /_emulator/events/endpoints}, {@code GET|DELETE /_emulator/events/endpoints/{id}}</li>
 *   <li>{@code GET /_emulator/events/catalog}: the business events that can be activated by id</li>
 *   <li>{@code GET /_emulator/events/deliveries[?endpoint=ID&status=failed]}: every delivery with its attempts and payload</li>
 *   <li>{@code POST /_emulator/events/deliveries/{id}/resend}: send a failed delivery again (the docs' Resend)</li>
 * </ul>
 *
 * <p>Threading: listens on the emulator's event loop ({@link ChangeListener}) and serves its routes
 * there; registration from a config file ({@link #register(JsonObject)}) happens before the server
 * starts. State is confined to that loop: no locks.
 */
public final class FoEvents implements EmulatorModule, ChangeListener {
    private static final String BASE = "/_emulator/events";

    private final EmulatorContext ctx;
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final RecIds recIds = new RecIds();
    private final Deliverer deliverer;

    /** Creates the module and subscribes it to the emulator's committed writes. */
    public FoEvents(EmulatorContext ctx) {
        this.ctx = ctx;
        this.deliverer = new Deliverer(ctx.vertx(), ctx.options().webhookTimeoutSeconds);
        ctx.addListener(this);
    }

    /**
     * Registers an endpoint from its JSON description, as {@code POST /_emulator/events/endpoints}
     * does: {@code url}, {@code kind} ("data" or "business"), for data events {@code entitySets} and
     * optional {@code events} (Created, Updated, Deleted; default all), for business events
     * {@code businessEvents} (catalog ids, or {@code {businessEventId, entitySet, fields, events}}),
     * optional {@code legalEntity}, {@code headers} (sent with every delivery, e.g. Authorization),
     * {@code id} and {@code name}. A registration with an existing id replaces it.
     *
     * @return the endpoint as the control API shows it
     * @throws IllegalArgumentException when the description is incomplete or wrong
     */
    public JsonObject register(JsonObject spec) {
        Endpoint e = Endpoint.parse(spec);
        endpoints.put(e.id(), e);
        return e.toJson();
    }

    @Override
    public void mount(Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(1024 * 1024);
        router.post(BASE + "/endpoints").handler(body).handler(this::create);
        router.get(BASE + "/endpoints").handler(rc -> {
            JsonArray list = new JsonArray();
            endpoints.values().forEach(e -> list.add(e.toJson()));
            json(rc, 200, new JsonObject().put("value", list));
        });
        router.get(BASE + "/endpoints/:id").handler(rc -> {
            Endpoint e = endpoints.get(rc.pathParam("id"));
            if (e == null) {
                error(rc, 404, "NotFound", "no endpoint " + rc.pathParam("id"));
            } else {
                json(rc, 200, e.toJson());
            }
        });
        router.delete(BASE + "/endpoints/:id").handler(rc -> {
            if (endpoints.remove(rc.pathParam("id")) == null) {
                error(rc, 404, "NotFound", "no endpoint " + rc.pathParam("id"));
            } else {
                rc.response().setStatusCode(204).end();
            }
        });
        router.get(BASE + "/catalog").handler(rc -> {
            JsonArray list = new JsonArray();
            BusinessEventDefinition.CATALOG.values().forEach(d -> list.add(d.toJson()));
            json(rc, 200, new JsonObject().put("value", list));
        });
        router.get(BASE + "/deliveries").handler(this::deliveries);
        router.post(BASE + "/deliveries/:id/resend").handler(rc -> {
            long id;
            try {
                id = Long.parseLong(rc.pathParam("id"));
            } catch (NumberFormatException e) {
                error(rc, 404, "NotFound", "no delivery " + rc.pathParam("id"));
                return;
            }
            Delivery d = deliverer.get(id);
            if (d == null) {
                error(rc, 404, "NotFound", "no delivery " + id);
            } else if (!deliverer.resend(id)) {
                error(rc, 409, "Conflict", "delivery " + id + " is still being sent");
            } else {
                json(rc, 202, d.toJson());
            }
        });
    }

    /** Raises the data and business events of one committed write; delivery happens later, on timers and callbacks. */
    @Override
    public void onChange(ChangeEvent published) {
        ChangeEvent e = complete(published);
        DataEvent event = DataEvent.of(e.message());
        Table table = ctx.store().table(e.entitySet());
        EntitySchema schema = table == null ? null : table.schema();
        Map<String, Object> row = e.postImage() != null ? e.postImage() : e.preImage();
        if (row == null) {
            row = Map.of();
        }
        String company = company(row, schema);
        // Every new record takes a RecId, so control numbers of later events skip it (RecIds).
        long recId = recIds.ofRow(e.entitySet(), e.id());
        for (Endpoint endpoint : endpoints.values()) {
            if (!endpoint.acceptsCompany(company)) {
                continue;
            }
            if (endpoint.wantsData(e.entitySet(), event)) {
                sendData(endpoint, e, event, schema, recId);
            }
            for (BusinessEventDefinition def : endpoint.businessEvents()) {
                if (def.matches(e.entitySet(), event)) {
                    sendBusiness(endpoint, def, e, row, schema, company);
                }
            }
        }
        if (event == DataEvent.Deleted) {
            recIds.forget(e.entitySet(), e.id());
        }
    }

    /** Fills what a publisher left out, so payloads always carry a user, a time and a correlation id. */
    private static ChangeEvent complete(ChangeEvent e) {
        if (e.caller() != null && e.time() != null && e.correlationId() != null && e.id() != null) {
            return e;
        }
        return new ChangeEvent(e.entitySet(), e.message(), e.id() == null ? "" : e.id(), e.target(), e.preImage(), e.postImage(),
                e.caller() == null ? Caller.ANONYMOUS : e.caller(),
                e.correlationId() == null ? UUID.randomUUID().toString() : e.correlationId(),
                e.sharedVariables(), e.rowVersion(), e.time() == null ? Instant.now() : e.time());
    }

    private void sendData(Endpoint endpoint, ChangeEvent e, DataEvent event, EntitySchema schema, long recId) {
        String organization = ctx.options().devTenant;
        JsonObject payload = DataEventPayload.build(e, event, schema, recId, endpoint, organization);
        // The headers Dataverse adds to every webhook call (powerapps-docs use-webhooks.md).
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("x-request-id", UUID.randomUUID().toString());
        headers.put("x-ms-dynamics-organization", organization);
        headers.put("x-ms-dynamics-entity-name", DataEventPayload.virtualTable(e.entitySet(), schema));
        headers.put("x-ms-dynamics-request-name", event.messageName());
        headers.put("x-ms-correlation-request-id", e.correlationId());
        headers.putAll(endpoint.headers());
        deliverer.send(new Delivery(deliverer.nextId(), endpoint, event.messageName(), e.entitySet(), payload, headers, Instant.now()));
    }

    private void sendBusiness(Endpoint endpoint, BusinessEventDefinition def, ChangeEvent e, Map<String, Object> row,
                              EntitySchema schema, String company) {
        String legalEntity = company != null ? company : ctx.options().foDefaultCompany;
        // One event per endpoint, each with its own commit-log record: its own EventId and ControlNumber.
        JsonObject payload = BusinessEventPayload.build(def, row, schema, legalEntity, recIds.next(), UUID.randomUUID(),
                e.time(), e.caller().userId());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.putAll(endpoint.headers());
        deliverer.send(new Delivery(deliverer.nextId(), endpoint, def.businessEventId(), e.entitySet(), payload, headers, Instant.now()));
    }

    /** The row's company: the schema's company column, else {@code dataAreaId}; null for global entities. */
    private static String company(Map<String, Object> row, EntitySchema schema) {
        String column = schema != null ? schema.company() : "dataAreaId";
        if (column == null) {
            return null;
        }
        Object v = row.get(column);
        return v == null ? null : v.toString();
    }

    private void create(RoutingContext rc) {
        JsonObject spec;
        try {
            spec = rc.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            error(rc, 400, "BadRequest", "the body must be a JSON object");
            return;
        }
        try {
            json(rc, 201, register(spec));
        } catch (IllegalArgumentException e) {
            error(rc, 400, "BadRequest", e.getMessage());
        }
    }

    /** Deliveries by outcome ({@code pending}, {@code delivered}, {@code failed}); call on the emulator's event loop. */
    public JsonObject counters() {
        int pending = 0;
        int delivered = 0;
        int failed = 0;
        for (Delivery d : deliverer.all()) {
            switch (d.status) {
                case pending -> pending++;
                case delivered -> delivered++;
                case failed -> failed++;
                default -> throw new IllegalStateException();
            }
        }
        return new JsonObject().put("pending", pending).put("delivered", delivered).put("failed", failed);
    }

    private void deliveries(RoutingContext rc) {
        String endpoint = rc.queryParams().get("endpoint");
        String status = rc.queryParams().get("status");
        JsonArray list = new JsonArray();
        int pending = 0;
        int delivered = 0;
        int failed = 0;
        for (Delivery d : deliverer.all()) {
            if (endpoint != null && !endpoint.equals(d.endpoint.id())) {
                continue;
            }
            switch (d.status) {
                case pending -> pending++;
                case delivered -> delivered++;
                case failed -> failed++;
                default -> throw new IllegalStateException();
            }
            if (status == null || status.equalsIgnoreCase(d.status.name())) {
                list.add(d.toJson());
            }
        }
        json(rc, 200, new JsonObject().put("counts", new JsonObject().put("pending", pending)
                .put("delivered", delivered).put("failed", failed)).put("value", list));
    }

    private static void json(RoutingContext rc, int status, JsonObject body) {
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8").end(body.encode());
    }

    private static void error(RoutingContext rc, int status, String code, String message) {
        json(rc, status, new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)));
    }
}
