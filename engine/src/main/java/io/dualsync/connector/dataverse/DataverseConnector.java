package io.dualsync.connector.dataverse;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dualsync.auth.TokenProvider;
import io.dualsync.connector.TargetConnector;
import io.dualsync.connector.WriteResult;
import io.dualsync.connector.WriteResult.Outcome;
import io.dualsync.connector.http.Answers;
import io.dualsync.connector.http.ODataHttp;
import io.dualsync.connector.http.ODataText;
import io.dualsync.connector.http.TargetReadException;
import io.dualsync.mapping.CompiledMap;
import io.dualsync.mapping.LookupRef;
import io.dualsync.mapping.Payload;
import io.dualsync.mapping.Side;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.SchemaSet;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads and writes Dataverse rows through the Web API ({@code /api/data/v9.2/}).
 *
 * <ul>
 * <li>Upsert is {@code PATCH <set>(<alternate key>)} (update-delete-entities-using-web-api.md, "Upsert"):
 *     plain key columns as literals, lookup key paths ({@code msdyn_company.cdm_companycode}) resolved
 *     to the related row's guid and written as {@code _msdyn_company_value=<guid>}. {@code If-Match} when
 *     the caller knows the ETag; {@code ?tag=} when given; {@code Prefer: return=representation} with
 *     the primary id and {@code versionnumber} selected, so the result carries the id and the new ETag.</li>
 * <li>Lookups of the payload ({@link LookupRef}) are bound by the related row's alternate key,
 *     {@code "<column>@odata.bind": "/<set>(<key>='<value>')"}, and cleared with
 *     {@code "<column>@odata.bind": null} (associate-disassociate-entities-using-web-api.md). When the
 *     related table's key includes the company, the company guid of the record's own key is used.</li>
 * <li>Read gets every column; each {@code _x_value} lookup the maps read through ({@code x.relatedKey})
 *     is followed and put back as {@code x: {relatedKey: value}}, so map paths resolve.</li>
 * </ul>
 *
 * Resolved lookup ids and related keys are cached (Caffeine, bounded, expire after write). Every answer
 * becomes a {@link WriteResult}; retrying is the caller's. Futures complete on the caller's context.
 * Thread-safe; one instance per Dataverse environment.
 */
public final class DataverseConnector implements TargetConnector, AutoCloseable {
    private final String api;
    private final ODataHttp http;
    private final SchemaSet schemas;
    private final Clock clock;
    private final Map<String, Map<String, Set<String>>> pathsRead;
    private final Map<String, Set<String>> readColumns = new ConcurrentHashMap<>();
    /** {@code <set>(<key predicate>)} to the row's primary id. */
    private final Cache<String, String> ids;
    /** {@code <set>(<id>)?<columns>} to those columns' values. */
    private final Cache<String, Map<String, Object>> relatedRows;

    /**
     * @param schemas Dataverse table schemas: lookup targets, primary ids and alternate keys come from them
     * @param maps    the maps in use, for the lookup paths a read must follow (may be empty)
     */
    public DataverseConnector(Vertx vertx, DataverseSettings settings, TokenProvider tokens, SchemaSet schemas,
                              Collection<CompiledMap> maps) {
        this(vertx, settings, tokens, schemas, maps, Clock.systemUTC());
    }

    DataverseConnector(Vertx vertx, DataverseSettings settings, TokenProvider tokens, SchemaSet schemas,
                       Collection<CompiledMap> maps, Clock clock) {
        this.api = settings.apiRoot();
        this.http = new ODataHttp(vertx, settings.poolSize(), settings.requestTimeout(), tokens);
        this.schemas = schemas;
        this.clock = clock;
        this.pathsRead = DataverseUrls.pathsRead(maps);
        this.ids = Caffeine.newBuilder().maximumSize(settings.lookupCacheSize())
                .expireAfterWrite(settings.lookupCacheTtl()).build();
        this.relatedRows = Caffeine.newBuilder().maximumSize(settings.lookupCacheSize())
                .expireAfterWrite(settings.lookupCacheTtl()).build();
    }

