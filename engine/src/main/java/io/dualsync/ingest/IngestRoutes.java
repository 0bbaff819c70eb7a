package io.dualsync.ingest;

import io.dualsync.config.InboundAuth;

import com.fasterxml.jackson.databind.JsonNode;
import io.dualsync.journal.Journal;
import io.dualsync.journal.JournalFullException;
import io.dualsync.mapping.Side;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.model.ChangeEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.PlatformHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * The HTTP intake of change events, mounted on a router the caller owns (with admin and metrics on
 * one port). Every event is appended to the {@link Journal} and only then acknowledged.
 *
 * <h2>Routes</h2>
 * <ul>
 *   <li>{@code POST /webhooks/dataverse}: the RemoteExecutionContext body of a Dataverse webhook
 *       (Create, Update, Delete). F&O data events registered as a Dataverse webhook (messages on
 *       {@code mserp_} virtual tables) are recognised here too.</li>
 *   <li>{@code POST /webhooks/fo}: an F&O data event (RemoteExecutionContext, {@code OnExternal*}
 *       messages on {@code mserp_} virtual tables) or business event (the envelope with
 *       {@code BusinessEventId}; bound to an entity through {@link IngestOptions#businessEvent}).</li>
 *   <li>{@code POST /events}: the canonical envelope below, one object or a list.</li>
 * </ul>
 *
 * <h2>The canonical envelope ({@code POST /events})</h2>
 * Its members mirror {@link ChangeEvent}:
 * <pre>
 * {
 *   "eventId":        "crm-7f3a:42",          required; the same for every redelivery of this change
 *   "source":         "fo" | "dataverse",     required; the system the change happened in
 *   "entity":         "CustomersV3",          required; an entity set dualsync syncs (F&O) or a table's
 *                                             entity set or logical name (Dataverse)
 *   "operation":      "create"|"update"|"delete",  required
 *   "key":            {"dataAreaId": "usmf", "CustomerAccount": "US-001"},
 *                                             required; F&O: the entity key (all fields); Dataverse: the
 *                                             primary id column, or a complete alternate key
 *   "recordId":       "dataAreaId='usmf',CustomerAccount='US-001'",
 *                                             optional; default: F&O the key predicate, Dataverse the
 *                                             primary id (or the alternate key predicate)
 *   "values":         {"OrganizationName": "Contoso", "CreditLimit": 1000.5},
 *                                             optional; field names as the source API names them
 *                                             (Dataverse lookups as "_x_value" guids); values text,
 *                                             numbers, true/false or null; absent or null: dualsync
 *                                             reads the record from the source
 *   "version":        42,                     optional, default 0 (unknown); the source's row version
 *   "modifiedAt":     "2024-05-01T10:15:30Z", optional ISO-8601 with offset, default: time received
 *   "initiatingUser": "…", "tag": "…", "correlationId": "…"   optional text
 * }
 * </pre>
 * Unknown members are refused (400), so a misspelt one does not go unnoticed. A list is checked
 * whole before any event of it is journaled.
 *
 * <h2>Answers</h2>
 * <ul>
 *   <li>202 {@code {"accepted": [{"eventId": .., "index": ..}]}}: journaled (durable in the journal's
 *       mode), in body order.</li>
 *   <li>400 malformed JSON (with line and column) or wrong shape; 401 wrong or missing credentials
 *       (checked before the body is read); 413 body over {@link IngestOptions#bodyLimitBytes};
 *       422 unknown entity, unbound business event, unhandled message, missing key. Nothing is
 *       journaled. Body: {@code {"error": {"code": .., "message": ..}}}.</li>
 *   <li>503 with {@code Retry-After}: the journal is full (its back-pressure limit), closed or failing,
 *       or intake is {@link #stop() stopped}; the sender retries. An event is never acknowledged
 *       unless it is journaled; after a 503 for a list, some events may be journaled: resending the
 *       whole list is safe (redeliveries are dropped by event id downstream).</li>
 * </ul>
 *
 * <p>Threading: handlers run on the event loops of the servers the router is mounted on; parsing is
 * in-line (bodies are bounded), journal appends are asynchronous. Thread-safe.
 */
public final class IngestRoutes {
    public static final String DATAVERSE_PATH = "/webhooks/dataverse";
    public static final String FO_PATH = "/webhooks/fo";
    public static final String EVENTS_PATH = "/events";

    private static final Logger LOG = LoggerFactory.getLogger(IngestRoutes.class);

    private final Journal journal;
    private final IngestListener listener;
    private final Clock clock;
    private final int bodyLimit;
    private final long retryAfterSeconds;
    private final InboundAuth dataverseAuth;
    private final InboundAuth foAuth;
    private final InboundAuth eventsAuth;
    private final DataverseWebhookParser dataverse;
    private final FoEventParser fo;
    private final EnvelopeParser envelope;

    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile Promise<Void> drained;
    private volatile boolean stopped;

    /**
     * @param catalog  the entities events are accepted for
     * @param listener told every outcome (metrics); {@link IngestListener#NONE} for none
     * @param clock    stamps {@link ChangeEvent#receivedAt()}
     * @throws IllegalArgumentException when a route has no authentication, or a business event binding
     *                                  names an entity or field the catalog does not know (all problems listed)
     */
    public IngestRoutes(Journal journal, EntityCatalog catalog, IngestOptions options, IngestListener listener, Clock clock) {
        this.journal = journal;
        this.listener = listener;
        this.clock = clock;
        this.bodyLimit = options.bodyLimitBytes();
        this.retryAfterSeconds = options.retryAfterSeconds();
        this.dataverseAuth = options.dataverseAuth();
        this.foAuth = options.foAuth();
        this.eventsAuth = options.eventsAuth();
        List<String> problems = new ArrayList<>();
        if (dataverseAuth == null) {
            problems.add("no authentication for " + DATAVERSE_PATH + " (set dataverseAuth; InboundAuth.NONE for development)");
        }
        if (foAuth == null) {
            problems.add("no authentication for " + FO_PATH + " (set foAuth; InboundAuth.NONE for development)");
        }
        if (eventsAuth == null) {
            problems.add("no authentication for " + EVENTS_PATH + " (set eventsAuth; InboundAuth.NONE for development)");
        }
        Map<String, BusinessEventBinding> bindings = options.businessEvents();
        bindings.forEach((id, b) -> checkBinding(id, b, catalog, problems));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("ingest is not configured right:\n  " + String.join("\n  ", problems));
        }
        this.dataverse = new DataverseWebhookParser(catalog);
        this.fo = new FoEventParser(catalog, bindings);
        this.envelope = new EnvelopeParser(catalog);
    }

    private static void checkBinding(String id, BusinessEventBinding b, EntityCatalog catalog, List<String> problems) {
        EntitySchema entity = catalog.foEntity(b.entitySet());
        if (entity == null) {
            problems.add("business event " + id + " is bound to unknown F&O entity '" + b.entitySet() + "' (known: " + catalog.names(Side.FO) + ")");
            return;
        }
        for (String field : b.keyFields().values()) {
            if (entity.fieldIgnoreCase(field) == null) {
                problems.add("business event " + id + " binds key field '" + field + "', which " + entity.entitySet() + " does not have");
            }
        }
        if (!entity.keys().isEmpty()) {
            for (String k : entity.keys().get(0)) {
                boolean bound = b.keyFields().values().stream().anyMatch(k::equalsIgnoreCase);
                if (!bound && !k.equals(entity.company())) {
                    problems.add("business event " + id + " does not bind key field '" + k + "' of " + entity.entitySet());
                }
            }
        }
    }

    /** Adds the three routes to the router. */
    public void mount(Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(bodyLimit);
        route(router, DATAVERSE_PATH, IngestListener.Source.DATAVERSE, dataverseAuth, body, (json, now) ->
                List.of(fo.isDataEventOfKnownEntity(json) ? fo.parse(json, now) : dataverse.parse(json, now)));
        route(router, FO_PATH, IngestListener.Source.FO, foAuth, body, (json, now) -> List.of(fo.parse(json, now)));
        route(router, EVENTS_PATH, IngestListener.Source.EVENTS, eventsAuth, body, envelope::parse);
    }

    /**
     * Stops intake: from now on every request is answered 503 with {@code Retry-After}. Completes
     * when the requests already past the door have been answered (their events journaled or refused),
     * so the journal can then be closed.
     */
    public Future<Void> stop() {
        Promise<Void> p = Promise.promise();
        drained = p;
        stopped = true;
        if (inFlight.get() == 0) {
            p.tryComplete();
        }
        return p.future();
    }

    /** False once {@link #stop()} was called. */
    public boolean accepting() {
        return !stopped;
    }

    private void route(Router router, String path, IngestListener.Source source, InboundAuth auth, BodyHandler body,
                       BiFunction<JsonNode, Instant, List<ChangeEvent>> parser) {
        router.post(path)
                .handler(new Door(source, auth))
                .handler(body)
                .handler(rc -> ingest(rc, source, parser))
                .failureHandler(rc -> failed(rc, source));
    }

    /**
     * Checks what needs no body (stopped intake, credentials) before the body is read, so an
     * unauthenticated sender cannot make us buffer a body. Vert.x Web orders handlers by kind and
     * puts body handlers before user handlers; a {@link PlatformHandler} may run before them.
     */
    private final class Door implements PlatformHandler {
        private final IngestListener.Source source;
        private final InboundAuth auth;

        Door(IngestListener.Source source, InboundAuth auth) {
            this.source = source;
            this.auth = auth;
        }

        @Override
        public void handle(RoutingContext rc) {
            door(rc, source, auth);
        }
    }

    private void door(RoutingContext rc, IngestListener.Source source, InboundAuth auth) {
        inFlight.incrementAndGet();
        rc.addEndHandler(ar -> leave());
        if (stopped) {
            unavailable(rc, source, IngestListener.Result.STOPPED, retryAfterSeconds, "stopped",
                    "dualsync is shutting down and takes no events now; send again later");
            return;
        }
        if (!auth.accepts(rc.request().headers()::get, rc.queryParams()::get)) {
            LOG.info("ingest {}: refused a request without valid credentials from {}", source.tag(), rc.request().remoteAddress());
            error(rc, source, IngestListener.Result.UNAUTHORIZED, 401, "unauthorized",
                    "missing or wrong credentials for " + rc.request().path() + ": expected in the " + auth.where()
                            + " (check the endpoint's authentication settings)");
            return;
        }
        rc.next();
    }

    private void leave() {
        if (inFlight.decrementAndGet() == 0 && stopped) {
            Promise<Void> p = drained;
            if (p != null) {
                p.tryComplete();
            }
        }
    }

    private void ingest(RoutingContext rc, IngestListener.Source source, BiFunction<JsonNode, Instant, List<ChangeEvent>> parser) {
        List<ChangeEvent> events;
        try {
            RequestBody b = rc.body();
            Buffer buffer = b == null ? null : b.buffer();
            events = parser.apply(Jsons.parse(buffer == null ? new byte[0] : buffer.getBytes()), clock.instant());
        } catch (IngestException e) {
            IngestListener.Result result = e.status() == 400 ? IngestListener.Result.MALFORMED : IngestListener.Result.REJECTED;
            LOG.info("ingest {}: refused ({} {}): {}", source.tag(), e.status(), e.code(), e.getMessage());
            error(rc, source, result, e.status(), e.code(), e.getMessage());
            return;
        }
        if (!journal.isOpen()) {
            unavailable(rc, source, IngestListener.Result.UNAVAILABLE, retryAfterSeconds, "journal-unavailable",
                    "the journal is closed; send again later");
            return;
        }
        List<Long> indexes = new ArrayList<>(events.size());
        Future<Void> chain = Future.succeededFuture();
        for (ChangeEvent e : events) {
            chain = chain.compose(v -> append(e).map(index -> {
                indexes.add(index);
                return null;
            }));
        }
        chain.onComplete(ar -> {
            if (ar.succeeded()) {
                accepted(rc, source, events, indexes);
            } else {
                journalFailed(rc, source, ar.cause(), indexes.size(), events.size());
            }
        });
    }

    private Future<Long> append(ChangeEvent e) {
        try {
            return journal.append(e);
        } catch (RuntimeException ex) {
            return Future.failedFuture(ex);
        }
    }

    private void accepted(RoutingContext rc, IngestListener.Source source, List<ChangeEvent> events, List<Long> indexes) {
        JsonArray accepted = new JsonArray();
        for (int i = 0; i < events.size(); i++) {
            ChangeEvent e = events.get(i);
            accepted.add(new JsonObject().put("eventId", e.eventId()).put("index", indexes.get(i)));
            if (LOG.isDebugEnabled()) {
                LOG.debug("ingest {}: journaled eventId={} entity={} recordId={} operation={} index={}", source.tag(),
                        e.eventId(), e.entity(), e.recordId(), e.operation(), indexes.get(i));
            }
        }
        listener.onOutcome(source, IngestListener.Result.ACCEPTED, events.size());
        send(rc, 202, new JsonObject().put("accepted", accepted), null);
    }

    private void journalFailed(RoutingContext rc, IngestListener.Source source, Throwable cause, int journaled, int total) {
        long retryAfter = cause instanceof JournalFullException full ? Math.max(1, full.retryAfterSeconds()) : retryAfterSeconds;
        String code = cause instanceof JournalFullException ? "journal-full" : "journal-unavailable";
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        String message = "the journal did not take the event: " + why + "; send again in " + retryAfter + " s"
                + (total > 1 ? " (" + journaled + " of " + total + " events were journaled; resending all is safe)" : "");
        if (cause instanceof JournalFullException) {
            LOG.info("ingest {}: journal full, answered 503: {}", source.tag(), why);
        } else {
            LOG.warn("ingest {}: journal append failed, answered 503", source.tag(), cause);
        }
        unavailable(rc, source, IngestListener.Result.UNAVAILABLE, retryAfter, code, message);
    }

    /** Failures of the body handler: 413 for a body over the limit. */
    private void failed(RoutingContext rc, IngestListener.Source source) {
        int status = rc.statusCode();
        if (status < 0 && rc.failure() instanceof HttpException http) {
            status = http.getStatusCode();
        }
        if (status == 413) {
            error(rc, source, IngestListener.Result.TOO_LARGE, 413, "too-large",
                    "the body is larger than the limit of " + bodyLimit + " bytes");
        } else if (status >= 400 && status < 500) {
            error(rc, source, IngestListener.Result.MALFORMED, status, "bad-request", "the request could not be read");
        } else {
            LOG.error("ingest {}: failed while handling a request", source.tag(), rc.failure());
            error(rc, source, IngestListener.Result.UNAVAILABLE, 500, "internal", "dualsync failed to handle the request; nothing was journaled");
        }
    }

    private void unavailable(RoutingContext rc, IngestListener.Source source, IngestListener.Result result, long retryAfter,
                             String code, String message) {
        listener.onOutcome(source, result, 1);
        send(rc, 503, errorBody(code, message), Long.toString(retryAfter));
    }

    private void error(RoutingContext rc, IngestListener.Source source, IngestListener.Result result, int status, String code, String message) {
        listener.onOutcome(source, result, 1);
        send(rc, status, errorBody(code, message), null);
    }

    private static JsonObject errorBody(String code, String message) {
        return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message));
    }

    private static void send(RoutingContext rc, int status, JsonObject body, String retryAfter) {
        if (rc.response().ended() || rc.response().closed()) {
            return;
        }
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8");
        if (retryAfter != null) {
            rc.response().putHeader("Retry-After", retryAfter);
        }
        rc.response().end(body.encode());
    }
}
