package io.dualsync.emulator.dataverse.webhooks;

import io.dualsync.emulator.ChangeEvent;
import io.dualsync.emulator.ChangeListener;
import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.EmulatorModule;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.net.URI;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Dataverse webhooks: steps registered through a small admin API (or a config file) and, for every
 * matching committed write, an HTTP POST of the {@code RemoteExecutionContext} JSON to the endpoint,
 * as powerapps-docs developer/data-platform/use-webhooks.md and register-web-hook.md describe.
 *
 * <p>Routes: {@code POST /_emulator/webhooks} (register; answers the registration with its id),
 * {@code GET /_emulator/webhooks}, {@code GET|DELETE /_emulator/webhooks/{id}} and
 * {@code GET /_emulator/webhooks/deliveries[?registration=id]} (what was sent and how it ended).
 *
 * <p>Threading: registrations live in a copy-on-write list (the admin API and config loading may
 * register from any thread). Deliveries are made asynchronously after the write, on the emulator's
 * event loop (the context the first write arrives on), one at a time per registration, with
 * Vert.x's WebClient; nothing blocks.
 */
public final class Webhooks implements EmulatorModule, ChangeListener {
    public static final String PATH = "/_emulator/webhooks";
    /** Deliveries kept for GET .../deliveries; the counters cover all of them. */
    private static final int KEPT_DELIVERIES = 10_000;

    private final EmulatorContext ctx;
    private final ContextBuilder builder;
    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedDeque<Delivery> kept = new ConcurrentLinkedDeque<>();
    private final AtomicInteger keptCount = new AtomicInteger();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    private final AtomicReference<Context> home = new AtomicReference<>();
    private Sender sender;

    public Webhooks(EmulatorContext ctx) {
        this.ctx = ctx;
        this.builder = new ContextBuilder(ctx.store(), ctx.options().devTenant);
    }