    /** A failure with its result already decided (invalid key, lookup target missing, target error). */
    private static final class Refusal extends RuntimeException {
        final WriteResult result;

        Refusal(WriteResult result) {
            super(result.message(), null, false, false);
            this.result = result;
        }
    }

    /** A record's key as a URL predicate, with the guids of the lookup columns in it. */
    private record Key(String predicate, Map<String, String> lookupIds) {
    }

    @Override
    public Future<WriteResult> upsert(String entitySet, Map<String, Object> key, Payload payload, String ifMatch, String tag) {
        if (!payload.accepted()) {
            return Future.succeededFuture(Answers.invalid("the map's filter rejected this record: there is nothing to write to "
                    + entitySet));
        }
        EntitySchema schema = schema(entitySet);
        return key(entitySet, schema, key).compose(k -> {
            JsonObject body = body(entitySet, schema, payload, k.lookupIds());
            MultiMap headers = MultiMap.caseInsensitiveMultiMap();
            List<String> query = new ArrayList<>(2);
            if (schema != null && schema.primaryId() != null) {
                headers.add("Prefer", "return=representation");
                query.add("$select=" + schema.primaryId() + (schema.field("versionnumber") != null ? ",versionnumber" : ""));
            }
            if (ifMatch != null) {
                headers.add("If-Match", ifMatch);
            }
            if (tag != null) {
                query.add("tag=" + ODataText.encodeQuery(tag));
            }
            return http.send(HttpMethod.PATCH, url(entitySet, k.predicate(), query), headers, body.toBuffer())
                    .map(answer -> written(answer, schema == null ? null : schema.primaryId(), ifMatch != null, clock));
        }).recover(e -> Future.succeededFuture(result(e)));
    }

    @Override
    public Future<WriteResult> delete(String entitySet, Map<String, Object> key, String tag) {
        EntitySchema schema = schema(entitySet);
        return key(entitySet, schema, key).compose(k -> {
            List<String> query = tag == null ? List.of() : List.of("tag=" + ODataText.encodeQuery(tag));
            return http.send(HttpMethod.DELETE, url(entitySet, k.predicate(), query), null, null).map(answer -> {
                if (answer.ok() || answer.status() == 404) {
                    return WriteResult.ok(answer.status(), null, null); // already gone is done
                }
                return error(answer);
            });
        }).recover(e -> {
            WriteResult r = result(e);
            // The company (or another lookup of the key) does not exist: neither can the record.
            return Future.succeededFuture(r.outcome() == Outcome.PERMANENT && r.status() == 404
                    ? new WriteResult(Outcome.OK, 404, null, null, null, r.message()) : r);
        });
    }

    @Override
    public Future<ReadResult> read(String entitySet, Map<String, Object> key) {
        EntitySchema schema = schema(entitySet);
        return key(entitySet, schema, key)
                .compose(k -> http.send(HttpMethod.GET, url(entitySet, k.predicate(), List.of()), null, null))
                .recover(e -> {
                    WriteResult r = result(e);
                    if (r.status() == 404) {
                        return Future.succeededFuture(null); // a lookup of the key does not exist: no record
                    }
                    return Future.failedFuture(new TargetReadException(r));
                })
                .compose(answer -> {
                    if (answer == null || answer.status() == 404) {
                        return Future.succeededFuture(null);
                    }
                    if (!answer.ok()) {
                        return Future.failedFuture(new TargetReadException(error(answer)));
                    }
                    return record(entitySet, schema, answer.json(), answer.header("ETag"));
                });
    }

    // ---- keys and lookups

