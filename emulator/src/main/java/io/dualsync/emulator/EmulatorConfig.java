package io.dualsync.emulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an emulator configuration file ({@code dualsync emulate --config FILE}, YAML or JSON):
 * <pre>
 * limits:                      # Dataverse service protection, per user per window
 *   requests: 6000
 *   executionSeconds: 1200
 *   concurrent: 52
 *   windowSeconds: 300
 * foThrottling: { requests: 0, windowSeconds: 60 }
 * tokenLifetimeSeconds: 3599
 * foDefaultCompany: usmf
 * webhooks:                    # Dataverse webhook registrations
 *   - { url: http://127.0.0.1:8080/webhooks/dataverse, entity: account, messages: [Create, Update, Delete],
 *       authType: WebhookKey, authValue: secret }
 * foEvents:                    # F&amp;O data and business event endpoints
 *   - { url: http://127.0.0.1:8080/webhooks/fo, kind: data, entitySets: [CustomersV3] }
 * </pre>
 * Every problem is reported with its key path; an unknown key is an error, not silently ignored.
 */
public final class EmulatorConfig {
    private static final Set<String> KEYS = Set.of("limits", "foThrottling", "tokenLifetimeSeconds", "foDefaultCompany",
            "webhooks", "foEvents");

    private EmulatorConfig() {
    }

    /** Applies the file to {@code options}; throws IllegalArgumentException listing every problem. */
    public static void apply(Path file, EmulatorOptions options) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Object root;
        try {
            root = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromString(text);
        } catch (YamlEngineException e) {
            throw new IllegalArgumentException(file + ": not valid YAML or JSON: " + e.getMessage());
        }
        if (root == null) {
            return;
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(file + ": the configuration must be a mapping of keys");
        }
        JsonObject json = new JsonObject(toJson(map));
        List<String> problems = new ArrayList<>();
        for (String key : json.fieldNames()) {
            if (!KEYS.contains(key)) {
                problems.add(key + ": unknown key (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        JsonObject limits = object(json, "limits", problems);
        options.limitRequests = integer(limits, "limits.requests", "requests", options.limitRequests, problems);
        options.limitExecutionSeconds = integer(limits, "limits.executionSeconds", "executionSeconds", options.limitExecutionSeconds, problems);
        options.limitConcurrent = integer(limits, "limits.concurrent", "concurrent", options.limitConcurrent, problems);
        options.limitWindowSeconds = integer(limits, "limits.windowSeconds", "windowSeconds", options.limitWindowSeconds, problems);
        JsonObject throttling = object(json, "foThrottling", problems);
        options.foThrottleRequests = integer(throttling, "foThrottling.requests", "requests", options.foThrottleRequests, problems);
        options.foThrottleWindowSeconds = integer(throttling, "foThrottling.windowSeconds", "windowSeconds", options.foThrottleWindowSeconds, problems);
        options.tokenLifetimeSeconds = integer(json, "tokenLifetimeSeconds", "tokenLifetimeSeconds", options.tokenLifetimeSeconds, problems);
        if (json.containsKey("foDefaultCompany")) {
            options.foDefaultCompany = json.getValue("foDefaultCompany").toString();
        }
        options.webhooks.addAll(objects(json, "webhooks", problems));
        options.eventEndpoints.addAll(objects(json, "foEvents", problems));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(file + ":\n  " + String.join("\n  ", problems));
        }
    }

    private static JsonObject object(JsonObject json, String key, List<String> problems) {
        Object v = json.getValue(key);
        if (v == null) {
            return new JsonObject();
        }
        if (v instanceof JsonObject o) {
            return o;
        }
        problems.add(key + ": must be a mapping");
        return new JsonObject();
    }

    private static int integer(JsonObject json, String path, String key, int current, List<String> problems) {
        Object v = json.getValue(key);
        if (v == null) {
            return current;
        }
        if (v instanceof Number n && n.longValue() >= 0 && n.longValue() <= Integer.MAX_VALUE && n.doubleValue() == n.longValue()) {
            return n.intValue();
        }
        problems.add(path + ": must be a whole number of 0 or more, not " + v);
        return current;
    }

    private static List<JsonObject> objects(JsonObject json, String key, List<String> problems) {
        Object v = json.getValue(key);
        List<JsonObject> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof JsonArray a)) {
            problems.add(key + ": must be a list");
            return out;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.getValue(i) instanceof JsonObject o) {
                out.add(o);
            } else {
                problems.add(key + "[" + i + "]: must be a mapping");
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toJson(Map<?, ?> map) {
        // snakeyaml gives Maps and Lists; JsonObject wraps them as they are.
        return (Map<String, Object>) map;
    }
}
