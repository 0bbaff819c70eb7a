package io.dualsync.emulator.dataverse;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dualsync.emulator.ChangeEvent;
import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.store.Table;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.FieldDef;
import io.dualsync.mapping.schema.FieldType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Web API operations on table rows, shared by plain HTTP requests and {@code $batch} parts (which
 * are dispatched here directly, not over HTTP). Runs on the emulator's event loop; every write goes
 * into the caller's {@link UnitOfWork} and becomes visible, and is announced as a {@link ChangeEvent},
 * only when that unit commits. Failures are thrown as {@link DataverseError}.
 * <p>
 * Pages: retrieve-entity-using-web-api.md, create-entity-web-api.md, update-delete-entities-using-web-api.md,
 * perform-conditional-operations-using-web-api.md, use-alternate-key-reference-record.md,
 * associate-disassociate-entities-using-web-api.md.
 */
final class Operations {
    private static final Pattern API_PATH = Pattern.compile("^(?:https?://[^/]+)?/?api/data/v9\\.\\d+/");
    private static final UUID BUSINESS_UNIT = UUID.nameUUIDFromBytes("dualsync-emulator:businessunit".getBytes(StandardCharsets.UTF_8));
    private static final UUID ORGANIZATION = UUID.nameUUIDFromBytes("dualsync-emulator:organization".getBytes(StandardCharsets.UTF_8));

    private final EmulatorContext ctx;
    private final QueryExecutor queries;

    Operations(EmulatorContext ctx) {
        this.ctx = ctx;
        this.queries = new QueryExecutor(ctx);
    }

    private String api() {
        return ctx.baseUrl() + DataverseApi.PREFIX;
    }

    ApiResponse execute(ApiRequest req, UnitOfWork uow) {
        String decoded = ApiRequest.decode(resolveContentId(req.path, req), false);
        String method = req.method.toUpperCase(Locale.ROOT);
        if (decoded.equals("WhoAmI") || decoded.equals("WhoAmI()")) {
            if (!method.equals("GET")) {
                throw new DataverseError(404, "", "No HTTP resource was found that matches the request URI '" + api() + decoded + "'.");
            }
            return whoAmI(req);
        }
        if (decoded.equals("$batch")) {
            throw DataverseError.badRequest("A batch request cannot contain another batch request.");
        }
        ResourcePath p = ResourcePath.parse(decoded);
        Table t = table(p.entitySet());
        List<String> seg = p.segments();
        if (p.keyText() == null) {
            if (seg.isEmpty()) {
                switch (method) {
                    case "GET":
                        return queries.query(t, req, uow);
                    case "POST":
                        return create(t, req, uow);
                    default:
                        throw DataverseError.methodNotAllowed(method, p.entitySet());
                }
            }
            if (seg.size() == 1 && seg.get(0).equals("$count") && method.equals("GET")) {
                return queries.count(t, uow);
            }
            throw DataverseError.segmentNotFound(seg.get(0));
        }
        if (seg.isEmpty()) {
            switch (method) {
                case "GET":
                    return retrieve(t, p, req, uow);
                case "PATCH":
                    return upsert(t, p, req, uow);
                case "DELETE":
                    return delete(t, p, req, uow);
                default:
                    throw DataverseError.methodNotAllowed(method, decoded);
            }
        }
        if (seg.size() == 1) {
            switch (method) {
                case "GET":
                    return property(t, p, seg.get(0), uow);
                case "PUT":
                    return setProperty(t, p, seg.get(0), Json.readObject(req.body).get("value"), req, uow);
                case "DELETE":
                    return setProperty(t, p, seg.get(0), NullNode.getInstance(), req, uow);
                default:
                    throw DataverseError.methodNotAllowed(method, decoded);
            }
        }
        if (seg.size() == 2 && seg.get(1).equals("$ref")) {
            FieldDef lookup = PayloadReader.lookupByNavigation(t.schema(), seg.get(0));
            Target tg = locate(t, p, uow);
            UnitOfWork.Rec rec = existing(tg);
            Map<String, Object> attrs = new LinkedHashMap<>();
            switch (method) {
                case "PUT":
                case "POST": {
                    ObjectNode body = Json.readObject(req.body);
                    if (!body.path("@odata.id").isTextual()) {
                        throw DataverseError.badRequest("The request body must have an '@odata.id' with the URL of the related row.");
                    }
                    attrs.put(lookup.name(), bindTo(t.schema(), lookup, body.get("@odata.id").asText(), req, uow));
                    break;
                }
                case "DELETE":
                    attrs.put(lookup.name(), null);
                    break;
                default:
                    throw DataverseError.methodNotAllowed(method, decoded);
            }
            UnitOfWork.Rec updated = update(t, rec, attrs, req, uow);
            return new ApiResponse(204).header("ETag", updated.etag());
        }
        throw DataverseError.segmentNotFound(seg.get(seg.size() - 1));
    }