    private Future<Key> key(String entitySet, EntitySchema schema, Map<String, Object> key) {
        if (key == null || key.isEmpty()) {
            return Future.failedFuture(new Refusal(Answers.invalid("no key given for " + entitySet)));
        }
        if (schema != null && schema.primaryId() != null && key.get(schema.primaryId()) != null) {
            Object id = key.get(schema.primaryId());
            if (!ODataText.isGuid(String.valueOf(id))) {
                return invalid(entitySet + "." + schema.primaryId() + " must be a guid, was `" + id + "`");
            }
            return Future.succeededFuture(new Key(ODataText.guid(id), Map.of()));
        }
        Map<String, Future<String>> parts = new LinkedHashMap<>();
        Map<String, Future<String>> lookups = new LinkedHashMap<>();
        for (Map.Entry<String, Object> part : key.entrySet()) {
            String path = part.getKey();
            Object value = part.getValue();
            if (value == null) {
                return invalid("the key of " + entitySet + " has no value for " + path);
            }
            int dot = path.indexOf('.');
            if (dot < 0) {
                parts.put(path, Future.succeededFuture(ODataText.literal(value)));
                continue;
            }
            String column = path.substring(0, dot);
            String relatedKey = path.substring(dot + 1);
            Future<String> id;
            try {
                String relatedSet = DataverseUrls.relatedSet(schema, entitySet, column);
                id = resolveId(relatedSet, relatedKey, value);
            } catch (DataverseUrls.Invalid e) {
                return invalid(e.getMessage());
            }
            lookups.put(column, id);
            parts.put(DataverseUrls.lookupProperty(column), id);
        }
        return Future.all(new ArrayList<>(parts.values())).map(all -> {
            Map<String, String> literals = new LinkedHashMap<>();
            parts.forEach((name, f) -> literals.put(name, f.result()));
            Map<String, String> lookupIds = new HashMap<>();
            lookups.forEach((column, f) -> lookupIds.put(column, f.result()));
            return new Key(DataverseUrls.predicate(literals), lookupIds);
        });
    }

    /**
     * The primary id of the related row whose {@code relatedKey} is {@code value}, by an alternate-key
     * GET ({@code cdm_companies(cdm_companycode='USMF')?$select=cdm_companyid}). A missing row is
     * PERMANENT with Dataverse's message.
     */
    private Future<String> resolveId(String relatedSet, String relatedKey, Object value) {
        EntitySchema related = schema(relatedSet);
        if (related == null || related.primaryId() == null) {
            throw new DataverseUrls.Invalid("no schema with a primary id for Dataverse table " + relatedSet
                    + ": cannot resolve its rows by " + relatedKey + "; add " + relatedSet + ".schema.json");
        }
        String predicate = DataverseUrls.reference(related, relatedSet, relatedKey, value, Map.of());
        String cacheKey = relatedSet + "(" + predicate + ")";
        String known = ids.getIfPresent(cacheKey);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        return http.send(HttpMethod.GET, url(relatedSet, predicate, List.of("$select=" + related.primaryId())), null, null)
                .recover(e -> Future.failedFuture(new Refusal(Answers.failure(e))))
                .compose(answer -> {
                    if (!answer.ok()) {
                        WriteResult r = error(answer);
                        if (answer.status() == 404) {
                            r = new WriteResult(Outcome.PERMANENT, 404, null, null, null, r.message());
                        }
                        return Future.failedFuture(new Refusal(r));
                    }
                    String id = answer.json().getString(related.primaryId());
                    if (!ODataText.isGuid(id)) {
                        return Future.failedFuture(new Refusal(Answers.invalid("Dataverse returned no " + related.primaryId()
                                + " for " + cacheKey)));
                    }
                    ids.put(cacheKey, id);
                    return Future.succeededFuture(id);
                });
    }

