package io.dualsync.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dualsync.mapping.Side;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.FieldDef;
import io.dualsync.mapping.schema.FieldType;
import io.dualsync.mapping.schema.SchemaLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reference payloads, payloads captured from the emulators, and the catalog of the built-in schemas. */
final class Fixtures {
    static final String DATAVERSE_REFERENCE = "dataverse-webhook-RemoteExecutionContext-contact-update.json";
    static final String FO_ALERT_REFERENCE = "fo-business-event-alert.json";
    static final String DV_CREATE = "emulator-dataverse-account-create.json";
    static final String DV_UPDATE = "emulator-dataverse-account-update.json";
    static final String DV_DELETE = "emulator-dataverse-account-delete.json";
    static final String FO_CREATED = "emulator-fo-customer-created.json";
    static final String FO_UPDATED = "emulator-fo-customer-updated.json";
    static final String FO_DELETED = "emulator-fo-customer-deleted.json";
    static final String FO_BUSINESS = "emulator-fo-business-customer-changed.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture parsed as the routes parse bodies (decimals exact). */
    static JsonNode json(String name) {
        return Jsons.parse(bytes(name));
    }

    /** A fixture to modify. */
    static ObjectNode object(String name) {
        return (ObjectNode) json(name).deepCopy();
    }

    static byte[] toBytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The built-in schemas (those of the example maps), plus an F&O entity the reference alert event can bind to. */
    static EntityCatalog catalog() {
        List<EntitySchema> all = new ArrayList<>(SchemaLoader.builtIn().all());
        all.add(alertRules());
        return EntityCatalog.of(all);
    }

    /** A made-up F&O entity keyed by RuleId, for the reference BusinessEventsAlertEvent. */
    static EntitySchema alertRules() {
        FieldDef ruleId = new FieldDef("RuleId", FieldType.STRING, true, false, 20, null, List.of(), Map.of(), null);
        return new EntitySchema(Side.FO, "AlertRules", "EventRuleEntity", null, List.of(List.of("RuleId")), null,
                Map.of("RuleId", ruleId), "test");
    }
}