    @Override
    public void mount(Router router) {
        router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(1024 * 1024));
        router.post(PATH).handler(this::create);
        router.get(PATH).handler(rc -> {
            JsonArray value = new JsonArray();
            for (Registration r : registrations) {
                value.add(r.toJson());
            }
            json(rc, 200, new JsonObject().put("value", value));
        });
        router.get(PATH + "/deliveries").handler(this::deliveries);
        router.get(PATH + "/:id").handler(rc -> {
            Registration r = find(rc.pathParam("id"));
            if (r == null) {
                error(rc, 404, "NotFound", "no webhook registration " + rc.pathParam("id"));
            } else {
                json(rc, 200, r.toJson());
            }
        });
        router.delete(PATH + "/:id").handler(rc -> {
            if (unregister(rc.pathParam("id"))) {
                rc.response().setStatusCode(204).end();
            } else {
                error(rc, 404, "NotFound", "no webhook registration " + rc.pathParam("id"));
            }
        });
    }

    /**
     * Registers a webhook step from its JSON form (the admin API's body; also what a {@code --config}
     * file lists): {@code url}, {@code entity}, {@code messages}, {@code filteringAttributes},
     * {@code authType} + {@code authValue}, {@code mode}, {@code preImage}, {@code postImage}, {@code name}.
     *
     * @return the registration as GET shows it, with its {@code id}
     * @throws IllegalArgumentException when the JSON is not a valid registration
     */
    public JsonObject register(JsonObject json) {
        Registration r = Registration.parse(json, name -> TableInfo.logicalNameOf(ctx.store(), name));
        registrations.add(r);
        return r.toJson();
    }

    /** Removes a registration; its deliveries not yet sent are cancelled. */
    public boolean unregister(String id) {
        return registrations.removeIf(r -> r.id().equalsIgnoreCase(id));
    }

    /** Totals since start: {@code queued}, {@code pending}, {@code succeeded}, {@code failed}, {@code cancelled}. */
    public JsonObject counters() {
        long s = succeeded.get();
        long f = failed.get();
        long c = cancelled.get();
        long q = queued.get();
        return new JsonObject().put("queued", q).put("pending", q - s - f - c)
                .put("succeeded", s).put("failed", f).put("cancelled", c);
    }

    /** Called after each committed write; the deliveries happen later, on the emulator's event loop. */
    @Override
    public void onChange(ChangeEvent event) {
        if (registrations.isEmpty()) {
            return;
        }
        home().runOnContext(v -> dispatch(event));
    }

    // ---- delivery ----------------------------------------------------------------------------------

    /** The emulator's context: the one writes arrive on (or a fresh one when they come from elsewhere, as in tests). */
    private Context home() {
        Context h = home.get();
        if (h == null) {
            Context current = Vertx.currentContext();
            home.compareAndSet(null, current != null && current.isEventLoopContext() ? current : ctx.vertx().getOrCreateContext());
            h = home.get();
        }
        return h;
    }

    private void dispatch(ChangeEvent e) {
        TableInfo table = TableInfo.of(ctx.store(), e.entitySet());
        for (Registration r : registrations) {
            if (!r.matches(e, table.logicalName())) {
                continue;
            }
            JsonObject context = builder.build(e, table, r, UUID.randomUUID().toString());
            Buffer body = ContextBuilder.encode(context);
            boolean exceeded = body.length() > ContextBuilder.MAX_PAYLOAD_BYTES;
            if (exceeded) {
                body = ContextBuilder.encode(ContextBuilder.withoutLargeParts(context));
            }
            Delivery d = new Delivery(UUID.randomUUID().toString(), r, e.message().name(), table.logicalName(),
                    e.id().toLowerCase(Locale.ROOT), ContextBuilder.correlationId(e), body, exceeded);
            keep(d);
            queued.incrementAndGet();
            sender().submit(d);
        }
    }

    private Sender sender() {
        if (sender == null) {
            sender = new Sender(ctx.vertx(), ctx.options().webhookTimeoutSeconds, organizationHost(),
                    registrations::contains, this::done);
        }
        return sender;
    }

    private void done(Delivery d) {
        switch (d.outcome) {
            case succeeded:
                succeeded.incrementAndGet();
                break;
            case failed:
                failed.incrementAndGet();
                break;
            default:
                cancelled.incrementAndGet();
        }
    }

    /** "The domain name of the environment sending the request" (x-ms-dynamics-organization). */
    private String organizationHost() {
        String base = ctx.baseUrl();
        if (base != null) {
            String host = URI.create(base).getHost();
            if (host != null) {
                return host;
            }
        }
        return ctx.options().host;
    }

    private void keep(Delivery d) {
        kept.addLast(d);
        if (keptCount.incrementAndGet() > KEPT_DELIVERIES && kept.pollFirst() != null) {
            keptCount.decrementAndGet();
        }
    }

    // ---- admin API ---------------------------------------------------------------------------------

    private void create(RoutingContext rc) {
        JsonObject json;
        try {
            json = rc.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            error(rc, 400, "BadRequest", "the body must be a JSON object: " + e.getMessage());
            return;
        }
        if (json == null) {
            error(rc, 400, "BadRequest", "the body must be a JSON object describing the webhook");
            return;
        }
        try {
            JsonObject created = register(json);
            rc.response().putHeader("Location", PATH + "/" + created.getString("id"));
            json(rc, 201, created);
        } catch (IllegalArgumentException e) {
            error(rc, 400, "BadRequest", e.getMessage());
        }
    }

    private void deliveries(RoutingContext rc) {
        String only = rc.queryParams().get("registration");
        JsonArray value = new JsonArray();
        for (Iterator<Delivery> it = kept.iterator(); it.hasNext(); ) {
            Delivery d = it.next();
            if (only == null || d.registration.id().equalsIgnoreCase(only)) {
                value.add(d.toJson());
            }
        }
        json(rc, 200, counters().put("value", value));
    }

    private Registration find(String id) {
        for (Registration r : registrations) {
            if (r.id().equalsIgnoreCase(id)) {
                return r;
            }
        }
        return null;
    }

    private static void json(RoutingContext rc, int status, JsonObject body) {
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8").end(body.encode());
    }

    private static void error(RoutingContext rc, int status, String code, String message) {
        json(rc, status, new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)));
    }
}