    /** The JSON body of an upsert: values as they are, lookups as {@code @odata.bind} references. */
    private JsonObject body(String entitySet, EntitySchema schema, Payload payload, Map<String, String> lookupIds) {
        JsonObject body = new JsonObject();
        for (int slot = 0; slot < payload.slots(); slot++) {
            if (!payload.isSet(slot)) {
                continue;
            }
            String name = payload.name(slot);
            Object value = payload.value(slot);
            LookupRef ref = payload.lookup(slot);
            try {
                if (ref != null) {
                    String bind = ref.column() + "@odata.bind";
                    if (value == null) {
                        body.putNull(bind);
                        continue;
                    }
                    String relatedSet = ref.relatedEntitySet() != null ? ref.relatedEntitySet()
                            : DataverseUrls.relatedSet(schema, entitySet, ref.column());
                    String predicate = DataverseUrls.reference(schema(relatedSet), relatedSet, ref.relatedKey(), value, lookupIds);
                    body.put(bind, "/" + relatedSet + "(" + ODataText.encodePath(predicate) + ")");
                } else if (name.indexOf('.') >= 0) {
                    throw new DataverseUrls.Invalid(entitySet + "." + name + " is a path but not a lookup; "
                            + "only lookup columns can be written through a related table");
                } else {
                    body.put(name, value);
                }
            } catch (DataverseUrls.Invalid e) {
                throw new Refusal(Answers.invalid(e.getMessage()));
            }
        }
        return body;
    }

    // ---- reads

