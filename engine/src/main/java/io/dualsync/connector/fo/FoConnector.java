package io.dualsync.connector.fo;

import io.dualsync.auth.TokenProvider;
import io.dualsync.connector.TargetConnector;
import io.dualsync.connector.WriteResult;
import io.dualsync.connector.WriteResult.Outcome;
import io.dualsync.connector.http.Answers;
import io.dualsync.connector.http.ODataHttp;
import io.dualsync.connector.http.ODataText;
import io.dualsync.connector.http.TargetReadException;
import io.dualsync.mapping.Payload;
import io.dualsync.mapping.Side;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.FieldDef;
import io.dualsync.mapping.schema.FieldType;
import io.dualsync.mapping.schema.SchemaSet;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes F&O data entities through OData ({@code /data/}), always with
 * {@code cross-company=true} so records of every company are reachable by their {@code dataAreaId}.
 *
 * <ul>
 * <li>Upsert: {@code PATCH <Set>(<key>)} with the payload's fields (key fields left out: they name the
 *     record); a 404 means the record does not exist, so it is created with {@code POST <Set>} and the
 *     key fields in the body. With {@code If-Match} a 404 is NOT_FOUND instead (the record the caller
 *     knew was deleted; it is not recreated).</li>
 * <li>F&O lookups are plain fields (a customer group id, a currency code): payload values are written
 *     as they are.</li>
 * <li>A null value (a field cleared at the source) is written as {@code ""} to a text field, which is how
 *     F&O keeps an empty text; F&O has no empty number, date or enum, so such a field is left as it is.
 *     A create sends no empty values at all.</li>
 * <li>The {@code tag} of a write is not sent: F&O has no equivalent of Dataverse's {@code tag} shared
 *     variable; its events are recognised as echoes by their user and values instead.</li>
 * <li>Errors come as {@code {"error":{"code":"","message":"An error has occurred.","innererror":{"message":..}}}};
 *     the inner message is the one reported.</li>
 * </ul>
 *
 * Every answer becomes a {@link WriteResult}; retrying is the caller's. Futures complete on the caller's
 * context. Thread-safe; one instance per F&O environment.
 */
public final class FoConnector implements TargetConnector, AutoCloseable {
    private final String data;
    private final ODataHttp http;
    private final SchemaSet schemas;
    private final Clock clock;

    public FoConnector(Vertx vertx, FoSettings settings, TokenProvider tokens) {
        this(vertx, settings, tokens, SchemaSet.empty(), Clock.systemUTC());
    }

    /** With the entities' schemas, so a cleared text field is written as {@code ""}. */
    public FoConnector(Vertx vertx, FoSettings settings, TokenProvider tokens, SchemaSet schemas) {
        this(vertx, settings, tokens, schemas, Clock.systemUTC());
    }

    FoConnector(Vertx vertx, FoSettings settings, TokenProvider tokens, SchemaSet schemas, Clock clock) {
        this.data = settings.dataRoot();
        this.http = new ODataHttp(vertx, settings.poolSize(), settings.requestTimeout(), tokens);
        this.schemas = schemas;
        this.clock = clock;
    }

