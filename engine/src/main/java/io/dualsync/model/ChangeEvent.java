package io.dualsync.model;

import io.dualsync.mapping.Side;

import java.time.Instant;
import java.util.Map;

/**
 * One change of one record in one system, as dualsync journals it: the canonical form every
 * source (Dataverse webhooks, F&O data and business events, the {@code /events} envelope) is turned
 * into before it is acknowledged. Serialized as JSON in the journal (see {@code EventCodec}).
 *
 * @param eventId        unique per source event: a redelivery of the same event has the same id
 *                       (Dataverse: CorrelationId + ":" + version; F&O business events: EventId; envelope: its id)
 * @param source         the system the change happened in
 * @param entity         the entity set it happened to ({@code accounts}, {@code CustomersV3})
 * @param operation      create, update or delete
 * @param recordId       the record's identity in the source system: the Dataverse primary id, or the
 *                       F&O key predicate text ({@code dataAreaId='usmf',CustomerAccount='US-001'})
 * @param key            the source key fields and values (F&O entity key; Dataverse primary id and, when
 *                       known, alternate key columns)
 * @param values         the record's column values as the source API names them (a partial change
 *                       holds only the columns changed; Dataverse lookups as {@code _x_value} guids);
 *                       null for a business event whose record must be read from the source
 * @param version        the source's row version (Dataverse {@code versionnumber}; F&O: 0 when unknown)
 * @param modifiedAt     when the source says the change happened (last-writer-wins compares these)
 * @param initiatingUser the user or application user that made the change (echo detection)
 * @param tag            the Dataverse {@code tag} shared variable, when present (echo detection)
 * @param correlationId  the source's correlation id, for logs
 * @param receivedAt     when dualsync received it
 */
public record ChangeEvent(String eventId, Side source, String entity, Operation operation, String recordId,
                          Map<String, Object> key, Map<String, Object> values, long version, Instant modifiedAt,
                          String initiatingUser, String tag, String correlationId, Instant receivedAt) {
}
