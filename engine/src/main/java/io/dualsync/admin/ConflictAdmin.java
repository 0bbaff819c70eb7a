package io.dualsync.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

/**
 * The admin API's view of conflicts held for a person (policy {@code manual}), implemented by the
 * conflict stage. Futures complete on the caller's Vert.x context; implementations never block it.
 */
public interface ConflictAdmin {

    /**
     * Held conflicts, oldest first, at most {@code limit}: each a JSON object with at least {@code id},
     * the map, the record key, both sides' versions and values, and when it was detected.
     */
    Future<JsonArray> list(int limit);

    /**
     * Resolves the held conflict {@code id}: the chosen version is written to both sides as needed.
     * Completes with false when there is no held conflict with that id; fails with
     * {@link IllegalArgumentException} when the resolution does not fit the conflict (an unknown field),
     * which the API answers with 400.
     */
    Future<Boolean> resolve(String id, ConflictResolution resolution);
}
