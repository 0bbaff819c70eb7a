package io.dualsync.emulator.dataverse.webhooks;

import io.dualsync.emulator.ChangeEvent;
import io.dualsync.emulator.store.Store;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Builds the request body of a webhook: the JSON of a {@code RemoteExecutionContext}, key for key in
 * the order and shapes of the sample in powerapps-docs developer/data-platform/use-webhooks.md
 * ("Request Body"), for a post-operation (stage 40) step. Also applies the documented 256 KB rule.
 * Stateless apart from the organization's identity; called on the emulator's event loop.
 */
final class ContextBuilder {
    /** "When the size of the entire HTTP payload exceeds 256KB" (use-webhooks.md). */
    static final int MAX_PAYLOAD_BYTES = 256 * 1024;

    private final Store store;
    private final String organizationName;
    private final String organizationId;
    private final String businessUnitId;

    ContextBuilder(Store store, String organizationName) {
        this.store = store;
        this.organizationName = organizationName;
        this.organizationId = uuid("organization:" + organizationName);
        this.businessUnitId = uuid("businessunit:" + organizationName);
    }

    String organizationName() {
        return organizationName;
    }

    /** The execution context one step receives for one write. */
    JsonObject build(ChangeEvent e, TableInfo table, Registration r, String operationId) {
        String id = e.id().toLowerCase(Locale.ROOT);
        String correlationId = correlationId(e);
        Instant time = e.time() == null ? Instant.now() : e.time();
        String userId = e.caller() == null ? "00000000-0000-0000-0000-000000000000" : e.caller().userId().toString();
        int mode = r.synchronous() ? 0 : 1;

        JsonObject outer = header(correlationId, userId);
        outer.put("InputParameters", new JsonArray().add(SdkValues.pair("Target", target(e, table, id, userId, time, true))));
        common(outer, e, mode, time, operationId, r.synchronous());
        outer.put("OutputParameters", outputParameters(e, id));
        outer.put("OwningExtension", SdkValues.untypedReference("sdkmessageprocessingstep", r.stepId()));
        outer.put("ParentContext", parent(e, table, r, id, correlationId, userId, mode, time, operationId));
        outer.put("PostEntityImages", images(r.postImage(), e.message() != ChangeEvent.Message.Delete, e.postImage(), table, id));
        outer.put("PreEntityImages", images(r.preImage(), e.message() != ChangeEvent.Message.Create, e.preImage(), table, id));
        tail(outer, id, table, requestId(e, correlationId), sharedVariables(e, null), 40, userId);
        return outer;
    }

