package io.dualsync.emulator.fo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dualsync.emulator.ChangeEvent;
import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.store.Row;
import io.dualsync.emulator.store.Table;
import io.dualsync.mapping.schema.FieldDef;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The F&O OData service proper: reads and writes of entity sets below {@code /data/}, independent
 * of how the request arrived (its own HTTP request, or a part of a {@code $batch}). Written from
 * data-entities/odata.md ("Addressing", "Supported features", "Cross-company behavior",
 * "Validate methods", "Using Enums") and cross-company-behavior.md. Event loop only.
 */
final class FoService {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    /** A write that has been validated and queued on a transaction; {@link #respond} runs after the commit. */
    record Prepared(Supplier<FoResponse> respond, String entityPath) {
    }

    private final EmulatorContext ctx;

    FoService(EmulatorContext ctx) {
        this.ctx = ctx;
    }

    EmulatorContext context() {
        return ctx;
    }

    /** Answers one request outside a change set; a write commits (and publishes) on its own. */
    FoResponse handle(FoRequest req) {
        try {
            if (req.path().isEmpty()) {
                requireMethod(req, "GET");
                return FoMetadata.serviceDocument(ctx, entities());
            }
            if (req.path().equals("$metadata")) {
                requireMethod(req, "GET");
                return FoMetadata.metadata(entities());
            }
            if (req.method().equals("GET")) {
                return read(req);
            }
            Transaction tx = new Transaction(ctx, req.caller(), req.correlationId());
            Prepared p = prepare(req, tx);
            tx.commit();
            return p.respond().get();
        } catch (FoError e) {
            return FoResponse.error(e);
        }
    }

    /** Validates a write (POST, PATCH, PUT, DELETE) and queues it on {@code tx}. */
    Prepared prepare(FoRequest req, Transaction tx) {
        ResourcePath path = ResourcePath.parse(req.path());
        FoEntity e = entity(path.entitySet());
        if (path.count() || path.property() != null) {
            throw new FoError(405, FoError.ODATA, "The request method '" + req.method() + "' is not allowed on this resource.");
        }
        switch (req.method()) {
            case "POST":
                if (path.keys() != null) {
                    throw new FoError(405, FoError.ODATA, "POST is allowed on an entity set, not on a single entity.");
                }
                return create(req, e, tx);
            case "PATCH":
            case "MERGE":
            case "PUT":
                return update(req, e, requireKey(e, path), tx, req.method().equals("PUT"));
            case "DELETE":
                return delete(req, e, requireKey(e, path), tx);
            default:
                throw new FoError(405, FoError.ODATA, "The request method '" + req.method() + "' is not allowed.");
        }
    }

    // ---- reads ----------------------------------------------------------------------------------

    private FoResponse read(FoRequest req) {
        ResourcePath path = ResourcePath.parse(req.path());
        FoEntity e = entity(path.entitySet());
        String base = ctx.baseUrl();
        if (path.keys() == null) {
            FoQuery q = new FoQuery(e, req, base, ctx.options().foMaxPageSize);
            List<Row> visible = visibleRows(e, req);
            if (path.count()) {
                return FoResponse.text("text/plain; charset=utf-8", String.valueOf(q.countOnly(visible)));
            }
            return FoResponse.json(200, q.run(visible).toString());
        }
        Map<String, Object> key = keyValues(e, path.keys());
        Row row = e.table().findByKey(e.key(), key);
        if (row == null || !e.visible(row.values(), ctx.options().foDefaultCompany, req.crossCompany())) {
            throw notFound(e, key);
        }
        String entityUrl = base + "/data/$metadata#" + e.entitySet();
        if (path.property() != null) {
            FieldDef f = e.field(path.property());
            if (f == null) {
                throw FoError.notFound("Resource not found for the segment '" + path.property() + "'.");
            }
            ObjectNode o = JSON.createObjectNode();
            o.put("@odata.context", base + "/data/$metadata#" + e.entitySet() + "(" + e.keyPredicate(row.values()) + ")/" + f.name());
            FoEntity.put(o, "value", e.value(row.values(), f.name()));
            return FoResponse.json(200, o.toString());
        }
        FoQuery q = new FoQuery(e, req, base, ctx.options().foMaxPageSize);
        List<String> select = q.select(req.option("$select"));
        ObjectNode o = JSON.createObjectNode();
        o.put("@odata.context", entityUrl + (select == null ? "" : "(" + String.join(",", select) + ")") + "/$entity");
        o.setAll(e.render(row.values(), row.etag(), select));
        return FoResponse.json(200, o.toString());
    }

