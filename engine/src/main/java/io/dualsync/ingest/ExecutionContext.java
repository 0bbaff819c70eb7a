package io.dualsync.ingest;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parts of a {@code RemoteExecutionContext} (the JSON Dataverse posts to webhooks, and F&O data
 * events are delivered as) that ingest reads: message, primary entity, ids, user, the Target and the
 * entity images, and the {@code tag} shared variable. Collections are the data-contract JSON of
 * Microsoft.Xrm.Sdk: lists of {@code {"key": .., "value": ..}} pairs (powerapps-docs
 * developer/data-platform/use-webhooks.md, "Request Body"). Immutable once read.
 */
final class ExecutionContext {
    /** An {@code Entity} of the context: attributes as the JSON carries them, and the formatted values. */
    record SdkEntity(String logicalName, String id, Map<String, JsonNode> attributes, Map<String, String> formatted) {
    }

    final String messageName;
    final String primaryEntityName;
    final String primaryEntityId;
    final String correlationId;
    final String requestId;
    final String operationId;
    final Instant operationCreatedOn;
    final String initiatingUser;
    final String tag;
    /** The Target when it is an Entity (Create, Update); null otherwise. */
    final SdkEntity target;
    /** The Target's id when it is an EntityReference (Delete); null otherwise. */
    final String targetReferenceId;
    /** Post images merged (every registered one), or null when none was sent. */
    final SdkEntity postImage;
    /** Pre images merged (PreEntityImages, or InputParameters' {@code PreImage} of F&O data events), or null. */
    final SdkEntity preImage;

    private ExecutionContext(JsonNode root) {
        messageName = required(root, "MessageName");
        primaryEntityName = required(root, "PrimaryEntityName");
        primaryEntityId = Jsons.text(root, "PrimaryEntityId");
        correlationId = Jsons.text(root, "CorrelationId");
        requestId = Jsons.text(root, "RequestId");
        operationId = Jsons.text(root, "OperationId");
        operationCreatedOn = Jsons.msDate(Jsons.text(root, "OperationCreatedOn"));
        String initiating = Jsons.text(root, "InitiatingUserId");
        initiatingUser = Jsons.guid(initiating != null ? initiating : Jsons.text(root, "UserId"));
        tag = tag(root);

        Map<String, JsonNode> input = pairs(root, "InputParameters");
        JsonNode t = input.get("Target");
        SdkEntity targetEntity = null;
        String referenceId = null;
        if (t != null && t.isObject()) {
            String type = Jsons.text(t, "__type");
            if (type != null && type.startsWith("EntityReference:")) {
                referenceId = Jsons.text(t, "Id");
            } else if (t.has("Attributes")) {
                targetEntity = entity(t, "InputParameters.Target");
            } else {
                referenceId = Jsons.text(t, "Id");
            }
        }
        target = targetEntity;
        targetReferenceId = referenceId;
        postImage = merged(pairs(root, "PostEntityImages"), "PostEntityImages", null);
        SdkEntity pre = merged(pairs(root, "PreEntityImages"), "PreEntityImages", null);
        JsonNode preInput = input.get("PreImage");
        if (preInput != null && preInput.isObject()) {
            pre = merged(Map.of("PreImage", preInput), "InputParameters.PreImage", pre);
        }
        preImage = pre;
    }

    /**
     * Reads a context.
     *
     * @throws IngestException (400) when the body is not a RemoteExecutionContext
     */
    static ExecutionContext read(JsonNode root) {
        if (!root.isObject()) {
            throw IngestException.malformed("expected a RemoteExecutionContext JSON object, got " + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return new ExecutionContext(root);
    }

    /** The record's id: PrimaryEntityId, else the Target's. */
    String recordId() {
        if (primaryEntityId != null && !primaryEntityId.isBlank()) {
            return primaryEntityId;
        }
        if (target != null && target.id() != null) {
            return target.id();
        }
        return targetReferenceId;
    }

    private static String required(JsonNode root, String name) {
        String v = Jsons.text(root, name);
        if (v == null || v.isBlank()) {
            throw IngestException.malformed("not a RemoteExecutionContext: '" + name + "' is missing");
        }
        return v;
    }

    /** {@code [{"key": k, "value": v}]} as a map; absent or null is empty. */
    private static Map<String, JsonNode> pairs(JsonNode parent, String name) {
        JsonNode list = parent.get(name);
        if (list == null || list.isNull()) {
            return Map.of();
        }
        if (!list.isArray()) {
            throw IngestException.malformed("'" + name + "' must be a list of {\"key\", \"value\"} pairs");
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode pair : list) {
            String key = Jsons.text(pair, "key");
            if (key == null) {
                throw IngestException.malformed("'" + name + "' holds an entry without a text 'key'");
            }
            out.put(key, pair.get("value"));
        }
        return out;
    }

    private static SdkEntity entity(JsonNode node, String where) {
        if (!node.isObject()) {
            throw IngestException.malformed("'" + where + "' must be an Entity object");
        }
        Map<String, String> formatted = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> f : pairs(node, "FormattedValues").entrySet()) {
            if (f.getValue() != null && f.getValue().isTextual()) {
                formatted.put(f.getKey(), f.getValue().textValue());
            }
        }
        return new SdkEntity(Jsons.text(node, "LogicalName"), Jsons.text(node, "Id"),
                Collections.unmodifiableMap(pairs(node, "Attributes")), formatted);
    }

    private static SdkEntity merged(Map<String, JsonNode> images, String where, SdkEntity base) {
        SdkEntity out = base;
        for (Map.Entry<String, JsonNode> image : images.entrySet()) {
            if (image.getValue() == null || image.getValue().isNull()) {
                continue;
            }
            SdkEntity e = entity(image.getValue(), where + "[" + image.getKey() + "]");
            if (out == null) {
                out = e;
            } else {
                Map<String, JsonNode> attributes = new LinkedHashMap<>(out.attributes());
                attributes.putAll(e.attributes());
                Map<String, String> formatted = new LinkedHashMap<>(out.formatted());
                formatted.putAll(e.formatted());
                out = new SdkEntity(out.logicalName(), out.id() != null ? out.id() : e.id(), attributes, formatted);
            }
        }
        return out;
    }

    /**
     * The {@code tag} a writer passed ({@code ?tag=} on a Web API write, understand-the-data-context.md):
     * in this context's SharedVariables, else in a parent context's.
     */
    private static String tag(JsonNode context) {
        for (JsonNode c = context; c != null && c.isObject(); c = c.get("ParentContext")) {
            JsonNode shared = c.get("SharedVariables");
            if (shared != null && shared.isArray()) {
                for (JsonNode pair : shared) {
                    if ("tag".equals(Jsons.text(pair, "key"))) {
                        Object v = Jsons.scalar(pair.get("value"));
                        return v == null ? null : v.toString();
                    }
                }
            }
        }
        return null;
    }
}