    /**
     * The body as sent: Microsoft's serializer escapes every {@code /} as {@code \/} (see the sample's
     * {@code "\/Date(...)\/"}). A {@code /} only ever appears inside JSON strings, where {@code \/}
     * is a valid escape, so escaping all of them is safe.
     */
    static Buffer encode(JsonObject context) {
        String json = context.encode().replace("/", "\\/");
        return Buffer.buffer(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The documented cut for oversize payloads: "the following RemoteExecutionContext properties will
     * be removed: ParentContext, InputParameters, PreEntityImages, PostEntityImages" (use-webhooks.md).
     * They are emptied (null / empty collections), as a .NET data contract still writes every member.
     */
    static JsonObject withoutLargeParts(JsonObject context) {
        JsonObject copy = context.copy();
        copy.put("ParentContext", null);
        copy.put("InputParameters", new JsonArray());
        copy.put("PreEntityImages", new JsonArray());
        copy.put("PostEntityImages", new JsonArray());
        return copy;
    }

    static String correlationId(ChangeEvent e) {
        return e.correlationId() == null || e.correlationId().isBlank()
                ? uuid("correlation:" + e.entitySet() + ":" + e.id() + ":" + e.rowVersion()) : e.correlationId();
    }

    // ---- parts -----------------------------------------------------------------------------------

    private JsonObject header(String correlationId, String userId) {
        return new JsonObject()
                .put("BusinessUnitId", businessUnitId)
                .put("CorrelationId", correlationId)
                .put("Depth", 1)
                .put("InitiatingUserId", userId);
    }

    private void common(JsonObject c, ChangeEvent e, int mode, Instant time, String operationId, boolean inTransaction) {
        c.put("IsExecutingOffline", false)
                .put("IsInTransaction", inTransaction)
                .put("IsOfflinePlayback", false)
                .put("IsolationMode", 1)
                .put("MessageName", e.message().name())
                .put("Mode", mode)
                .put("OperationCreatedOn", SdkValues.dateWithOffset(time))
                .put("OperationId", operationId)
                .put("OrganizationId", organizationId)
                .put("OrganizationName", organizationName);
    }

    private void tail(JsonObject c, String id, TableInfo table, String requestId, JsonArray shared, int stage, String userId) {
        c.put("PrimaryEntityId", id)
                .put("PrimaryEntityName", table.logicalName())
                .put("RequestId", requestId)
                .put("SecondaryEntityName", "none")
                .put("SharedVariables", shared)
                .put("Stage", stage)
                .put("UserId", userId);
    }

    /**
     * The main operation's context (stage 30) as the sample shows it under ParentContext: its Target
     * holds only what the request sent, plus {@code SuppressDuplicateDetection}; its shared variables
     * list the changed entity types.
     */
    private JsonObject parent(ChangeEvent e, TableInfo table, Registration r, String id, String correlationId,
                              String userId, int mode, Instant time, String operationId) {
        JsonObject p = header(correlationId, userId);
        JsonArray input = new JsonArray().add(SdkValues.pair("Target", target(e, table, id, userId, time, false)));
        if (e.message() != ChangeEvent.Message.Delete) {
            input.add(SdkValues.pair("SuppressDuplicateDetection", false));
        }
        p.put("InputParameters", input);
        common(p, e, mode, time, operationId, r.synchronous());
        p.put("OutputParameters", new JsonArray());
        p.put("OwningExtension", SdkValues.untypedReference("sdkmessageprocessingstep", r.stepId()));
        p.put("ParentContext", null);
        p.put("PostEntityImages", new JsonArray());
        p.put("PreEntityImages", new JsonArray());
        JsonArray changed = new JsonArray().add(new JsonObject()
                .put("__type", SdkValues.STRING_PAIR_TYPE)
                .put("key", table.logicalName())
                .put("value", e.message().name()));
        tail(p, id, table, requestId(e, correlationId), sharedVariables(e, changed), 30, userId);
        return p;
    }

    /**
     * InputParameters' Target. Create and Update: an Entity with the attributes written; after the
     * core operation (post-operation, {@code full}) it also holds the primary id and the columns the
     * platform set (created/modified on and by), as the sample's Target does. Delete: an EntityReference.
     */
    private JsonObject target(ChangeEvent e, TableInfo table, String id, String userId, Instant time, boolean full) {
        if (e.message() == ChangeEvent.Message.Delete) {
            return SdkValues.entityReference(table.logicalName(), id);
        }
        JsonArray attributes = new JsonArray();
        JsonArray formatted = new JsonArray();
        Set<String> seen = new HashSet<>();
        if (e.target() != null) {
            for (Map.Entry<String, Object> a : e.target().entrySet()) {
                String attribute = SdkValues.attributeName(a.getKey());
                if (attribute != null && seen.add(attribute)) {
                    SdkValues.addAttribute(store, table, attribute, a.getValue(), attributes, formatted);
                }
            }
        }
        if (seen.add(table.primaryId())) {
            attributes.add(SdkValues.pair(table.primaryId(), id));
        }
        if (full) {
            Map<String, Object> after = e.postImage() == null ? Map.of() : e.postImage();
            if (e.message() == ChangeEvent.Message.Create) {
                addSystem(attributes, seen, "createdon", SdkValues.date(timeOf(after.get("createdon"), time)));
                addSystem(attributes, seen, "createdby", SdkValues.entityReference("systemuser", userId));
                addSystem(attributes, seen, "createdonbehalfby", null);
            }
            addSystem(attributes, seen, "modifiedon", SdkValues.date(timeOf(after.get("modifiedon"), time)));
            addSystem(attributes, seen, "modifiedby", SdkValues.entityReference("systemuser", userId));
            addSystem(attributes, seen, "modifiedonbehalfby", null);
        }
        return SdkValues.entity(table.logicalName(), id, attributes, formatted, true);
    }

    private static void addSystem(JsonArray attributes, Set<String> seen, String name, Object value) {
        if (seen.add(name)) {
            attributes.add(SdkValues.pair(name, value));
        }
    }

    private static Instant timeOf(Object stored, Instant fallback) {
        Instant t = stored == null ? null : SdkValues.instant(stored);
        return t == null ? fallback : t;
    }

    /** Create returns the new id: {@code [{"key":"id","value":"<guid>"}]} (CreateResponse.id). */
    private static JsonArray outputParameters(ChangeEvent e, String id) {
        JsonArray out = new JsonArray();
        if (e.message() == ChangeEvent.Message.Create) {
            out.add(SdkValues.pair("id", id));
        }
        return out;
    }

    /**
     * A registered image, restricted to its attributes (and the primary id, which images always
     * carry, as the sample's post image does); null columns are absent as in any retrieved Entity.
     * Pre images exist for Update and Delete, post images for Create and Update (register-plug-in.md,
     * "Define entity images").
     */
    private JsonArray images(Registration.Image image, boolean available, Map<String, Object> row, TableInfo table, String id) {
        JsonArray out = new JsonArray();
        if (image == null || !available || row == null) {
            return out;
        }
        JsonArray attributes = new JsonArray();
        JsonArray formatted = new JsonArray();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, Object> c : row.entrySet()) {
            String attribute = SdkValues.attributeName(c.getKey());
            if (attribute == null || c.getValue() == null || !seen.add(attribute)) {
                continue;
            }
            if (image.attributes().isEmpty() || image.attributes().contains(attribute.toLowerCase(Locale.ROOT))
                    || attribute.equals(table.primaryId())) {
                SdkValues.addAttribute(store, table, attribute, c.getValue(), attributes, formatted);
            }
        }
        if (seen.add(table.primaryId())) {
            attributes.add(SdkValues.pair(table.primaryId(), id));
        }
        out.add(SdkValues.pair(image.name(), SdkValues.entity(table.logicalName(), id, attributes, formatted, false)));
        return out;
    }

    /**
     * SharedVariables: what the request passed, {@code tag} first ("use the keyword tag ... This value
     * will be accessible in the Shared Variable collection using the tag key", understand-the-data-context.md).
     */
    private static JsonArray sharedVariables(ChangeEvent e, JsonArray changedEntityTypes) {
        JsonArray out = new JsonArray();
        if (changedEntityTypes != null) {
            out.add(SdkValues.pair("ChangedEntityTypes", changedEntityTypes));
        }
        Map<String, Object> shared = e.sharedVariables();
        if (shared != null) {
            if (shared.containsKey("tag")) {
                out.add(SdkValues.pair("tag", plain(shared.get("tag"))));
            }
            for (Map.Entry<String, Object> v : shared.entrySet()) {
                if (!v.getKey().equals("tag")) {
                    out.add(SdkValues.pair(v.getKey(), plain(v.getValue())));
                }
            }
        }
        return out;
    }

    private static Object plain(Object v) {
        return v == null || v instanceof String || v instanceof Number || v instanceof Boolean ? v : v.toString();
    }

    /** One id per request (every step of one write sees the same). */
    private static String requestId(ChangeEvent e, String correlationId) {
        return uuid("request:" + correlationId + ":" + e.entitySet() + ":" + e.id() + ":" + e.rowVersion());
    }

    private static String uuid(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