    /** Rows of the caller's default company, or of every company with {@code cross-company=true}. */
    private List<Row> visibleRows(FoEntity e, FoRequest req) {
        List<Row> out = new ArrayList<>();
        for (Row r : e.table().rows()) {
            if (e.visible(r.values(), ctx.options().foDefaultCompany, req.crossCompany())) {
                out.add(r);
            }
        }
        return out;
    }

    // ---- writes ---------------------------------------------------------------------------------

    private Prepared create(FoRequest req, FoEntity e, Transaction tx) {
        Map<String, Object> written = payload(req, e);
        Map<String, Object> values = e.initValues();
        values.putAll(written);
        if (e.company() != null && !written.containsKey(e.company())) {
            // The record goes to the caller's default company when the payload names none.
            String company = ctx.options().foDefaultCompany.toLowerCase(Locale.ROOT);
            values.put(e.company(), company);
            written.put(e.company(), company);
        }
        checkMandatory(e, values);
        for (List<String> key : e.schema().keys()) {
            if (complete(e, key, values) && tx.find(e, key, values) != null) {
                throw duplicate(e, key, values);
            }
        }
        String id = e.rowId(values);
        int op = tx.write(ChangeEvent.Message.Create, e, id, values, written);
        String entityPath = e.entitySet() + "(" + e.keyPredicate(values) + ")";
        String location = ctx.baseUrl() + "/data/" + encodePath(entityPath);
        boolean minimal = prefers(req, "return=minimal");
        return new Prepared(() -> {
            Row row = tx.result(op).row();
            if (minimal) {
                return FoResponse.empty(204).header("OData-EntityId", location).header("Location", location)
                        .header("Preference-Applied", "return=minimal");
            }
            ObjectNode o = JSON.createObjectNode();
            o.put("@odata.context", ctx.baseUrl() + "/data/$metadata#" + e.entitySet() + "/$entity");
            o.setAll(e.render(row.values(), row.etag(), null));
            return FoResponse.json(201, o.toString()).header("Location", location).header("ETag", row.etag());
        }, entityPath);
    }

    private Prepared update(FoRequest req, FoEntity e, Map<String, Object> key, Transaction tx, boolean replace) {
        String id = locate(req, e, key, tx);
        Map<String, Object> current = tx.current(e, id);
        Map<String, Object> written = payload(req, e);
        for (String k : e.key()) {
            if (written.containsKey(k) && !Table.keyOf(List.of(k), written).equals(Table.keyOf(List.of(k), current))) {
                throw FoError.writeFailed(e.schema().logicalName(), "Error: The key field '" + k
                        + "' cannot be changed: the record is addressed by its key in the URL.");
            }
        }
        Map<String, Object> values;
        if (replace) {
            values = e.initValues();
            for (String k : e.key()) {
                values.put(k, current.get(k));
            }
        } else {
            values = new LinkedHashMap<>(current);
        }
        values.putAll(written);
        checkMandatory(e, values);
        for (List<String> other : e.schema().keys()) {
            if (other.equals(e.key()) || !complete(e, other, values)) {
                continue;
            }
            String holder = tx.find(e, other, values);
            if (holder != null && !holder.equals(id)) {
                throw duplicate(e, other, values);
            }
        }
        int op = tx.write(ChangeEvent.Message.Update, e, id, values, written);
        boolean representation = prefers(req, "return=representation");
        return new Prepared(() -> {
            Row row = tx.result(op).row();
            if (representation) {
                ObjectNode o = JSON.createObjectNode();
                o.put("@odata.context", ctx.baseUrl() + "/data/$metadata#" + e.entitySet() + "/$entity");
                o.setAll(e.render(row.values(), row.etag(), null));
                return FoResponse.json(200, o.toString()).header("ETag", row.etag()).header("Preference-Applied", "return=representation");
            }
            return FoResponse.empty(204).header("ETag", row.etag());
        }, null);
    }

