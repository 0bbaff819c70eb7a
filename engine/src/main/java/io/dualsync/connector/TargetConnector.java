package io.dualsync.connector;

import io.dualsync.mapping.Payload;
import io.vertx.core.Future;

import java.time.Instant;
import java.util.Map;

/**
 * Reads and writes one system (Dataverse Web API or F&O OData) for the pipeline. Implementations
 * resolve lookups ({@link io.dualsync.mapping.LookupRef}s in the payload) and authenticate; they
 * never throw for an HTTP answer: every answer becomes a {@link WriteResult}. Futures complete on
 * the caller's Vert.x context.
 */
public interface TargetConnector {

    /**
     * Creates or updates the record identified by {@code key} (the target's integration key, field
     * path to value, as the map declares it) with the payload's values.
     *
     * @param ifMatch the ETag the record must still have, or null to write regardless
     * @param tag     a marker the target passes to its change events (Dataverse {@code ?tag=}) so our own
     *                writes can be recognised when they come back; may be null
     */
    Future<WriteResult> upsert(String entitySet, Map<String, Object> key, Payload payload, String ifMatch, String tag);

    /** Deletes the record identified by {@code key}; a record already gone is {@link WriteResult.Outcome#OK}. */
    Future<WriteResult> delete(String entitySet, Map<String, Object> key, String tag);

    /**
     * Reads a record by its integration key, or by its source record id when {@code key} holds it,
     * with lookups followed so map paths such as {@code msdyn_customergroupid.msdyn_groupid} resolve.
     * Completes with null when the record does not exist.
     */
    Future<ReadResult> read(String entitySet, Map<String, Object> key);

    /**
     * A record as read, with its ETag, version and last modified time (Dataverse {@code modifiedon};
     * null when the entity exposes none, as F&O's customer entities do).
     */
    record ReadResult(Map<String, Object> values, String etag, long version, Instant modifiedAt) {
        public ReadResult(Map<String, Object> values, String etag, long version) {
            this(values, etag, version, null);
        }
    }
}