    private Future<ReadResult> record(String entitySet, EntitySchema schema, JsonObject row, String etagHeader) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> field : row) {
            if (field.getKey().indexOf('@') < 0) {
                values.put(field.getKey(), plain(field.getValue()));
            }
        }
        String etag = row.getString("@odata.etag", etagHeader);
        long version = version(row.getValue("versionnumber"), etag);
        Instant modifiedAt = instantOrNull(row.getValue("modifiedon"));
        List<String> followed = new ArrayList<>();
        List<Future<Map<String, Object>>> follows = new ArrayList<>();
        for (Map.Entry<String, Object> field : row) {
            String column = DataverseUrls.navigationOf(field.getKey());
            if (column == null) {
                continue;
            }
            String relatedSet = relatedSetOrNull(schema, column);
            Set<String> columns = relatedSet == null ? Set.of() : columnsRead(entitySet, column, relatedSet);
            if (columns.isEmpty()) {
                continue;
            }
            Object id = field.getValue();
            if (id == null) {
                values.put(column, null);
                continue;
            }
            followed.add(column);
            follows.add(related(relatedSet, String.valueOf(id), columns));
        }
        if (follows.isEmpty()) {
            return Future.succeededFuture(new ReadResult(values, etag, version, modifiedAt));
        }
        return Future.all(follows).map(all -> {
            for (int i = 0; i < followed.size(); i++) {
                values.put(followed.get(i), follows.get(i).result());
            }
            return new ReadResult(values, etag, version, modifiedAt);
        });
    }

    /** {@code modifiedon} as the Web API gives it (ISO-8601 UTC), or null when absent or unreadable. */
    static Instant instantOrNull(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(String.valueOf(value)).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String relatedSetOrNull(EntitySchema schema, String column) {
        try {
            return DataverseUrls.relatedSet(schema, "", column);
        } catch (DataverseUrls.Invalid e) {
            return null;
        }
    }

    /** What a read follows through a lookup: the maps' paths, and the related table's key columns. */
    private Set<String> columnsRead(String entitySet, String column, String relatedSet) {
        return readColumns.computeIfAbsent(entitySet + "." + column, k -> {
            Set<String> out = new LinkedHashSet<>(pathsRead.getOrDefault(entitySet, Map.of()).getOrDefault(column, Set.of()));
            out.addAll(DataverseUrls.keyColumns(schema(relatedSet)));
            return Set.copyOf(out);
        });
    }

    /** The given columns of a related row; null when the row no longer exists. */
    private Future<Map<String, Object>> related(String relatedSet, String id, Set<String> columns) {
        if (!ODataText.isGuid(id)) {
            return Future.succeededFuture(null);
        }
        String select = String.join(",", new java.util.TreeSet<>(columns));
        String cacheKey = relatedSet + "(" + id + ")?" + select;
        Map<String, Object> known = relatedRows.getIfPresent(cacheKey);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        return http.send(HttpMethod.GET, url(relatedSet, ODataText.guid(id), List.of("$select=" + select)), null, null)
                .recover(e -> Future.failedFuture(new TargetReadException(Answers.failure(e))))
                .compose(answer -> {
                    if (answer.status() == 404) {
                        return Future.succeededFuture(null);
                    }
                    if (!answer.ok()) {
                        return Future.failedFuture(new TargetReadException(error(answer)));
                    }
                    JsonObject row = answer.json();
                    Map<String, Object> out = new LinkedHashMap<>();
                    for (String c : columns) {
                        out.put(c, plain(row.getValue(c)));
                    }
                    Map<String, Object> frozen = java.util.Collections.unmodifiableMap(out);
                    relatedRows.put(cacheKey, frozen);
                    return Future.succeededFuture(frozen);
                });
    }

    private static Object plain(Object v) {
        if (v instanceof JsonObject o) {
            return o.getMap();
        }
        if (v instanceof JsonArray a) {
            return a.getList();
        }
        return v;
    }

    /** Dataverse's row version: {@code versionnumber}, else the digits of its weak ETag {@code W/"1234"}. */
    static long version(Object versionNumber, String etag) {
        if (versionNumber instanceof Number n) {
            return n.longValue();
        }
        if (etag != null) {
            String digits = etag.replaceAll("[^0-9]", "");
            if (!digits.isEmpty() && digits.length() < 19) {
                return Long.parseLong(digits);
            }
        }
        return 0;
    }

    // ---- answers

    /**
     * What an upsert's answer means: 2xx written (id from the representation or {@code OData-EntityId},
     * ETag from the representation or the header); 404 without {@code If-Match} a missing lookup target
     * (an upsert creates a missing record, so only an {@code @odata.bind} reference can be missing):
     * PERMANENT, with it the record itself: NOT_FOUND; 412 with {@code If-Match} a conflict, without it two
     * creates of the same key racing (0x80040237 "A record with matching key values already exists"):
     * RETRYABLE, the next attempt updates; anything else as {@link Answers#outcome}.
     */
    static WriteResult written(ODataHttp.Answer answer, String primaryId, boolean ifMatch, Clock clock) {
        if (answer.ok()) {
            JsonObject row = answer.status() == 204 ? new JsonObject() : answer.json();
            String id = primaryId != null ? row.getString(primaryId) : null;
            if (id == null) {
                id = DataverseUrls.idFromEntityId(answer.header("OData-EntityId"));
            }
            return WriteResult.ok(answer.status(), id, row.getString("@odata.etag", answer.header("ETag")));
        }
        String message = Answers.message(answer.status(), answer.text());
        if (answer.status() == 404 && !ifMatch) {
            return new WriteResult(Outcome.PERMANENT, 404, null, null, null, message);
        }
        if (answer.status() == 412 && !ifMatch) {
            return new WriteResult(Outcome.RETRYABLE, 412, null, null, null, message);
        }
        return error(answer, clock);
    }

    private WriteResult error(ODataHttp.Answer answer) {
        return error(answer, clock);
    }

    static WriteResult error(ODataHttp.Answer answer, Clock clock) {
        return Answers.error(Answers.outcome(answer.status()), answer.status(), answer.header("Retry-After"),
                Answers.message(answer.status(), answer.text()), clock);
    }

    private static WriteResult result(Throwable e) {
        if (e instanceof Refusal r) {
            return r.result;
        }
        if (e instanceof TargetReadException t) {
            return t.result();
        }
        return Answers.failure(e);
    }

    private static <T> Future<T> invalid(String message) {
        return Future.failedFuture(new Refusal(Answers.invalid(message)));
    }

    private EntitySchema schema(String entitySet) {
        return schemas.get(Side.DATAVERSE, entitySet);
    }

    private String url(String entitySet, String predicate, List<String> query) {
        StringBuilder b = new StringBuilder(api.length() + entitySet.length() + predicate.length() + 64)
                .append(api).append(entitySet).append('(').append(ODataText.encodePath(predicate)).append(')');
        for (int i = 0; i < query.size(); i++) {
            b.append(i == 0 ? '?' : '&').append(query.get(i));
        }
        return b.toString();
    }

    @Override
    public void close() {
        http.close();
    }
}