    private Prepared delete(FoRequest req, FoEntity e, Map<String, Object> key, Transaction tx) {
        String id = locate(req, e, key, tx);
        tx.write(ChangeEvent.Message.Delete, e, id, null, Map.of());
        return new Prepared(() -> FoResponse.empty(204), null);
    }

    /**
     * The id of the record a PATCH/PUT/DELETE addresses. It must be visible to the request: the
     * write goes through the same company filter as reads, so another company's record needs
     * {@code cross-company=true}. A stale {@code If-Match} is refused with 412.
     */
    private String locate(FoRequest req, FoEntity e, Map<String, Object> key, Transaction tx) {
        String id = tx.find(e, e.key(), key);
        Map<String, Object> current = id == null ? null : tx.current(e, id);
        if (current == null || !e.visible(current, ctx.options().foDefaultCompany, req.crossCompany())) {
            throw notFound(e, key);
        }
        String ifMatch = req.header("If-Match");
        if (ifMatch != null && !ifMatch.trim().equals("*") && !tx.touched(e, id)) {
            String etag = tx.stored(e, id).etag();
            boolean match = false;
            for (String candidate : ifMatch.split(",")) {
                match |= candidate.trim().equals(etag);
            }
            if (!match) {
                throw new FoError(412, FoError.SERVICE, "The record has been changed since it was read: the If-Match value "
                        + ifMatch.trim() + " does not match its current ETag " + etag + ".");
            }
        }
        return id;
    }

