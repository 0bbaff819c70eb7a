package io.dualsync.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

/**
 * The admin API's view of the dead-letter queue, implemented by the apply stage. Futures complete
 * on the caller's Vert.x context; implementations never block it.
 */
public interface DeadLetterAdmin {

    /**
     * Dead letters, oldest first, at most {@code limit}: each a JSON object with at least {@code id},
     * the original event, the target, the target's error message, attempts, first and last attempt
     * times and the journal index.
     */
    Future<JsonArray> list(int limit);

    /**
     * Puts dead letter {@code id} back in front of its target. A retried dead letter never overwrites
     * a newer version already applied (it is then skipped as stale). Completes with false when there
     * is no such dead letter.
     */
    Future<Boolean> retry(String id);

    /** Drops dead letter {@code id} for good. Completes with false when there is no such dead letter. */
    Future<Boolean> delete(String id);
}