    /** Entity set names are case-sensitive (web-api-client-errors.md, "Resource not found for the segment"). */
    private Table table(String entitySet) {
        Table t = ctx.store().table(entitySet);
        if (t == null || !t.entitySet().equals(entitySet)) {
            throw DataverseError.segmentNotFound(entitySet);
        }
        return t;
    }

    /** {@code $1/...} at the start of a batch part's URL stands for the URL of the row Content-ID 1 created. */
    private static String resolveContentId(String path, ApiRequest req) {
        if (!path.startsWith("$") || path.startsWith("$batch")) {
            return path;
        }
        int slash = path.indexOf('/');
        String ref = slash < 0 ? path : path.substring(0, slash);
        String url = req.contentIds.get(ref.substring(1));
        if (url == null) {
            throw DataverseError.unknownContentId(ref);
        }
        return API_PATH.matcher(url).replaceFirst("") + (slash < 0 ? "" : path.substring(slash));
    }

    // ---- reading --------------------------------------------------------------------------------

    private ApiResponse retrieve(Table t, ResourcePath p, ApiRequest req, UnitOfWork uow) {
        UnitOfWork.Rec rec = existing(locate(t, p, uow));
        String select = req.queryOption("$select");
        List<FieldDef> columns = RecordJson.select(t.schema(), select);
        // perform-conditional-operations-using-web-api.md, "Conditional retrievals": 304 when unchanged.
        String ifNoneMatch = header(req, "If-None-Match");
        if (ifNoneMatch != null && etagMatches(ifNoneMatch, rec)) {
            return new ApiResponse(304).header("ETag", rec.etag());
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("@odata.context", api() + "$metadata#" + t.entitySet() + RecordJson.contextSelect(select) + "/$entity");
        body.setAll(RecordJson.write(t.schema(), rec, columns));
        return ApiResponse.json(200, body).header("ETag", rec.etag());
    }

    private ApiResponse property(Table t, ResourcePath p, String name, UnitOfWork uow) {
        UnitOfWork.Rec rec = existing(locate(t, p, uow));
        FieldDef f = RecordJson.columnOf(t.schema(), name);
        if (f == null) {
            throw DataverseError.segmentNotFound(name);
        }
        Object v = f.name().equals(t.schema().primaryId()) ? rec.id() : rec.values().get(f.name());
        if (v == null) {
            return new ApiResponse(204);
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("@odata.context", api() + "$metadata#" + t.entitySet() + "(" + rec.id() + ")/" + name);
        Json.put(body, "value", v);
        return ApiResponse.json(200, body);
    }

    private ApiResponse whoAmI(ApiRequest req) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("@odata.context", api() + "$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse");
        body.put("BusinessUnitId", BUSINESS_UNIT.toString());
        body.put("UserId", req.caller.userId().toString());
        body.put("OrganizationId", ORGANIZATION.toString());
        return ApiResponse.json(200, body);
    }

    // ---- writing --------------------------------------------------------------------------------

    private ApiResponse create(Table t, ApiRequest req, UnitOfWork uow) {
        EntitySchema schema = t.schema();
        Map<String, Object> attrs = PayloadReader.read(schema, Json.readObject(req.body), true, null,
                (lookup, ref) -> bindTo(schema, lookup, ref, req, uow));
        Object given = schema.primaryId() == null ? null : attrs.get(schema.primaryId());
        String id = given != null ? given.toString() : Guids.random();
        if (uow.get(t, id) != null) {
            throw DataverseError.duplicate();
        }
        UnitOfWork.Rec rec = insert(t, id, attrs, req, uow);
        return written(t, rec, req, true);
    }

    /** PATCH: update, or create when the row is missing (update-delete-entities-using-web-api.md, "Upsert a table"). */
    private ApiResponse upsert(Table t, ResourcePath p, ApiRequest req, UnitOfWork uow) {
        EntitySchema schema = t.schema();
        Target tg = locate(t, p, uow);
        String ifMatch = header(req, "If-Match");
        String ifNoneMatch = header(req, "If-None-Match");
        ObjectNode body = Json.readObject(req.body);
        if (tg.rec() == null) {
            if (ifMatch != null) {
                throw notFound(tg); // "Prevent create in upsert"
            }
            Map<String, Object> attrs = PayloadReader.read(schema, body, true, null, (lookup, ref) -> bindTo(schema, lookup, ref, req, uow));
            String id = tg.id();
            if (id == null) {
                Object given = attrs.get(schema.primaryId());
                id = given != null ? given.toString() : Guids.random();
                for (Map.Entry<String, Object> k : tg.keyValues().entrySet()) {
                    FieldDef f = schema.field(k.getKey());
                    if (f.type() == FieldType.LOOKUP && k.getValue() != null) {
                        Table related = table(f.target());
                        if (uow.get(related, k.getValue().toString()) == null) {
                            throw DataverseError.doesNotExist(related.schema(), k.getValue().toString());
                        }
                    }
                    attrs.put(k.getKey(), k.getValue());
                }
            } else {
                attrs.put(schema.primaryId(), id);
            }
            if (uow.get(t, id) != null) {
                throw DataverseError.duplicate();
            }
            return written(t, insert(t, id, attrs, req, uow), req, true);
        }
        if ("*".equals(ifNoneMatch)) {
            throw DataverseError.duplicate(); // "Prevent update in upsert"
        }
        checkIfMatch(ifMatch, tg.rec());
        Map<String, Object> attrs = PayloadReader.read(schema, body, false, tg.rec().id(),
                (lookup, ref) -> bindTo(schema, lookup, ref, req, uow));
        return written(t, update(t, tg.rec(), attrs, req, uow), req, false);
    }

    private ApiResponse delete(Table t, ResourcePath p, ApiRequest req, UnitOfWork uow) {
        UnitOfWork.Rec rec = existing(locate(t, p, uow));
        checkIfMatch(header(req, "If-Match"), rec);
        long version = uow.delete(t, rec);
        uow.event(event(t, ChangeEvent.Message.Delete, rec.id(), Map.of(), rec.values(), null, req, version));
        return new ApiResponse(204);
    }

    /** PUT/DELETE of one property (update-delete-entities-using-web-api.md, "Update a single property value"). */
    private ApiResponse setProperty(Table t, ResourcePath p, String name, com.fasterxml.jackson.databind.JsonNode value,
                                    ApiRequest req, UnitOfWork uow) {
        EntitySchema schema = t.schema();
        UnitOfWork.Rec rec = existing(locate(t, p, uow));
        if (value == null) {
            throw DataverseError.badRequest("The request body must have a 'value' property.");
        }
        if (schema.field(name) == null && PayloadReader.navigationOrNull(schema, name) == null) {
            throw DataverseError.segmentNotFound(name);
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set(name, value);
        Map<String, Object> attrs = PayloadReader.read(schema, body, false, rec.id(), (lookup, ref) -> bindTo(schema, lookup, ref, req, uow));
        UnitOfWork.Rec updated = update(t, rec, attrs, req, uow);
        return new ApiResponse(204).header("ETag", updated.etag());
    }

    private UnitOfWork.Rec insert(Table t, String id, Map<String, Object> attrs, ApiRequest req, UnitOfWork uow) {
        EntitySchema schema = t.schema();
        LinkedHashMap<String, Object> values = new LinkedHashMap<>();
        if (schema.primaryId() != null) {
            values.put(schema.primaryId(), id.toLowerCase(Locale.ROOT));
        }
        values.putAll(attrs);
        String now = PayloadReader.utcNow();
        putIfDeclared(schema, values, "createdon", now);
        putIfDeclared(schema, values, "modifiedon", now);
        if (schema.field("statecode") != null && values.get("statecode") == null) {
            values.put("statecode", 0L); // new rows are Active
        }
        for (FieldDef f : schema.fields().values()) {
            if (f.mandatory() && !f.readOnly() && values.get(f.name()) == null) {
                throw DataverseError.required(schema, f.name());
            }
        }
        checkUnique(t, values, null, uow);
        UnitOfWork.Rec rec = uow.insertOwned(t, id, values);
        uow.event(event(t, ChangeEvent.Message.Create, rec.id(), rec.values(), null, rec.values(), req, rec.version()));
        return rec;
    }

    private UnitOfWork.Rec update(Table t, UnitOfWork.Rec rec, Map<String, Object> attrs, ApiRequest req, UnitOfWork uow) {
        EntitySchema schema = t.schema();
        for (Map.Entry<String, Object> a : attrs.entrySet()) {
            FieldDef f = schema.field(a.getKey());
            if (a.getValue() == null && f != null && f.mandatory()) {
                throw DataverseError.required(schema, f.name());
            }
        }
        LinkedHashMap<String, Object> values = new LinkedHashMap<>(rec.values());
        values.putAll(attrs);
        String now = PayloadReader.utcNow();
        putIfDeclared(schema, values, "modifiedon", now);
        checkUnique(t, values, rec.id(), uow);
        UnitOfWork.Rec updated = uow.replaceOwned(t, rec, values);
        Map<String, Object> target = new LinkedHashMap<>();
        if (schema.primaryId() != null) {
            target.put(schema.primaryId(), rec.id());
        }
        target.putAll(attrs);
        if (schema.field("modifiedon") != null) {
            target.put("modifiedon", now);
        }
        uow.event(event(t, ChangeEvent.Message.Update, rec.id(), target, rec.values(), updated.values(), req, updated.version()));
        return updated;
    }

    private static void putIfDeclared(EntitySchema schema, Map<String, Object> values, String column, Object value) {
        if (schema.field(column) != null) {
            values.put(column, value);
        }
    }

    /** Alternate keys are unique: a second row with the same key values is a duplicate (0x80040237). */
    private static void checkUnique(Table t, Map<String, Object> values, String selfId, UnitOfWork uow) {
        for (List<String> key : t.schema().keys()) {
            boolean complete = true;
            for (String c : key) {
                complete &= values.get(c) != null;
            }
            if (!complete) {
                continue;
            }
            UnitOfWork.Rec other = uow.findByKey(t, key, values);
            if (other != null && !other.id().equals(selfId)) {
                throw DataverseError.duplicate();
            }
        }
    }

    /** 204, or with {@code Prefer: return=representation} 201 (create) / 200 (update) and the row, honouring $select. */
    private ApiResponse written(Table t, UnitOfWork.Rec rec, ApiRequest req, boolean created) {
        String url = api() + t.entitySet() + "(" + rec.id() + ")";
        ApiResponse r;
        if ("representation".equalsIgnoreCase(req.prefer().get("return"))) {
            String select = req.queryOption("$select");
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("@odata.context", api() + "$metadata#" + t.entitySet() + RecordJson.contextSelect(select) + "/$entity");
            body.setAll(RecordJson.write(t.schema(), rec, RecordJson.select(t.schema(), select)));
            r = ApiResponse.json(created ? 201 : 200, body).header("Preference-Applied", "return=representation");
        } else {
            r = new ApiResponse(204);
        }
        return r.header("Location", url).header("OData-EntityId", url).header("ETag", rec.etag());
    }

    private ChangeEvent event(Table t, ChangeEvent.Message message, String id, Map<String, Object> target,
                              Map<String, Object> pre, Map<String, Object> post, ApiRequest req, long version) {
        Map<String, Object> shared = req.tag == null ? Map.of() : Map.of("tag", req.tag);
        return new ChangeEvent(t.entitySet(), message, id, target, pre, post, req.caller, req.correlationId, shared,
                version, Instant.now());
    }

    // ---- conditions -----------------------------------------------------------------------------

    /** A header's value; {@code If-None-Match: null}, which every request should send, means no condition. */
    private static String header(ApiRequest req, String name) {
        String v = req.header(name);
        return v == null || v.isBlank() || v.trim().equalsIgnoreCase("null") ? null : v.trim();
    }

    private static void checkIfMatch(String ifMatch, UnitOfWork.Rec rec) {
        if (ifMatch != null && !etagMatches(ifMatch, rec)) {
            throw DataverseError.versionMismatch();
        }
    }

    private static boolean etagMatches(String header, UnitOfWork.Rec rec) {
        String mine = bare(rec.etag());
        for (String tag : header.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || bare(t).equals(mine)) {
                return true;
            }
        }
        return false;
    }

    private static String bare(String etag) {
        String t = etag.startsWith("W/") ? etag.substring(2) : etag;
        return t.replace("\"", "");
    }

    // ---- finding rows ---------------------------------------------------------------------------

    /**
     * Where a key in a URL points: the row (null when missing), the primary id it names, or the
     * alternate key columns and values it names.
     */
    record Target(Table table, UnitOfWork.Rec rec, String id, Map<String, Object> keyValues) {
    }

    /**
     * Resolves {@code (guid)}, {@code (accountid=guid)} or an alternate key
     * {@code (msdyn_company=guid,accountnumber='A1')}; a lookup column of a key may be written by its
     * lookup property {@code _msdyn_company_value} (as the documentation shows) or by its logical name.
     * A set of names that is not an alternate key is the documented invalid-key error.
     */
    Target locate(Table t, ResourcePath p, UnitOfWork uow) {
        EntitySchema schema = t.schema();
        Map<String, String> parts = p.keyParts();
        if (parts.size() == 1) {
            Map.Entry<String, String> only = parts.entrySet().iterator().next();
            if (only.getKey() == null || only.getKey().equals(schema.primaryId())) {
                Object id = ResourcePath.literal(only.getValue());
                if (!(id instanceof String s) || !ResourcePath.isGuid(s)) {
                    throw DataverseError.invalidKey(schema);
                }
                return new Target(t, uow.get(t, s), s, Map.of());
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> part : parts.entrySet()) {
            if (part.getKey() == null) {
                throw DataverseError.invalidKey(schema);
            }
            FieldDef f = RecordJson.columnOf(schema, part.getKey());
            if (f == null) {
                f = schema.field(part.getKey());
            }
            if (f == null) {
                throw DataverseError.invalidKey(schema);
            }
            Object v = ResourcePath.literal(part.getValue());
            if ((f.type() == FieldType.LOOKUP || f.type() == FieldType.GUID)
                    && !(v instanceof String s && ResourcePath.isGuid(s))) {
                throw DataverseError.invalidKey(schema);
            }
            values.put(f.name(), v);
        }
        List<String> key = null;
        for (List<String> k : schema.keys()) {
            if (new HashSet<>(k).equals(values.keySet()) && k.size() == values.size()) {
                key = k;
            }
        }
        if (key == null) {
            throw DataverseError.invalidKey(schema);
        }
        return new Target(t, uow.findByKey(t, key, values), null, values);
    }

    private static UnitOfWork.Rec existing(Target tg) {
        if (tg.rec() == null) {
            throw notFound(tg);
        }
        return tg.rec();
    }

    private static DataverseError notFound(Target tg) {
        return tg.id() != null ? DataverseError.doesNotExist(tg.table().schema(), tg.id())
                : DataverseError.keyNotFound(tg.table().schema());
    }

    /**
     * The id of the row an {@code @odata.bind} (or {@code @odata.id}) reference names: {@code /set(key)},
     * {@code set(key)}, an absolute URL, or {@code $n} for a row created earlier in the same change set.
     */
    String bindTo(EntitySchema schema, FieldDef lookup, String reference, ApiRequest req, UnitOfWork uow) {
        String ref = reference.trim();
        if (ref.startsWith("$")) {
            ref = resolveContentId(ref, req);
        }
        Matcher m = API_PATH.matcher(ref);
        ref = m.find() ? ref.substring(m.end()) : ref.replaceFirst("^/+", "");
        ResourcePath p = ResourcePath.parse(ApiRequest.decode(ref, false));
        if (p.keyText() == null || !p.segments().isEmpty()) {
            throw DataverseError.payload(schema, "The reference '" + reference + "' for '" + lookup.name()
                    + "@odata.bind' must address one row, as in '" + lookup.target() + "(<id>)'.");
        }
        Table related = table(p.entitySet());
        if (!related.entitySet().equalsIgnoreCase(lookup.target())) {
            throw DataverseError.payload(schema, "The reference '" + reference + "' for '" + lookup.name()
                    + "@odata.bind' must point at the entity set '" + lookup.target() + "'.");
        }
        return existing(locate(related, p, uow)).id();
    }
}