    /**
     * The payload's properties in stored form. Instance annotations ({@code @odata.type},
     * {@code Field@odata.type}) are ignored; unknown and read-only properties are refused.
     */
    private Map<String, Object> payload(FoRequest req, FoEntity e) {
        JsonNode root;
        try {
            root = req.body() == null || req.body().isBlank() ? null : JSON.readTree(req.body());
        } catch (JsonProcessingException ex) {
            throw FoError.badRequest("The request body is not valid JSON: " + ex.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw FoError.badRequest("No entity was found in the request body: an entity is a JSON object.");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> en = it.next();
            String name = en.getKey();
            if (name.contains("@")) {
                continue;
            }
            FieldDef f = e.field(name);
            if (f == null) {
                throw FoError.badRequest("The property '" + name + "' does not exist on type '" + e.qualifiedType()
                        + "'. Make sure to only use property names that are defined by the type.");
            }
            if (f.readOnly()) {
                throw FoError.writeFailed(e.schema().logicalName(), "Error: The field '" + name
                        + "' is read-only and cannot be set.");
            }
            out.put(name, e.read(f, en.getValue()));
        }
        return out;
    }

    /** X++ validateWrite: every mandatory field and every key field holds a value. */
    private static void checkMandatory(FoEntity e, Map<String, Object> values) {
        List<String> problems = new ArrayList<>();
        for (FieldDef f : e.schema().fields().values()) {
            if ((f.mandatory() || e.key().contains(f.name())) && blank(values.get(f.name()))) {
                problems.add("Warning: Field '" + f.name() + "' must be filled in.");
            }
        }
        if (!problems.isEmpty()) {
            throw FoError.writeFailed(e.schema().logicalName(), String.join("; ", problems));
        }
    }

    private static boolean blank(Object v) {
        return v == null || (v instanceof String s && s.isBlank());
    }

    private static boolean complete(FoEntity e, List<String> key, Map<String, Object> values) {
        for (String k : key) {
            if (blank(values.get(k))) {
                return false;
            }
        }
        return true;
    }

    /** The F&O answer to a create whose key is taken (seen in real F&O payloads). */
    private static FoError duplicate(FoEntity e, List<String> key, Map<String, Object> values) {
        List<String> parts = new ArrayList<>();
        for (String k : key) {
            parts.add(k + ": " + values.get(k));
        }
        return FoError.writeFailed(e.schema().logicalName(), "Info: Cannot create a record in " + e.entitySet() + " ("
                + e.schema().logicalName() + "). " + String.join(", ", parts) + ".\nThe record already exists..");
    }

    // ---- addressing -----------------------------------------------------------------------------

    /** The F&O entity sets this emulator serves, by exact name (OData names are case-sensitive). */
    List<FoEntity> entities() {
        List<FoEntity> out = new ArrayList<>();
        for (Table t : ctx.store().tables()) {
            if (FoEntity.isFo(t.schema())) {
                out.add(new FoEntity(t));
            }
        }
        return out;
    }

    FoEntity entity(String set) {
        Table t = ctx.store().table(set);
        if (t == null || !FoEntity.isFo(t.schema()) || !t.entitySet().equals(set)) {
            throw FoError.notFound("Resource not found for the segment '" + set + "'.");
        }
        return new FoEntity(t);
    }

    private static Map<String, Object> requireKey(FoEntity e, ResourcePath path) {
        if (path.keys() == null) {
            throw new FoError(405, FoError.ODATA, "The request method is not allowed on an entity set: address one entity by its key.");
        }
        return keyValues(e, path.keys());
    }

    /**
     * The key predicate as key values. Every field of the entity key is required ("When working
     * with data entities using OData, all fields in the entity key must be provided", odata.md).
     */
    static Map<String, Object> keyValues(FoEntity e, List<ResourcePath.KeyPart> parts) {
        List<String> key = e.key();
        Map<String, Object> out = new LinkedHashMap<>();
        if (parts.size() == 1 && parts.get(0).name() == null && key.size() == 1) {
            out.put(key.get(0), parts.get(0).value());
            return out;
        }
        for (ResourcePath.KeyPart p : parts) {
            if (p.name() == null || !key.contains(p.name()) || out.containsKey(p.name())) {
                throw FoError.badRequest("The key in the request URI is not valid for resource '" + e.qualifiedType()
                        + "'. Ensure that the names and number of key values match the declared key names and number of key values for the resource.");
            }
            out.put(p.name(), p.value());
        }
        if (out.size() != key.size()) {
            throw FoError.badRequest("The number of keys specified in the URI does not match number of key properties for the resource '"
                    + e.qualifiedType() + "'. All fields of the entity key must be provided: " + String.join(", ", key) + ".");
        }
        return out;
    }

    private static FoError notFound(FoEntity e, Map<String, Object> key) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Object> en : key.entrySet()) {
            b.append(b.length() == 0 ? "" : ",").append(en.getKey()).append("=").append(en.getValue());
        }
        return FoError.notFound("No resource was found in '" + e.entitySet() + "' for the key (" + b + ").");
    }

    private static void requireMethod(FoRequest req, String method) {
        if (!req.method().equals(method)) {
            throw new FoError(405, FoError.ODATA, "The request method '" + req.method() + "' is not allowed on this resource.");
        }
    }

    private static boolean prefers(FoRequest req, String preference) {
        String p = req.header("Prefer");
        return p != null && p.replace(" ", "").toLowerCase(Locale.ROOT).contains(preference);
    }

    /** Percent-encodes what may not appear in a URL path, keeping OData's key punctuation readable. */
    static String encodePath(String s) {
        StringBuilder b = new StringBuilder();
        for (byte by : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = by & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~'(),=:@$".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        return b.toString();
    }
}
