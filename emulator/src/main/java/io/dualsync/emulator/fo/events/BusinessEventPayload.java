package io.dualsync.emulator.fo.events;

import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.FieldDef;
import io.dualsync.mapping.schema.FieldType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The JSON an F&O business event is delivered as: the envelope every business event contract
 * inherits from {@code BusinessEventsContract} plus the event's own contract fields, all at the top
 * level, keys in ordinal order as .NET's DataContract serializer writes them.
 *
 * <p>Sources: business-events/home-page.md ("Idempotency": ControlNumber; "Filtering": business
 * event id, legal entity), business-events-dev-doc.md (contract DataMembers, enums as symbols), and
 * the delivered payloads the docs don't print: /work/shared/reference/fo-business-event-alert.json
 * (2019: BusinessEventId, ControlNumber, EventId, EventTime, MajorVersion, MinorVersion) and current
 * captures, which add BusinessEventLegalEntity, ContextRecordSubject (""), EventTimeIso8601 (seven
 * fractional digits; EventTime keeps whole seconds), InitiatingUserAADObjectId ({UPPER-GUID} with
 * braces) and ParentContextRecordSubjects (a list, plural).
 */
final class BusinessEventPayload {
    private BusinessEventPayload() {
    }

    static JsonObject build(BusinessEventDefinition def, Map<String, Object> row, EntitySchema schema, String legalEntity,
                            long controlNumber, UUID eventId, Instant time, UUID initiatingUser) {
        Map<String, Object> m = new TreeMap<>(); // String.compareTo is ordinal, like DataContract's member order
        for (String field : def.contractFields()) {
            m.put(field, contractValue(row.get(field), schema == null ? null : schema.field(field)));
        }
        m.put("BusinessEventId", def.businessEventId());
        m.put("BusinessEventLegalEntity", legalEntity);
        m.put("ContextRecordSubject", "");
        m.put("ControlNumber", controlNumber);
        m.put("EventId", Formats.upperGuid(eventId));
        // X++ utcDateTime has whole seconds; the ISO field carries the full clock.
        m.put("EventTime", Formats.dotNetDate(time.truncatedTo(ChronoUnit.SECONDS).toEpochMilli()));
        m.put("EventTimeIso8601", Formats.iso7(time));
        m.put("InitiatingUserAADObjectId", "{" + Formats.upperGuid(initiatingUser) + "}");
        m.put("MajorVersion", 0);
        m.put("MinorVersion", 0);
        m.put("ParentContextRecordSubjects", new JsonArray());
        return new JsonObject(m);
    }

    /**
     * A contract value: text, numbers and booleans as they are, enums as their symbol (dev doc:
     * "Enumeration (enum) values must be converted to their symbol value"), dates as
     * {@code /Date(ms)/}; a missing value as the contract's default (empty text).
     */
    private static Object contractValue(Object v, FieldDef f) {
        FieldType type = f == null ? null : f.type();
        if (type == FieldType.DATE || type == FieldType.DATETIME) {
            Long ms = Formats.epochMillis(v);
            return Formats.dotNetDate(ms == null ? -2208988800000L : ms); // 1900-01-01, X++'s empty date
        }
        if (v == null) {
            return type == FieldType.INTEGER || type == FieldType.DECIMAL ? 0 : "";
        }
        return v;
    }
}
