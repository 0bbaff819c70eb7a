package io.dualsync.emulator.dataverse.webhooks;

import io.dualsync.emulator.ChangeEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One webhook with its step: the endpoint and its authentication (serviceendpoint, contract 8) and
 * the message/table/filter/images/mode it runs for (sdkmessageprocessingstep), as
 * powerapps-docs developer/data-platform/register-web-hook.md describes them. Immutable, so any
 * thread may read it.
 *
 * @param entity logical name of the table, or null for every table
 */
record Registration(String id, String name, String url, String entity, Set<ChangeEvent.Message> messages,
                    Set<String> filteringAttributes, AuthType authType, Map<String, String> authValues,
                    boolean synchronous, Image preImage, Image postImage, String stepId) {

    /** The three authentication options of register-web-hook.md, "Authentication options". */
    enum AuthType { None, HttpHeader, WebhookKey, HttpQueryString }

    /**
     * An entity image: its alias (the key in Pre/PostEntityImages) and the attributes it holds
     * (empty = all columns); register-plug-in.md, "Define entity images".
     */
    record Image(String name, Set<String> attributes) {
        JsonObject toJson() {
            return new JsonObject().put("name", name)
                    .put("attributes", attributes.isEmpty() ? "all" : new JsonArray(new ArrayList<>(attributes)));
        }
    }

    /**
     * Reads a registration from the admin API or a config file.
     *
     * @param logicalNames maps what the caller wrote for {@code entity} (logical or entity set name) to the logical name
     * @throws IllegalArgumentException with a message for the caller when something is missing or wrong
     */
    static Registration parse(JsonObject json, java.util.function.UnaryOperator<String> logicalNames) {
        String url = text(json, "url");
        if (url == null) {
            throw new IllegalArgumentException("'url' (the endpoint URL to POST the execution context to) is required");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'url' is not a valid URL: " + url);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("'url' must be an absolute http or https URL: " + url);
        }
        String entity = text(json, "entity");
        if (entity != null && (entity.equals("*") || entity.equalsIgnoreCase("none"))) {
            entity = null;
        }
        if (entity != null) {
            entity = logicalNames.apply(entity);
        }
        Set<ChangeEvent.Message> messages = EnumSet.noneOf(ChangeEvent.Message.class);
        for (String m : list(json, "messages")) {
            messages.add(message(m));
        }
        if (messages.isEmpty()) {
            messages = EnumSet.allOf(ChangeEvent.Message.class);
        }
        Set<String> filtering = new LinkedHashSet<>();
        for (String a : list(json, "filteringAttributes")) {
            filtering.add(a.toLowerCase(Locale.ROOT));
        }
        AuthType authType = authType(text(json, "authType"));
        Map<String, String> authValues = authValues(authType, json.getValue("authValue"));
        boolean sync = synchronous(json.getValue("mode"));
        String id = UUID.randomUUID().toString();
        String name = text(json, "name");
        return new Registration(id, name == null ? "webhook " + url : name, url, entity,
                Collections.unmodifiableSet(messages), Collections.unmodifiableSet(filtering), authType, authValues, sync,
                image(json.getValue("preImage"), "preImage"), image(json.getValue("postImage"), "postImage"),
                UUID.randomUUID().toString());
    }

    /**
     * Whether this step runs for a write: same message and table, and for Update at least one of the
     * filtering attributes in the Target (best-practices/business-logic/include-filtering-attributes-plugin-registration.md).
     */
    boolean matches(ChangeEvent e, String logicalName) {
        if (!messages.contains(e.message())) {
            return false;
        }
        if (entity != null && !entity.equalsIgnoreCase(logicalName)) {
            return false;
        }
        if (e.message() != ChangeEvent.Message.Update || filteringAttributes.isEmpty()) {
            return true;
        }
        if (e.target() != null) {
            for (String column : e.target().keySet()) {
                String attribute = SdkValues.attributeName(column);
                if (attribute != null && filteringAttributes.contains(attribute.toLowerCase(Locale.ROOT))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The URL posted to: WebhookKey adds {@code ?code=}, HttpQueryString its pairs (register-web-hook.md). */
    String requestUrl() {
        if (authType != AuthType.WebhookKey && authType != AuthType.HttpQueryString) {
            return url;
        }
        StringBuilder b = new StringBuilder(url);
        char sep = url.indexOf('?') >= 0 ? '&' : '?';
        for (Map.Entry<String, String> p : authValues.entrySet()) {
            b.append(sep).append(encode(p.getKey())).append('=').append(encode(p.getValue()));
            sep = '&';
        }
        return b.toString();
    }

    /** Headers of the HttpHeader option; empty otherwise. */
    Map<String, String> authHeaders() {
        return authType == AuthType.HttpHeader ? authValues : Map.of();
    }

    /** What GET /_emulator/webhooks shows; the auth values stay secret, as AuthValue "cannot be retrieved". */
    JsonObject toJson() {
        JsonArray msgs = new JsonArray();
        for (ChangeEvent.Message m : messages) {
            msgs.add(m.name());
        }
        JsonObject j = new JsonObject()
                .put("id", id)
                .put("name", name)
                .put("url", url)
                .put("entity", entity)
                .put("messages", msgs)
                .put("filteringAttributes", new JsonArray(new ArrayList<>(filteringAttributes)))
                .put("authType", authType.name())
                .put("authKeys", authType == AuthType.WebhookKey ? new JsonArray()
                        : new JsonArray(new ArrayList<>(authValues.keySet())))
                .put("mode", synchronous ? "sync" : "async")
                .put("stage", 40)
                .put("stepId", stepId);
        j.put("preImage", preImage == null ? null : preImage.toJson());
        j.put("postImage", postImage == null ? null : postImage.toJson());
        return j;
    }

    private static ChangeEvent.Message message(String text) {
        for (ChangeEvent.Message m : ChangeEvent.Message.values()) {
            if (m.name().equalsIgnoreCase(text.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown message '" + text + "': use Create, Update or Delete");
    }

    private static AuthType authType(String text) {
        if (text == null) {
            return AuthType.None;
        }
        for (AuthType t : AuthType.values()) {
            if (t.name().equalsIgnoreCase(text.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown authType '" + text + "': use HttpHeader, WebhookKey or HttpQueryString");
    }

    private static Map<String, String> authValues(AuthType type, Object value) {
        Map<String, String> values = new LinkedHashMap<>();
        switch (type) {
            case None:
                break;
            case WebhookKey:
                // "When registering the WebHook using the Plug-in Registration tool, only enter the value."
                if (value == null || value instanceof JsonObject || value.toString().isBlank()) {
                    throw new IllegalArgumentException("WebhookKey needs 'authValue': the key sent as ?code=");
                }
                values.put("code", value.toString());
                break;
            default:
                if (!(value instanceof JsonObject pairs) || pairs.isEmpty()) {
                    throw new IllegalArgumentException(type + " needs 'authValue': an object of key/value pairs");
                }
                for (Map.Entry<String, Object> p : pairs) {
                    if (p.getValue() == null) {
                        throw new IllegalArgumentException(type + " value of '" + p.getKey() + "' is missing");
                    }
                    values.put(p.getKey(), p.getValue().toString());
                }
        }
        return Collections.unmodifiableMap(values);
    }

    private static boolean synchronous(Object mode) {
        if (mode == null) {
            return false;
        }
        String m = mode.toString().trim().toLowerCase(Locale.ROOT);
        switch (m) {
            case "async":
            case "asynchronous":
            case "1":
                return false;
            case "sync":
            case "synchronous":
            case "0":
                return true;
            default:
                throw new IllegalArgumentException("unknown mode '" + mode + "': use async or sync");
        }
    }

    private static Image image(Object value, String field) {
        if (value == null || Boolean.FALSE.equals(value)) {
            return null;
        }
        String defaultName = field.equals("preImage") ? "PreImage" : "PostImage";
        if (Boolean.TRUE.equals(value)) {
            return new Image(defaultName, Set.of());
        }
        if (value instanceof String s) {
            return new Image(s.isBlank() ? defaultName : s, Set.of());
        }
        if (!(value instanceof JsonObject o)) {
            throw new IllegalArgumentException("'" + field + "' is an object {name, attributes} or an image name");
        }
        String name = text(o, "name");
        Set<String> attributes = new LinkedHashSet<>();
        Object a = o.getValue("attributes");
        if (!(a == null || (a instanceof String s && s.equalsIgnoreCase("all")))) {
            for (String attr : list(o, "attributes")) {
                attributes.add(attr.toLowerCase(Locale.ROOT));
            }
        }
        return new Image(name == null ? defaultName : name, Collections.unmodifiableSet(attributes));
    }

    private static String text(JsonObject json, String key) {
        Object v = json.getValue(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("'" + key + "' must be text");
        }
        return s.isBlank() ? null : s.trim();
    }

    /** A JSON array of strings, or a comma-separated string as the registration tool stores them. */
    private static List<String> list(JsonObject json, String key) {
        Object v = json.getValue(key);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v instanceof JsonArray arr) {
            for (Object o : arr) {
                if (o != null && !o.toString().isBlank()) {
                    out.add(o.toString().trim());
                }
            }
            return out;
        }
        if (v instanceof String s) {
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
            return out;
        }
        throw new IllegalArgumentException("'" + key + "' must be a list or comma-separated text");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