    @Override
    public Future<WriteResult> upsert(String entitySet, Map<String, Object> key, Payload payload, String ifMatch, String tag) {
        if (!payload.accepted()) {
            return Future.succeededFuture(Answers.invalid("the map's filter rejected this record: there is nothing to write to "
                    + entitySet));
        }
        String predicate;
        try {
            predicate = FoUrls.predicate(entitySet, key);
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(Answers.invalid(e.getMessage()));
        }
        EntitySchema schema = schemas.get(Side.FO, entitySet);
        JsonObject fields = new JsonObject();
        for (Map.Entry<String, Object> f : payload.toMap().entrySet()) {
            if (key.containsKey(f.getKey())) {
                continue;
            }
            if (f.getValue() != null) {
                fields.put(f.getKey(), f.getValue());
            } else if (isText(schema, f.getKey())) {
                fields.put(f.getKey(), "");
            }
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (ifMatch != null) {
            headers.add("If-Match", ifMatch);
        }
        return http.send(HttpMethod.PATCH, recordUrl(entitySet, predicate), headers, fields.toBuffer())
                .compose(answer -> {
                    if (answer.ok()) {
                        return Future.succeededFuture(WriteResult.ok(answer.status(), predicate, answer.header("ETag")));
                    }
                    if (answer.status() == 404 && ifMatch == null) {
                        return create(entitySet, key, predicate, fields);
                    }
                    return Future.succeededFuture(error(answer));
                })
                .recover(e -> Future.succeededFuture(Answers.failure(e)));
    }

    /** A text field by the schema; without a schema for it, a field is assumed not to be text. */
    private static boolean isText(EntitySchema schema, String field) {
        FieldDef def = schema == null ? null : schema.field(field);
        return def != null && def.type() == FieldType.STRING;
    }

    /** POST with the key fields and the payload's non-empty values; 201 gives the record with its ETag. */
    private Future<WriteResult> create(String entitySet, Map<String, Object> key, String predicate, JsonObject fields) {
        JsonObject body = new JsonObject();
        key.forEach((field, value) -> body.put(field, FoUrls.value(field, value)));
        fields.forEach(f -> {
            if (f.getValue() != null && !"".equals(f.getValue())) {
                body.put(f.getKey(), f.getValue());
            }
        });
        return http.send(HttpMethod.POST, data + entitySet + "?" + FoUrls.CROSS_COMPANY, null, body.toBuffer())
                .map(answer -> created(answer, predicate, clock));
    }

    /**
     * What a create's answer means: 201 created (ETag from the record); "The record already exists."
     * means someone created it between our PATCH and POST: RETRYABLE, the next attempt's PATCH updates it.
     */
    static WriteResult created(ODataHttp.Answer answer, String predicate, Clock clock) {
        if (answer.ok()) {
            JsonObject created = answer.status() == 204 ? new JsonObject() : answer.json();
            return WriteResult.ok(answer.status(), predicate, created.getString("@odata.etag", answer.header("ETag")));
        }
        WriteResult r = error(answer, clock);
        if (r.outcome() == Outcome.PERMANENT && r.message() != null && r.message().contains("already exists")) {
            return new WriteResult(Outcome.RETRYABLE, r.status(), null, null, null, r.message());
        }
        return r;
    }

    @Override
    public Future<WriteResult> delete(String entitySet, Map<String, Object> key, String tag) {
        String predicate;
        try {
            predicate = FoUrls.predicate(entitySet, key);
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(Answers.invalid(e.getMessage()));
        }
        return http.send(HttpMethod.DELETE, recordUrl(entitySet, predicate), null, null)
                .map(answer -> answer.ok() || answer.status() == 404 ? WriteResult.ok(answer.status(), predicate, null) : error(answer))
                .recover(e -> Future.succeededFuture(Answers.failure(e)));
    }

    @Override
    public Future<ReadResult> read(String entitySet, Map<String, Object> key) {
        String predicate;
        try {
            predicate = FoUrls.predicate(entitySet, key);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new TargetReadException(Answers.invalid(e.getMessage())));
        }
        return http.send(HttpMethod.GET, recordUrl(entitySet, predicate), null, null)
                .recover(e -> Future.failedFuture(new TargetReadException(Answers.failure(e))))
                .compose(answer -> {
                    if (answer.status() == 404) {
                        return Future.succeededFuture(null);
                    }
                    if (!answer.ok()) {
                        return Future.failedFuture(new TargetReadException(error(answer)));
                    }
                    JsonObject row = answer.json();
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (Map.Entry<String, Object> f : row) {
                        if (f.getKey().indexOf('@') < 0) {
                            Object v = f.getValue();
                            values.put(f.getKey(), v instanceof JsonObject o ? o.getMap() : v instanceof JsonArray a ? a.getList() : v);
                        }
                    }
                    // F&O exposes no row version; its ETag is opaque.
                    return Future.succeededFuture(new ReadResult(values, row.getString("@odata.etag", answer.header("ETag")), 0));
                });
    }

    private String recordUrl(String entitySet, String predicate) {
        return data + entitySet + "(" + ODataText.encodePath(predicate) + ")?" + FoUrls.CROSS_COMPANY;
    }

    private WriteResult error(ODataHttp.Answer answer) {
        return error(answer, clock);
    }

    static WriteResult error(ODataHttp.Answer answer, Clock clock) {
        return Answers.error(Answers.outcome(answer.status()), answer.status(), answer.header("Retry-After"),
                Answers.message(answer.status(), answer.text()), clock);
    }

    @Override
    public void close() {
        http.close();
    }
}
